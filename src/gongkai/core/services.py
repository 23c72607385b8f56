"""Writes to the holiday calendar. Every change is atomic and audited."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.audit.services import audit_record
from gongkai.core.constants import DayKind
from gongkai.core.models import CalendarDay, HolidayArrangement
from gongkai.core.signals import calendar_changed

logger = logging.getLogger(__name__)

MIN_YEAR = 2000
MAX_YEAR = 2100
_WEEKDAYS = (
    gettext_lazy("星期一"),
    gettext_lazy("星期二"),
    gettext_lazy("星期三"),
    gettext_lazy("星期四"),
    gettext_lazy("星期五"),
    gettext_lazy("星期六"),
    gettext_lazy("星期日"),
)
_NAME_MAX = CalendarDay._meta.get_field("name").max_length or 100


def default_title(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知"


def _summary(arrangement: HolidayArrangement) -> dict[str, Any]:
    kinds = list(arrangement.days.values_list("kind", flat=True))
    return {
        "year": arrangement.year,
        "title": arrangement.title,
        "document_number": arrangement.document_number,
        "holidays": kinds.count(DayKind.HOLIDAY),
        "makeup_workdays": kinds.count(DayKind.MAKEUP_WORKDAY),
    }


def _day_errors(
    year: int, holidays: Sequence[tuple[date, str]], makeup_workdays: Sequence[tuple[date, str]]
) -> list[str]:
    errors: list[str] = []
    seen: dict[date, DayKind] = {}
    for kind, days in ((DayKind.HOLIDAY, holidays), (DayKind.MAKEUP_WORKDAY, makeup_workdays)):
        for d, name in days:
            # Translators: a date followed by its weekday, e.g. 2027-02-06（星期六）.
            label = _("%(date)s（%(weekday)s）") % {
                "date": d.isoformat(),
                "weekday": _WEEKDAYS[d.weekday()],
            }
            if d.year != year:
                errors.append(_("%(label)s 不在 %(year)s 年内。") % {"label": label, "year": year})
            if d in seen:
                if seen[d] == kind:
                    errors.append(_("%(label)s 重复填写。") % {"label": label})
                else:
                    errors.append(_("%(label)s 不能同时是放假日和调休上班日。") % {"label": label})
            seen[d] = kind
            # 调休 moves work onto a weekend; a weekday is a workday already.
            if kind == DayKind.MAKEUP_WORKDAY and d.weekday() < 5:
                errors.append(_("调休上班日 %(label)s 不是星期六或星期日。") % {"label": label})
            if len(name) > _NAME_MAX:
                errors.append(
                    _("%(label)s 的节日名称超过%(max)s个字。") % {"label": label, "max": _NAME_MAX}
                )
    return errors


def _log_failures(responses: list[tuple[Any, Any]]) -> None:
    for receiver, result in responses:
        if isinstance(result, Exception):
            logger.error("calendar_changed: %s failed: %r", receiver, result)


def arrangement_save(
    *,
    actor: Any,
    year: int,
    title: str,
    document_number: str = "",
    source_url: str = "",
    holidays: Sequence[tuple[date, str]],
    makeup_workdays: Sequence[tuple[date, str]],
    notes: str = "",
) -> HolidayArrangement:
    """Create or replace one year's 节假日安排 with exactly the given days."""
    errors: list[str] = []
    if not MIN_YEAR <= year <= MAX_YEAR:
        errors.append(_("年份应在%(min)s年至%(max)s年之间。") % {"min": MIN_YEAR, "max": MAX_YEAR})
    if source_url:
        try:
            URLValidator(schemes=["http", "https"])(source_url)
        except ValidationError:
            errors.append(_("来源网址无效，应以 http:// 或 https:// 开头。"))
    errors += _day_errors(year, holidays, makeup_workdays)
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        arrangement = HolidayArrangement.objects.select_for_update().filter(year=year).first()
        before = _summary(arrangement) if arrangement else None
        if arrangement is None:
            arrangement = HolidayArrangement(year=year)
        arrangement.title = title.strip() or default_title(year)
        arrangement.document_number = document_number.strip()
        arrangement.source_url = source_url.strip()
        arrangement.notes = notes
        arrangement.save()
        arrangement.days.all().delete()
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(arrangement=arrangement, date=d, kind=kind, name=name)
                for kind, days in (
                    (DayKind.HOLIDAY, holidays),
                    (DayKind.MAKEUP_WORKDAY, makeup_workdays),
                )
                for d, name in days
            ]
        )
        audit_record(
            actor=actor,
            verb="calendar.arrangement_saved",
            obj=arrangement,
            before=before,
            after=_summary(arrangement),
        )
        # Robust: the arrangement is saved; a queue that cannot take the refresh now is
        # logged, not shown to the administrator as a failed save.
        transaction.on_commit(
            lambda: _log_failures(
                calendar_changed.send_robust(sender=HolidayArrangement, year=year)
            )
        )
    return arrangement
