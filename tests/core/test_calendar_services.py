"""The stored calendar: seed migration, arrangement_save and the DB-backed defaults."""

from __future__ import annotations

import importlib
import logging
from datetime import date, timedelta

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from pytest_django import DjangoAssertNumQueries

from gongkai.core.constants import DayKind
from gongkai.core.models import CalendarDay, HolidayArrangement
from gongkai.core.services import arrangement_save
from gongkai.core.tasks import check_holiday_arrangement
from gongkai.core.workdays import (
    add_workdays,
    is_workday,
    load_calendar,
    next_year_arrangement_missing,
    workdays_between,
)

pytestmark = pytest.mark.django_db

# A made-up 2027 arrangement, shaped like a real notice.
HOLIDAYS_2027 = [(date(2027, 1, 1), "元旦")] + [
    (date(2027, 2, 5) + timedelta(days=i), "春节") for i in range(9)
]
MAKEUP_2027 = [(date(2027, 2, 20), "春节")]  # a Saturday


def save_2027(**overrides: object) -> HolidayArrangement:
    kwargs: dict[str, object] = {
        "actor": None,
        "year": 2027,
        "title": "",
        "document_number": "国办发明电〔2026〕1号",
        "source_url": "",
        "holidays": HOLIDAYS_2027,
        "makeup_workdays": MAKEUP_2027,
    }
    kwargs.update(overrides)
    return arrangement_save(**kwargs)  # type: ignore[arg-type]


# --- seed migration ---------------------------------------------------------------------------


def test_seed_covers_2004_to_2026() -> None:
    years = list(HolidayArrangement.objects.order_by("year").values_list("year", flat=True))
    assert years == list(range(2004, 2027))
    assert HolidayArrangement.objects.get(year=2024).title == (
        "国务院办公厅关于2024年部分节假日安排的通知"
    )


def test_seed_2026_matches_the_notice() -> None:
    """2026 notice (gov.cn content_7047090): six 调休上班 days, 春节 2/15–2/23."""
    makeup = CalendarDay.objects.filter(arrangement__year=2026, kind=DayKind.MAKEUP_WORKDAY)
    assert [d.isoformat() for d in makeup.values_list("date", flat=True)] == [
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
    ]
    spring = CalendarDay.objects.filter(arrangement__year=2026, name="春节", kind=DayKind.HOLIDAY)
    assert spring.count() == 9
    assert all(d.date.year == d.arrangement.year for d in CalendarDay.objects.all()[:500])


def test_seed_migration_reverses_and_reapplies() -> None:
    """The data migration's reverse removes exactly the seeded years; forward restores them."""
    migration = importlib.import_module("gongkai.core.migrations.0002_seed_official_calendar")
    count = CalendarDay.objects.count()
    migration.unseed(django_apps, None)
    assert not HolidayArrangement.objects.exists()
    assert not CalendarDay.objects.exists()
    migration.seed(django_apps, None)
    assert HolidayArrangement.objects.count() == 23
    assert CalendarDay.objects.count() == count


