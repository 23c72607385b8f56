"""gongkai clock — the reply due date of a disclosure application (条例第三十三条).

    gongkai clock --received 2024-02-07 [--correction-received DATE] [--extension]
                  [--excluded START END]... [--explain]

The first line of stdout is the due date (YYYY-MM-DD); `--explain` adds the steps. Warnings go
to stderr. Exit status: 0 ok; 1 bad input; 3 the result is provisional because a year it touches
has no holiday arrangement loaded (the provisional date is still printed).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from gongkai.core.text import normalize
from gongkai.core.workdays import load_calendar
from gongkai.inforequests.clock import ClockResult, compute_due_date
from gongkai.inforequests.clock_events import ClockEvent, Event

EXIT_PROVISIONAL = 3
# Years loaded beyond the last input date; widened if the due date still falls later.
_YEARS_AHEAD = 2
# Input dates must lie within this many years after the receipt date (guards against typos).
MAX_SPAN_YEARS = 10


def _date(value: str) -> date:
    try:
        parsed = parse_date(normalize(value))
    except ValueError:
        parsed = None
    if parsed is None:
        raise CommandError(
            _("日期“%(value)s”无效，格式应为 YYYY-MM-DD，例如 2024-02-07。") % {"value": value}
        )
    return parsed


class Command(BaseCommand):
    help = "按条例第三十三条计算政府信息公开申请的答复期限（20个工作日，可延长20个工作日）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--received", help=_("收到申请之日（YYYY-MM-DD，第三十一条），本身不计入")
        )
        parser.add_argument(
            "--correction-received",
            help=_("收到补正后的申请之日（YYYY-MM-DD）：答复期限自此重新计算（第三十条）"),
        )
        parser.add_argument(
            "--extension",
            action="store_true",
            help=_("经批准延长答复期限 20 个工作日（第三十三条第一款）"),
        )
        parser.add_argument(
            "--excluded",
            nargs=2,
            action="append",
            default=[],
            metavar=("START", "END"),
            help=_(
                "不计入答复期限的征求意见期间（第三十三条第二款）：START 为发出之日（不扣除），"
                "END 为收到答复之日（扣除）；可重复"
            ),
        )
        parser.add_argument("--explain", action="store_true", help=_("列出计算步骤"))

    def _events(self, options: dict[str, Any]) -> list[Event]:
        if not options.get("received"):
            raise CommandError(_("请用 --received 指定收到申请之日，例如 --received 2024-02-07。"))
        received = _date(options["received"])
        events = [Event(ClockEvent.RECEIVED, received)]
        if options.get("correction_received"):
            corrected = _date(options["correction_received"])
            if corrected < received:
                raise CommandError(
                    _("收到补正申请之日（%(corrected)s）不能早于收到申请之日（%(received)s）。")
                    % {"corrected": corrected.isoformat(), "received": received.isoformat()}
                )
            events.append(Event(ClockEvent.CORRECTION_RECEIVED, corrected))
        periods = options.get("excluded") or []
        for number, (raw_start, raw_end) in enumerate(periods, start=1):
            start, end = _date(raw_start), _date(raw_end)
            if end < start:
                raise CommandError(
                    _("排除期间 %(start)s 至 %(end)s 的结束日期早于开始日期。")
                    % {"start": start.isoformat(), "end": end.isoformat()}
                )
            if start < received:
                raise CommandError(
                    _("排除期间的开始日期（%(start)s）不能早于收到申请之日（%(received)s）。")
                    % {"start": start.isoformat(), "received": received.isoformat()}
                )
            # A label per period pairs each start with its own end.
            label = _("第%(n)s段") % {"n": number} if len(periods) > 1 else ""
            events.append(Event(ClockEvent.CONSULTATION_SENT, start, label))
            events.append(Event(ClockEvent.CONSULTATION_ANSWERED, end, label))
        if options.get("extension"):
            # Approved on the start date, so it is neither stale nor late.
            start = max(
                e.on
                for e in events
                if e.kind in (ClockEvent.RECEIVED, ClockEvent.CORRECTION_RECEIVED)
            )
            events.append(Event(ClockEvent.EXTENSION_APPROVED, start))
        latest = max(e.on for e in events)
        if latest.year - received.year > MAX_SPAN_YEARS:
            raise CommandError(
                _("日期 %(date)s 距收到申请之日超过 %(years)s 年，请检查输入。")
                % {"date": latest.isoformat(), "years": MAX_SPAN_YEARS}
            )
        return events

    def _compute(self, events: list[Event]) -> ClockResult:
        first = min(e.on for e in events).year
        last = min(max(e.on for e in events).year + _YEARS_AHEAD, date.max.year)
        while True:
            calendar = load_calendar(range(first, last + 1))
            try:
                result = compute_due_date(events, calendar)
            except OverflowError as exc:
                raise CommandError(_("结果超出可计算的日期范围。")) from exc
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            # Years past `last` were not loaded, so they looked unknown: widen and redo.
            if result.due_on is None or result.due_on.year <= last:
                return result
            last = result.due_on.year + 1

    def handle(self, *args: Any, **options: Any) -> None:
        result = self._compute(self._events(options))
        if result.due_on is None:  # not reachable with these options; kept for safety
            raise CommandError(_("答复期限暂停计算，无法给出日期。"))
        self.stdout.write(result.due_on.isoformat())
        if options.get("explain"):
            for step in result.steps:
                self.stdout.write(step)
        for warning in result.warnings:
            self.stderr.write(warning)
        if result.provisional:
            self.stderr.write(result.provisional_warning)
            self.stdout.flush()
            self.stderr.flush()
            raise SystemExit(EXIT_PROVISIONAL)
