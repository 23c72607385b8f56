"""gongkai workdays add|between|is|years — working-day arithmetic from the console.

Exit status: 0 ok; 1 bad input; 3 the result is provisional because a year it touches has no
holiday arrangement loaded (the provisional answer is still printed on stdout).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.dateparse import parse_date

from gongkai.core.constants import DayKind
from gongkai.core.models import HolidayArrangement
from gongkai.core.text import normalize
from gongkai.core.workdays import (
    add_workdays,
    load_calendar,
    next_year_arrangement_missing,
    provisional_warning,
    workdays_between,
)

EXIT_PROVISIONAL = 3
MAX_WORKDAYS = 100_000  # about 400 years; guards against typos


def _date(value: str) -> date:
    try:
        parsed = parse_date(normalize(value))
    except ValueError:
        parsed = None
    if parsed is None:
        raise CommandError(f"日期“{value}”无效，格式应为 YYYY-MM-DD，例如 2024-09-27。")
    return parsed


def _count(value: str) -> int:
    try:
        n = int(normalize(value))
    except ValueError:
        n = -1
    if n < 0:
        raise CommandError(f"工作日数“{value}”无效，应为 0 或正整数。")
    if n > MAX_WORKDAYS:
        raise CommandError(f"工作日数“{value}”过大，最多 {MAX_WORKDAYS}。")
    return n


class Command(BaseCommand):
    help = "按国务院节假日安排计算工作日（含调休上班日，不含周末和法定节假日）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="起算日之后的第 N 个工作日（第1日为起算日后第一个工作日）")
        add.add_argument("start", help="起算日（YYYY-MM-DD），本身不计入")
        add.add_argument("n", help="工作日数")
        between = sub.add_parser("between", help="开始日（不含）至结束日（含）之间的工作日数")
        between.add_argument("start", help="开始日（YYYY-MM-DD），不计入")
        between.add_argument("end", help="结束日（YYYY-MM-DD），计入")
        is_ = sub.add_parser("is", help="某日是工作日还是休息日")
        is_.add_argument("date", help="日期（YYYY-MM-DD）")
        sub.add_parser("years", help="列出已录入节假日安排的年份")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "years":
            self._years()
            return
        missing: tuple[int, ...]
        if action == "add":
            start, n = _date(options["start"]), _count(options["n"])
            try:
                result = add_workdays(start, n)
            except OverflowError as exc:
                raise CommandError("结果超出可计算的日期范围。") from exc
            self.stdout.write(result.value.isoformat())
            missing = result.missing_years
        elif action == "between":
            count = workdays_between(_date(options["start"]), _date(options["end"]))
            self.stdout.write(str(count.value))
            missing = count.missing_years
        else:
            day = _date(options["date"])
            calendar = load_calendar([day.year])
            self.stdout.write("工作日" if calendar.is_workday(day) else "休息日")
            missing = () if calendar.knows(day.year) else (day.year,)
        if missing:
            self.stderr.write(provisional_warning(missing))
            self.stdout.flush()
            self.stderr.flush()
            raise SystemExit(EXIT_PROVISIONAL)

    def _years(self) -> None:
        rows = HolidayArrangement.objects.order_by("year").annotate(
            holidays=Count("days", filter=Q(days__kind=DayKind.HOLIDAY)),
            makeup=Count("days", filter=Q(days__kind=DayKind.MAKEUP_WORKDAY)),
        )
        for row in rows:
            number = f"  {row.document_number}" if row.document_number else ""
            self.stdout.write(f"{row.year}  放假{row.holidays}天  调休上班{row.makeup}天{number}")
        if not rows:
            self.stderr.write("尚未录入任何年份的节假日安排。")
        overdue = next_year_arrangement_missing(timezone.localdate())
        if overdue is not None:
            self.stderr.write(
                f"{overdue}年的节假日安排尚未录入，请在国务院办公厅通知发布后及时录入。"
            )