def test_load_calendar_uses_two_queries(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_num_queries(2):
        cal = load_calendar(range(2024, 2028))
    assert cal.known_years == frozenset({2024, 2025, 2026})
    assert date(2026, 1, 4) in cal.makeup_workdays
    assert date(2026, 2, 16) in cal.holidays


def test_db_defaults_match_the_rules() -> None:
    """条例第三十三条 example and 2026 facts, with the calendar loaded from the DB."""
    assert add_workdays(date(2024, 9, 27), 20).value == date(2024, 10, 30)
    assert workdays_between(date(2024, 9, 27), date(2024, 10, 30)).value == 20
    assert is_workday(date(2026, 1, 4))
    assert not is_workday(date(2026, 2, 16))
    assert is_workday(date(2026, 10, 10))


def test_long_period_loads_every_year_it_needs() -> None:
    start = date(2004, 1, 1)
    result = add_workdays(start, 10_000)
    full = load_calendar(range(2004, 2100))
    assert result == add_workdays(start, 10_000, full)
    assert workdays_between(start, result.value).value == 10_000


# --- arrangement_save -------------------------------------------------------------------------


def test_saving_2027_makes_2027_computations_final() -> None:
    before = add_workdays(date(2026, 12, 20), 20)
    assert before.missing_years == (2027,)

    arrangement = save_2027()

    assert arrangement.title == "国务院办公厅关于2027年部分节假日安排的通知"
    after = add_workdays(date(2026, 12, 20), 20)
    assert not after.provisional
    assert not is_workday(date(2027, 2, 8))  # 春节 Monday
    assert is_workday(date(2027, 2, 20))  # make-up Saturday
    assert workdays_between(date(2026, 12, 20), after.value).value == 20


def test_saving_again_replaces_the_days() -> None:
    save_2027()
    arrangement = save_2027(holidays=[(date(2027, 1, 1), "元旦")], makeup_workdays=[])
    assert list(arrangement.days.values_list("date", "kind")) == [
        (date(2027, 1, 1), DayKind.HOLIDAY)
    ]
    assert HolidayArrangement.objects.filter(year=2027).count() == 1


def test_saving_is_audited() -> None:
    from gongkai.audit.models import AuditEvent

    arrangement = save_2027()
    event = AuditEvent.objects.get(verb="calendar.arrangement_saved")
    assert event.object_id == str(arrangement.pk)
    assert event.after is not None
    assert event.after["year"] == 2027
    assert event.after["holidays"] == len(HOLIDAYS_2027)
    assert event.after["makeup_workdays"] == 1


def test_makeup_day_must_be_a_weekend() -> None:
    """调休上班 moves work onto a Saturday or Sunday; a weekday is a workday anyway."""
    with pytest.raises(ValidationError) as excinfo:
        save_2027(makeup_workdays=[(date(2027, 2, 22), "春节")])  # Monday
    assert "不是星期六或星期日" in " ".join(excinfo.value.messages)
    assert not HolidayArrangement.objects.filter(year=2027).exists()


def test_dates_must_be_in_the_year() -> None:
    with pytest.raises(ValidationError) as excinfo:
        save_2027(holidays=[(date(2026, 12, 31), "元旦")])
    assert "2026-12-31" in " ".join(excinfo.value.messages)
    assert "不在 2027 年内" in " ".join(excinfo.value.messages)


def test_a_day_cannot_be_both_off_and_makeup() -> None:
    with pytest.raises(ValidationError, match="不能同时"):
        save_2027(holidays=[(date(2027, 2, 20), "春节")])


def test_holiday_on_a_weekend_is_allowed() -> None:
    arrangement = save_2027(holidays=[(date(2027, 2, 6), "春节")])  # Saturday
    assert arrangement.days.filter(kind=DayKind.HOLIDAY).count() == 1


def test_calendar_day_clean_checks_the_year() -> None:
    arrangement = HolidayArrangement.objects.get(year=2026)
    day = CalendarDay(arrangement=arrangement, date=date(2027, 1, 2), kind=DayKind.HOLIDAY)
    with pytest.raises(ValidationError) as excinfo:
        day.full_clean()
    assert "date" in excinfo.value.message_dict


# --- reminder ---------------------------------------------------------------------------------


def test_next_year_missing_reads_the_db() -> None:
    assert next_year_arrangement_missing(date(2026, 11, 1)) == 2027
    assert next_year_arrangement_missing(date(2026, 10, 31)) is None
    save_2027()
    assert next_year_arrangement_missing(date(2026, 11, 1)) is None


def test_task_warns_from_november(caplog: pytest.LogCaptureFixture) -> None:
    with (
        time_machine.travel("2026-11-02 09:00 +0800", tick=False),
        caplog.at_level(logging.WARNING, logger="gongkai.core.tasks"),
    ):
        assert check_holiday_arrangement.call_local() == 2027
    assert any("2027年" in r.getMessage() for r in caplog.records)


def test_task_is_quiet_before_november(caplog: pytest.LogCaptureFixture) -> None:
    with (
        time_machine.travel("2026-10-15 09:00 +0800", tick=False),
        caplog.at_level(logging.WARNING, logger="gongkai.core.tasks"),
    ):
        assert check_holiday_arrangement.call_local() is None
    assert not caplog.records
