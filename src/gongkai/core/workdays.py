"""Working days (工作日) for the time limits of the 政府信息公开条例 (RULES.md §6).

A working day is Monday–Friday, minus the days off and plus the 调休 make-up weekend days of
the year's 《国务院办公厅关于YYYY年部分节假日安排的通知》. Day 1 of a period is the first
working day after the start date (conservative reading of 条例第三十三条 etc.).

The `Calendar` part is pure; only `load_calendar` and the `calendar=None` defaults touch the DB.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core.text import normalize

# 《全国年节及纪念日放假办法》 (2024 revision, 国务院令第795号): the statutory holidays with a
# fixed solar date. The lunar ones (春节, 清明, 端午, 中秋) and the 调休 make-up days cannot be
# known before the State Council publishes the year's notice.
FIXED_STATUTORY_HOLIDAYS: frozenset[tuple[int, int]] = frozenset(
    {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}
)

ONE_DAY = timedelta(days=1)
# A year never has fewer than 200 working days, so this many years always covers n days.
_MIN_WORKDAYS_PER_YEAR = 200
# Longest day range accepted on one line of `parse_day_lines` (2020's extended 春节 was 10).
MAX_RANGE_DAYS = 31


@dataclass(frozen=True)
class Calendar:
    """Loaded arrangements: the years they cover, their days off and make-up workdays."""

    known_years: frozenset[int] = frozenset()
    holidays: frozenset[date] = frozenset()
    makeup_workdays: frozenset[date] = frozenset()

    def knows(self, year: int) -> bool:
        return year in self.known_years

    def is_workday(self, d: date) -> bool:
        if d.year in self.known_years:
            if d in self.holidays:
                return False
            if d in self.makeup_workdays:
                return True
            return d.weekday() < 5
        # Provisional: weekends and fixed-date statutory holidays only.
        return d.weekday() < 5 and (d.month, d.day) not in FIXED_STATUTORY_HOLIDAYS

    def missing_years(self, a: date, b: date) -> tuple[int, ...]:
        return missing_years_between(a, b, self)


def provisional_warning(missing_years: Iterable[int]) -> str:
    years = sorted(set(missing_years))
    if not years:
        return ""
    # Translators: a year in a list of years, e.g. 2027年.
    year_label = _("%(year)s年")
    # Translators: the separator between the years of a list, e.g. 2027年、2028年.
    named = _("、").join(year_label % {"year": y} for y in years)
    return _("%(years)s的节假日安排尚未录入，结果为暂定：仅按周末和固定日期节日推算。") % {
        "years": named
    }


@dataclass(frozen=True)
class WorkdayResult:
    value: date
    missing_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.missing_years)

    @property
    def warning(self) -> str:
        return provisional_warning(self.missing_years)


@dataclass(frozen=True)
class WorkdayCount:
    value: int
    missing_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.missing_years)

    @property
    def warning(self) -> str:
        return provisional_warning(self.missing_years)


def missing_years_between(a: date, b: date, calendar: Calendar) -> tuple[int, ...]:
    """Sorted years of the days d with a < d <= b that `calendar` has no arrangement for."""
    if b <= a:
        return ()
    first = (a + ONE_DAY).year
    return tuple(y for y in range(first, b.year + 1) if y not in calendar.known_years)


def _add(start: date, n: int, calendar: Calendar) -> WorkdayResult:
    d = start
    remaining = n
    while remaining:
        d += ONE_DAY
        if calendar.is_workday(d):
            remaining -= 1
    return WorkdayResult(d, missing_years_between(start, d, calendar))


def _between(a: date, b: date, calendar: Calendar) -> WorkdayCount:
    count = 0
    d = a + ONE_DAY
    while d <= b:
        if calendar.is_workday(d):
            count += 1
        d += ONE_DAY
    return WorkdayCount(count, missing_years_between(a, b, calendar))


def add_workdays(start: date, n: int, calendar: Calendar | None = None) -> WorkdayResult:
    """The n-th working day after `start` (n == 0: `start` itself)."""
    if n < 0:
        raise ValueError("n must be zero or positive")
    if calendar is not None:
        return _add(start, n, calendar)
    last = min(start.year + n // _MIN_WORKDAYS_PER_YEAR + 2, date.max.year)
    while True:
        result = _add(start, n, load_calendar(range(start.year, last + 1)))
        # Years past `last` were not queried, so they looked unknown: widen and redo.
        if result.value.year <= last:
            return result
        last = result.value.year + 1


def workdays_between(a: date, b: date, calendar: Calendar | None = None) -> WorkdayCount:
    """How many working days d satisfy a < d <= b (0 when b <= a)."""
    if calendar is None:
        calendar = load_calendar(range((a + ONE_DAY).year, b.year + 1)) if b > a else Calendar()
    return _between(a, b, calendar)


def is_workday(d: date, calendar: Calendar | None = None) -> bool:
    if calendar is None:
        calendar = load_calendar([d.year])
    return calendar.is_workday(d)


def load_calendar(years: Iterable[int]) -> Calendar:
    """The arrangements stored for `years` (two queries)."""
    from gongkai.core.constants import DayKind
    from gongkai.core.models import CalendarDay, HolidayArrangement

    wanted = frozenset(years)
    if not wanted:
        return Calendar()
    # A range filter instead of IN (...) keeps long periods under the SQL parameter limit.
    span = (min(wanted), max(wanted))
    known = frozenset(
        y
        for y in HolidayArrangement.objects.filter(year__range=span).values_list("year", flat=True)
        if y in wanted
    )
    holidays: set[date] = set()
    makeup: set[date] = set()
    days = CalendarDay.objects.filter(arrangement__year__range=span).values_list("date", "kind")
    for day, kind in days:
        if day.year in known:
            (makeup if kind == DayKind.MAKEUP_WORKDAY else holidays).add(day)
    return Calendar(known, frozenset(holidays), frozenset(makeup))


def next_year_arrangement_missing(
    today: date, known_years: Iterable[int] | None = None
) -> int | None:
    """The year whose arrangement should already be loaded but is not, else None.

    The notice for next year is usually published in October or November, so from 1 November
    next year is expected; the current year is expected all year round. `known_years` defaults
    to the years stored in the DB.
    """
    expected = [today.year]
    if (today.month, today.day) >= (11, 1):
        expected.append(today.year + 1)
    if known_years is None:
        from gongkai.core.models import HolidayArrangement

        known_years = HolidayArrangement.objects.filter(year__in=expected).values_list(
            "year", flat=True
        )
    known = set(known_years)
    return next((y for y in expected if y not in known), None)


_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_RANGE_SEP = r"(?:至|到|~|〜|-|–|—+)"
_LINE = re.compile(rf"^{_DATE}(?:\s*{_RANGE_SEP}\s*{_DATE})?\s*(?P<name>[^\d\s].*)?$")
_LINE_HELP = gettext_lazy("应为“2027-02-06 春节”或“2027-02-06 至 2027-02-13 春节”")


def _line_error(number: int, message: str) -> ValidationError:
    return ValidationError(
        _("第%(line)s行：%(message)s"), code="bad_line", params={"line": number, "message": message}
    )


def _date(parts: tuple[str | None, ...]) -> date:
    year, month, day = (int(p or 0) for p in parts)
    return date(year, month, day)


def parse_day_lines(text: str) -> list[tuple[date, str]]:
    """Parse a textarea of days: one `date name` or `date 至 date name` per line.

    Full-width digits and punctuation are accepted; blank lines are skipped. Every bad line is
    reported with its line number.
    """
    days: list[tuple[date, str]] = []
    seen: dict[date, int] = {}
    errors: list[ValidationError] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = normalize(raw)
        if not line:
            continue
        match = _LINE.match(line)
        if not match:
            errors.append(
                _line_error(
                    number, _("无法识别“%(line)s”，%(help)s。") % {"line": line, "help": _LINE_HELP}
                )
            )
            continue
        groups = match.groups()
        try:
            first = _date(groups[0:3])
            last = _date(groups[3:6]) if groups[3] else first
        except ValueError:
            errors.append(_line_error(number, _("“%(line)s”中的日期无效。") % {"line": line}))
            continue
        if last < first:
            errors.append(_line_error(number, _("结束日期早于开始日期。")))
            continue
        if (last - first).days >= MAX_RANGE_DAYS:
            errors.append(
                _line_error(number, _("日期范围超过%(max)s天，请检查。") % {"max": MAX_RANGE_DAYS})
            )
            continue
        name = (match.group("name") or "").strip(" -—~:,")
        d = first
        while d <= last:
            if d in seen:
                errors.append(
                    _line_error(
                        number,
                        _("%(date)s 与第%(other)s行重复。")
                        % {"date": d.isoformat(), "other": seen[d]},
                    ),
                )
            else:
                seen[d] = number
                days.append((d, name))
            d += ONE_DAY
    if errors:
        raise ValidationError(errors)
    return days
