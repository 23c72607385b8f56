from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "gongkai.publications"
    label = "publications"
    verbose_name = "主动公开"

    def ready(self) -> None:
        from gongkai.publications import (
            checks,  # noqa: F401  (索引号 pattern check)
            tasks,  # noqa: F401  (deadlines follow the calendar)
        )
