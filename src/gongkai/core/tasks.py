"""Background checks for the holiday calendar."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gongkai.core.workdays import next_year_arrangement_missing

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="8", minute="0"))
def check_holiday_arrangement() -> int | None:
    """Deadlines computed into a year without its arrangement are only provisional."""
    missing = next_year_arrangement_missing(timezone.localdate())
    if missing is not None:
        logger.warning(
            "%s年的节假日安排尚未录入：涉及该年的工作日期限均为暂定，请录入国务院办公厅通知。",
            missing,
        )
    return missing
