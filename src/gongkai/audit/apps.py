from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "gongkai.audit"
    label = "audit"
    verbose_name = "审计"

    def ready(self) -> None:
        from gongkai.audit import signals  # noqa: F401  (login/logout/lockout events)
