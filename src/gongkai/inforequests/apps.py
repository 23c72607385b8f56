from django.apps import AppConfig


class InfoRequestsConfig(AppConfig):
    name = "gongkai.inforequests"
    label = "inforequests"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from gongkai.inforequests import tasks  # noqa: F401  (due dates follow the calendar)
