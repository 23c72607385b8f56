"""Background work of 主动公开: attachment text and public copies, scheduled publishing and
expiry of documents past their 有效期. The tasks call services; they hold no logic."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from gongkai.core.signals import calendar_changed
from gongkai.publications import services


@db_task()
def process_attachment(attachment_id: int) -> None:
    services.attachment_process(attachment_id)


@db_periodic_task(crontab(minute="*/5"))
def publish_scheduled() -> int:
    return services.publish_scheduled()


@db_periodic_task(crontab(hour="1", minute="10"))
def expire_documents() -> int:
    return services.expire_documents()


@db_task()
def refresh_publish_due(year: int) -> int:
    return services.refresh_publish_due(year)


@receiver(calendar_changed)
def _calendar_changed(sender: Any, year: int, **kwargs: Any) -> None:
    refresh_publish_due(year)
