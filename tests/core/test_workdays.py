"""Working-day arithmetic on the pure Calendar (RULES.md §6), no database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from chinese_calendar.constants import holidays as CC_HOLIDAYS
from chinese_calendar.constants import workdays as CC_WORKDAYS
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.workdays import (
    Calendar,
    WorkdayCount,
    WorkdayResult,
    add_workdays,
    missing_years_between,
    next_year_arrangement_missing,
    parse_day_lines,
    provisional_warning,
    workdays_between,
)

ONE_DAY = timedelta(days=1)
OFFICIAL = Calendar(
    known_years=frozenset(range(2004, 2027)),
    holidays=frozenset(CC_HOLIDAYS),
    makeup_workdays=frozenset(CC_WORKDAYS),
)
known_dates = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31))
period = st.integers(min_value=0, max_value=400)


# --- legal examples ---------------------------------------------------------------------------


def test_national_day_2024_twenty_workdays() -> None:
    """条例第三十三条 20 个工作日: received Fri 2024-09-27, the 国庆 break 10/1–10/7 does not
    count, the make-up Sunday 9/29 and Saturday 10/12 do: due 2024-10-30."""
    result = add_workdays(date(2024, 9, 27), 20, OFFICIAL)
    assert result == WorkdayResult(date(2024, 10, 30), ())
    assert not result.provisional
    assert result.warning == ""
    assert workdays_between(date(2024, 9, 27), date(2024, 10, 30), OFFICIAL) == WorkdayCount(20)


def test_day_one_is_first_workday_after_receipt() -> None:
    """条例第三十三条: day 1 is the first workday after receipt, here the make-up Sunday."""
    assert add_workdays(date(2024, 9, 27), 1, OFFICIAL).value == date(2024, 9, 29)
    assert add_workdays(date(2024, 3, 4), 1, OFFICIAL).value == date(2024, 3, 5)
    # Received on a Friday before an ordinary weekend: day 1 is Monday.
    assert add_workdays(date(2024, 3, 8), 1, OFFICIAL).value == date(2024, 3, 11)


def test_zero_days_is_the_start_date_itself() -> None:
    assert add_workdays(date(2024, 10, 1), 0, OFFICIAL) == WorkdayResult(date(2024, 10, 1))


def test_negative_period_is_refused() -> None:
    with pytest.raises(ValueError):
        add_workdays(date(2024, 10, 1), -1, OFFICIAL)


def test_between_is_zero_when_end_not_after_start() -> None:
    assert workdays_between(date(2024, 10, 30), date(2024, 9, 27), OFFICIAL).value == 0
    assert workdays_between(date(2024, 10, 30), date(2024, 10, 30), OFFICIAL).value == 0


@pytest.mark.parametrize(
    "day", ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]
)
def test_2026_makeup_weekend_days_are_workdays(day: str) -> None:
    """2026 notice: the six 调休上班 weekend days are workdays."""
    d = date.fromisoformat(day)
    assert d.weekday() >= 5
    assert OFFICIAL.is_workday(d)


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("2026-01-01", "2026-01-03"),
        ("2026-02-15", "2026-02-23"),
        ("2026-04-04", "2026-04-06"),
        ("2026-05-01", "2026-05-05"),
        ("2026-06-19", "2026-06-21"),
        ("2026-09-25", "2026-09-27"),
        ("2026-10-01", "2026-10-07"),
    ],
)
def test_2026_days_off_are_not_workdays(first: str, last: str) -> None:
    """2026 notice: every day of each 放假 range is a rest day (e.g. Mon 2026-02-16)."""
    d, end = date.fromisoformat(first), date.fromisoformat(last)
    while d <= end:
        assert not OFFICIAL.is_workday(d), d
        d += ONE_DAY


def test_unknown_year_uses_weekends_and_fixed_statutory_dates() -> None:
    """《全国年节及纪念日放假办法》(2024): without the notice only 1/1, 5/1–2, 10/1–3 are known."""
    assert not OFFICIAL.is_workday(date(2027, 1, 1))  # Friday, 元旦
    assert not OFFICIAL.is_workday(date(2027, 1, 2))  # Saturday
    assert not OFFICIAL.is_workday(date(2027, 10, 1))
    assert OFFICIAL.is_workday(date(2027, 5, 3))  # Monday: the real arrangement may differ
    assert OFFICIAL.is_workday(date(2027, 2, 8))  # 春节 2027 cannot be known without the notice


def test_range_into_unknown_year_is_provisional_and_names_it() -> None:
    """A deadline reaching into a year without an arrangement is only provisional."""
    result = add_workdays(date(2026, 12, 20), 20, OFFICIAL)
    assert result.value == date(2027, 1, 18)
    assert result.missing_years == (2027,)
    assert result.provisional
    assert "2027年" in result.warning
    count = workdays_between(date(2026, 12, 20), date(2027, 1, 18), OFFICIAL)
    assert count == WorkdayCount(20, (2027,))


def test_warning_lists_every_missing_year() -> None:
    assert provisional_warning([2028, 2027, 2027]).startswith("2027年、2028年的节假日安排尚未录入")
    assert provisional_warning([]) == ""


def test_missing_years_excludes_the_start_day() -> None:
    """The start date itself is not part of the period, so its year is not needed."""
    cal = Calendar(known_years=frozenset({2027}))
    assert missing_years_between(date(2026, 12, 31), date(2027, 3, 1), cal) == ()
    assert missing_years_between(date(2026, 12, 30), date(2027, 3, 1), cal) == (2026,)
    assert missing_years_between(date(2027, 3, 1), date(2027, 3, 1), cal) == ()


def test_very_long_period() -> None:
    start = date(2004, 1, 1)
    result = add_workdays(start, 10_000, OFFICIAL)
    assert workdays_between(start, result.value, OFFICIAL).value == 10_000
    assert result.missing_years == tuple(range(2027, result.value.year + 1))


# --- properties -------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(start=known_dates, n=period)
def test_add_and_between_are_inverse(start: date, n: int) -> None:
    """workdays_between(a, add_workdays(a, n)) == n, and the result is the n-th, not later."""
    end = add_workdays(start, n, OFFICIAL).value
    assert workdays_between(start, end, OFFICIAL).value == n
    if n:
        assert workdays_between(start, end - ONE_DAY, OFFICIAL).value == n - 1


@settings(max_examples=200, deadline=None)
@given(start=known_dates, n=st.integers(min_value=1, max_value=400))
def test_result_is_never_a_rest_day(start: date, n: int) -> None:
    """Holidays never count; a weekend result must be a 调休 make-up workday."""
    end = add_workdays(start, n, OFFICIAL).value
    assert end not in OFFICIAL.holidays
    if end.weekday() >= 5:
        assert end in OFFICIAL.makeup_workdays


@given(day=st.sampled_from(sorted(CC_WORKDAYS)))
def test_makeup_days_are_counted(day: date) -> None:
    """调休上班: a make-up weekend day is a workday and is counted by between()."""
    assert day.weekday() >= 5
    assert OFFICIAL.is_workday(day)
    assert workdays_between(day - ONE_DAY, day, OFFICIAL).value == 1


@given(day=st.sampled_from(sorted(CC_HOLIDAYS)))
def test_holidays_are_never_counted(day: date) -> None:
    assert not OFFICIAL.is_workday(day)
    assert workdays_between(day - ONE_DAY, day, OFFICIAL).value == 0


@settings(max_examples=200, deadline=None)
@given(start=known_dates, n=period)
def test_provisional_iff_range_leaves_known_years(start: date, n: int) -> None:
    result = add_workdays(start, n, OFFICIAL)
    assert result.provisional == (result.value.year > 2026)


@st.composite
def calendars(draw: st.DrawFn) -> Calendar:
    """Arbitrary arrangements: random known years, days off anywhere, make-up days on weekends."""
    years = draw(st.frozensets(st.integers(2030, 2034), max_size=5))
    in_range = st.dates(min_value=date(2030, 1, 1), max_value=date(2034, 12, 31))
    holidays = draw(st.frozensets(in_range, max_size=60))
    weekends = in_range.filter(lambda d: d.weekday() >= 5)
    makeup = draw(st.frozensets(weekends, max_size=20)) - holidays
    return Calendar(frozenset(years), holidays, makeup)


@settings(max_examples=150, deadline=None)
@given(
    cal=calendars(),
    start=st.dates(min_value=date(2030, 1, 1), max_value=date(2033, 12, 31)),
    n=period,
)
def test_properties_hold_for_any_arrangement(cal: Calendar, start: date, n: int) -> None:
    result = add_workdays(start, n, cal)
    assert workdays_between(start, result.value, cal).value == n
    if n:
        assert cal.is_workday(result.value)
    years = range((start + ONE_DAY).year, result.value.year + 1) if n else range(0)
    expected_missing = tuple(y for y in years if y not in cal.known_years)
    assert result.missing_years == expected_missing
    assert result.provisional == bool(expected_missing)
    for d in cal.holidays:
        if d.year in cal.known_years:
            assert not cal.is_workday(d)
    for d in cal.makeup_workdays:
        if d.year in cal.known_years:
            assert cal.is_workday(d)


# --- arrangement reminders --------------------------------------------------------------------


def test_next_year_expected_from_first_of_november() -> None:
    """The notice for next year usually comes in Oct/Nov; from 1 November it is expected."""
    assert next_year_arrangement_missing(date(2026, 10, 31), [2026]) is None
    assert next_year_arrangement_missing(date(2026, 11, 1), [2026]) == 2027
    assert next_year_arrangement_missing(date(2026, 12, 31), [2026, 2027]) is None


def test_current_year_always_expected() -> None:
    assert next_year_arrangement_missing(date(2027, 3, 1), [2026]) == 2027


# --- textarea parser --------------------------------------------------------------------------


def test_parse_single_days_and_ranges() -> None:
    text = "2027-02-06 春节\n\n2027-02-09 至 2027-02-11 春节\n2027-05-01~2027-05-02 劳动节\n"
    assert parse_day_lines(text) == [
        (date(2027, 2, 6), "春节"),
        (date(2027, 2, 9), "春节"),
        (date(2027, 2, 10), "春节"),
        (date(2027, 2, 11), "春节"),
        (date(2027, 5, 1), "劳动节"),
        (date(2027, 5, 2), "劳动节"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "2027-10-01 - 2027-10-03 国庆节",
        "2027-10-01-2027-10-03 国庆节",
        "2027-10-01 — 2027-10-03 国庆节",
        "2027-10-01——2027-10-03 国庆节",
        "２０２７－１０－０１ ～ ２０２７－１０－０３　国庆节",
        "2027年10月1日至2027年10月3日 国庆节",
        "2027/10/1 到 2027/10/3 國慶節",
    ],
)
def test_parse_accepts_common_separators_and_full_width(line: str) -> None:
    days = parse_day_lines(line)
    assert [d for d, _ in days] == [date(2027, 10, 1), date(2027, 10, 2), date(2027, 10, 3)]
    assert {name for _, name in days} == {"国庆节"}


def test_parse_name_is_optional() -> None:
    assert parse_day_lines("2027-01-01") == [(date(2027, 1, 1), "")]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2027-01-01 元旦\n2月6日 春节", "第2行"),
        ("2027-02-30 春节", "日期无效"),
        ("2027-02-13 至 2027-02-06 春节", "结束日期早于开始日期"),
        ("2027-02-06 2027-02-13 春节", "无法识别"),
        ("2027-01-01 元旦\n2027-01-01 元旦", "与第1行重复"),
        ("2027-01-01 至 2027-03-01", "超过31天"),
    ],
)
def test_parse_errors_name_the_line(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        parse_day_lines(text)
    messages = " ".join(excinfo.value.messages)
    assert fragment in messages
    assert "第" in messages
