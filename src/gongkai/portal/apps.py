from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"
    verbose_name = "门户"

    def ready(self) -> None:
        # Published items go into the full-text index (see search_source.py).
        from gongkai.portal import search_source

        search_source.connect()
