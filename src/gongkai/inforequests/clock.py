"""The legal clock of a disclosure application (条例第三十条至第三十四条; RULES.md §1.4, §3, §6).

Pure functions: the due date is derived from the event log (`clock_events.Event`) and a workday
`Calendar` that the caller loads (`gongkai.core.workdays.load_calendar`); nothing here touches the
database. Conventions, shared with `gongkai.core.workdays`:

- A period of n workdays from a date ends on the n-th workday after that date (day 1 is the
  first workday after it).
- An excluded period (consultation, fee) runs from the day an event was sent, which is not
  excluded, to the day it was answered, which is: the workdays d with sent < d <= answered.
- Excluded workdays are skipped while counting the reply period, so they push the due date by
  exactly their number of workdays when they fall inside the period; overlapping exclusions are
  counted once, and exclusions starting after the due date change nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core.workdays import Calendar, add_workdays, provisional_warning, workdays_between
from gongkai.inforequests.channels import Channel
from gongkai.inforequests.clock_events import ClockEvent, ConsultedParty, Event
from gongkai.inforequests.constants import Outcome

__all__ = [
    "CONSULTATION_WORKDAYS",
    "CORRECTION_NOTICE_WORKDAYS",
    "EXTENSION_WORKDAYS",
    "FEE_PAYMENT_WORKDAYS",
    "REPLY_WORKDAYS",
    "ClockEvent",
    "ClockResult",
    "ConsultedParty",
    "Event",
    "Exclusion",
    "PauseReason",
    "compute_due_date",
    "format_day",
    "receipt_date",
]

REPLY_WORKDAYS = 20  # 第三十三条第一款
EXTENSION_WORKDAYS = 20  # 第三十三条第一款：延长的期限最长不得超过20个工作日
CORRECTION_NOTICE_WORKDAYS = 7  # 第三十条：自收到申请之日起7个工作日内一次性告知
CONSULTATION_WORKDAYS = 15  # 第三十二条、第三十四条
FEE_PAYMENT_WORKDAYS = 20  # 国办函〔2020〕109号（四川省通知）：收到通知次日起20个工作日内

ONE_DAY = timedelta(days=1)

_WEEKDAYS = (
    gettext_lazy("星期一"),
    gettext_lazy("星期二"),
    gettext_lazy("星期三"),
    gettext_lazy("星期四"),
    gettext_lazy("星期五"),
    gettext_lazy("星期六"),
    gettext_lazy("星期日"),
)


class PauseReason(models.TextChoices):
    """Why the clock is not running: the applicant has to act first."""

    CORRECTION = "correction", gettext_lazy("等待申请人补正")  # 第三十条
    FEE = "fee", gettext_lazy("等待申请人缴费")  # 国办函〔2020〕109号


@dataclass(frozen=True)
class Exclusion:
    """A period not counted in the reply limit: workdays d with `start` < d <= `end`."""

    start: date
    end: date
    label: str
    basis: str = ""
    # The answer is still outstanding: `end` is the consultation's own deadline.
    planned: bool = False


@dataclass(frozen=True)
class ClockResult:
    """The due date and how it was reached.

    `due_on` is None while the clock is paused (`paused_reason`, with the applicant's deadline in
    `period_ends_on`) or stopped because that deadline passed (`paused_reason` and
    `period_ends_on` as before, and `suggested_outcome` is the 其他处理 row to close with).
    `period_ends_on` also holds the payment deadline of an unpaid fee when the fee period is not
    excluded time. `missing_years` lists the years without a loaded arrangement that the
    computation touched: the result is then provisional (RULES.md §6).
    """

    due_on: date | None
    started_on: date
    steps: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    missing_years: tuple[int, ...] = ()
    overdue: bool | None = None
    paused_reason: PauseReason | None = None
    period_ends_on: date | None = None
    suggested_outcome: Outcome | None = None
    limit_workdays: int = REPLY_WORKDAYS
    excluded_workdays: int = 0
    exclusions: tuple[Exclusion, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.missing_years)

    @property
    def stopped(self) -> bool:
        return self.suggested_outcome is not None

    @property
    def provisional_warning(self) -> str:
        return provisional_warning(self.missing_years)


def format_day(d: date) -> str:
    """A date as shown in steps and letters, e.g. 2024年2月7日（星期三）."""
    # Translators: a date with its weekday, e.g. 2024年2月7日（星期三）.
    return _("%(year)s年%(month)s月%(day)s日（%(weekday)s）") % {
        "year": d.year,
        "month": d.month,
        "day": d.day,
        "weekday": _WEEKDAYS[d.weekday()],
    }


def _short_day(d: date) -> str:
    # Translators: a date without weekday, e.g. 2024年2月7日.
    return _("%(year)s年%(month)s月%(day)s日") % {"year": d.year, "month": d.month, "day": d.day}


# --- 第三十一条: date of receipt ----------------------------------------------------------------


def receipt_date(
    channel: Channel | str,
    *,
    submitted_on: date | None = None,
    signed_on: date | None = None,
    confirmed_on: date | None = None,
    system_received_on: date | None = None,
) -> date:
    """The date an application counts as received (条例第三十一条).

    - 当面提交: the submission date (第三十一条第（一）项).
    - 邮寄: the date the agency signs for it (第三十一条第（二）项).
    - 平信 (no signature): the date the disclosure office confirms receipt with the applicant,
      which it must do on the day the letter arrives (第三十一条第（二）项).
    - 互联网渠道 and 传真: the date both parties confirm (双方确认之日, 第三十一条第（三）项).
    - 电子邮箱: the date the mail system received it (国办公开办函〔2015〕207号).
    - 其他公布的渠道: the date both parties confirm (国办公开办函〔2015〕207号).

    Raises ValueError (Chinese message) when the date the channel needs is missing, or when the
    receipt would precede a given `submitted_on`.
    """
    channel = Channel(channel)
    needed: dict[Channel, tuple[date | None, str]] = {
        Channel.IN_PERSON: (submitted_on, _("提交日期")),
        Channel.POST: (signed_on, _("签收日期")),
        Channel.LETTER: (confirmed_on, _("与申请人确认收到的日期")),
        Channel.ONLINE: (confirmed_on, _("双方确认日期")),
        Channel.FAX: (confirmed_on, _("双方确认日期")),
        Channel.EMAIL: (system_received_on, _("邮件系统收到日期")),
        Channel.OTHER: (confirmed_on, _("双方确认日期")),
    }
    value, what = needed[channel]
    if value is None:
        raise ValueError(
            _("通过“%(channel)s”提交的申请，以%(what)s为收到申请之日，请填写%(what)s。")
            % {"channel": channel.label, "what": what}
        )
    if submitted_on is not None and value < submitted_on:
        raise ValueError(
            _("收到申请之日（%(received)s）不能早于提交日期（%(submitted)s）。")
            % {"received": value.isoformat(), "submitted": submitted_on.isoformat()}
        )
    return value


# --- 第三十条至第三十四条: the reply deadline --------------------------------------------------


def _excluded(d: date, exclusions: Sequence[Exclusion]) -> bool:
    return any(x.start < d <= x.end for x in exclusions)


def _walk(
    start: date, n: int, calendar: Calendar, exclusions: Sequence[Exclusion]
) -> tuple[date, int]:
    """The n-th counted workday after `start`, skipping excluded days; also the excluded count."""
    d = start
    counted = skipped = 0
    while counted < n:
        d += ONE_DAY
        if calendar.is_workday(d):
            if _excluded(d, exclusions):
                skipped += 1
            else:
                counted += 1
    return d, skipped


def _counted(start: date, end: date, calendar: Calendar, exclusions: Sequence[Exclusion]) -> int:
    """Counted (non-excluded) workdays d with start < d <= end."""
    count = 0
    d = start + ONE_DAY
    while d <= end:
        if calendar.is_workday(d) and not _excluded(d, exclusions):
            count += 1
        d += ONE_DAY
    return count


def _calendar_steps(start: date, end: date, calendar: Calendar) -> list[str]:
    """Rest-day runs that contain a weekday (holidays) and weekend make-up days in (start, end]."""
    runs: list[tuple[date, date]] = []
    makeup: list[date] = []
    run_start: date | None = None
    has_weekday = False
    d = start + ONE_DAY
    while d <= end + ONE_DAY:
        rest = d <= end and not calendar.is_workday(d)
        if rest:
            if run_start is None:
                run_start, has_weekday = d, False
            has_weekday = has_weekday or d.weekday() < 5
        else:
            if run_start is not None and has_weekday:
                runs.append((run_start, d - ONE_DAY))
            run_start = None
            if d <= end and d.weekday() >= 5:
                makeup.append(d)
        d += ONE_DAY
    steps: list[str] = []
    if runs:
        # Translators: the separator between the items of a list, e.g. 2月10日至2月17日、4月4日.
        sep = _("、")
        labels = [
            _short_day(a)
            if a == b
            else _("%(a)s至%(b)s") % {"a": _short_day(a), "b": _short_day(b)}
            for a, b in runs
        ]
        steps.append(_("不计入的节假日：%(days)s") % {"days": sep.join(labels)})
    if makeup:
        sep = _("、")
        steps.append(
            _("计入的调休上班日：%(days)s") % {"days": sep.join(format_day(m) for m in makeup)}
        )
    return steps


def _consultation_label(event: Event) -> tuple[str, str]:
    """What a consultation's excluded period is called, and its legal basis."""
    if event.party == ConsultedParty.THIRD_PARTY:
        label, basis = _("征求第三方意见期间"), _("第三十二条、第三十三条第二款")
    elif event.party == ConsultedParty.OTHER_AGENCY:
        label, basis = _("征求其他机关意见期间"), _("第三十四条、第三十三条第二款")
    else:
        label, basis = _("征求意见期间"), _("第三十三条第二款")
    if event.detail:
        label = _("%(label)s（%(detail)s）") % {"label": label, "detail": event.detail}
    return label, basis


def _match_consultation(answer: Event, open_: list[Event]) -> Event | None:
    """The open consultation an answer closes: same party and detail, else same party, else
    (answer without party) the earliest open one."""
    for sent in open_:
        if sent.party == answer.party and sent.detail == answer.detail:
            return sent
    for sent in open_:
        if sent.party == answer.party:
            return sent
    if answer.party is None and open_:
        return open_[0]
    return None


def compute_due_date(
    events: Sequence[Event],
    calendar: Calendar,
    *,
    fee_period_excluded: bool = True,
    today: date | None = None,
) -> ClockResult:
    """The reply due date of an application, derived from its events (条例第三十三条).

    - 第三十三条第一款: reply within 20 workdays of receipt (day 1 = the first workday after
      the start date). The start date is RECEIVED, or the last CORRECTION_RECEIVED: under
      第三十条 the limit restarts from the receipt of the corrected application.
    - 第三十条: the correction notice must come within 7 workdays of receipt and all at once
      (一次性告知); later or repeated notices are warnings. While a correction is pending the
      clock is paused until the applicant's period (`period_workdays` after the notice) ends;
      after that, with no corrected application, the clock stops and the suggested outcome is
      `Outcome.OTHER_NO_CORRECTION` (其他处理1). A CORRECTION_LAPSED event stops it at once.
    - 第三十二条、第三十四条、第三十三条第二款: time spent consulting a third party or another
      agency is not counted. Each consultation is excluded from its sending (not counted) to its
      answer (counted); when the answer is still outstanding, its own 15-workday deadline ends
      the excluded period for planning purposes and a warning says so.
    - 第三十三条第一款: an approved extension adds exactly 20 workdays, once; a second extension
      is reported as a warning and not applied.
    - Fees (国办函〔2020〕109号; RULES.md §3): the applicant pays within 20 workdays from the
      day after receiving the fee notice (the notice date stands for the date of receipt).
      Unpaid after that (or FEE_LAPSED): the clock stops with `Outcome.OTHER_FEE_UNPAID`
      (其他处理2). `fee_period_excluded` decides whether the time from the notice to the
      payment is excluded from the reply limit (default True, and the clock is paused while
      payment is awaited). The national text could not be confirmed (RULES.md §3, "Effect on
      the reply deadline" is UNCONFIRMED), so this is a parameter the caller takes from its
      settings rather than a fixed rule.

    `today`, when given, decides whether an applicant's period has lapsed and whether an
    unreplied application is overdue; a REPLIED event decides overdue by its own date.
    Raises ValueError (Chinese message) when there is no RECEIVED event.
    """
    return _Clock(events, calendar, fee_period_excluded, today).result()


class _Clock:
    """One evaluation of `compute_due_date`: reads the events in date order, then decides."""

    def __init__(
        self,
        events: Sequence[Event],
        calendar: Calendar,
        fee_period_excluded: bool,
        today: date | None,
    ) -> None:
        self.calendar = calendar
        self.fee_period_excluded = fee_period_excluded
        self.today = today
        self.steps: list[str] = []
        self.warnings: list[str] = []
        ordered = sorted(events, key=lambda e: e.on)  # stable: same-day events keep their order
        received = [e for e in ordered if e.kind == ClockEvent.RECEIVED]
        if not received:
            raise ValueError(_("缺少“收到申请”事件，无法计算答复期限（第三十三条）。"))
        self.received_on = self.start = received[0].on
        self.steps.append(_("收到申请：%(date)s") % {"date": format_day(self.received_on)})
        if len(received) > 1:
            self.warnings.append(
                _("记录了多个“收到申请”事件，以最早的 %(date)s 为准。")
                % {"date": _short_day(self.received_on)}
            )
        early = sum(1 for e in ordered if e.on < self.received_on)
        if early:
            self.warnings.append(_("有 %(n)s 个事件早于收到申请之日，已忽略。") % {"n": early})
        self.events = [
            e for e in ordered if e.on >= self.received_on and e.kind != ClockEvent.RECEIVED
        ]
        # Every date the answer depends on; the result is provisional if one is in an unknown year.
        self.touched: list[date] = [self.received_on]
        self.correction_requests = 0
        self.pending_correction: Event | None = None
        self.correction_ends_on: date | None = None
        self.correction_lapsed = False
        self.open_consultations: list[Event] = []
        self.exclusions: list[Exclusion] = []
        self.open_fees: list[tuple[Event, date]] = []
        self.fee_lapsed = False
        self.fee_paid = False
        self.extensions: list[Event] = []
        self.replied: Event | None = None
        handlers = {
            ClockEvent.CORRECTION_REQUESTED: self._correction_requested,
            ClockEvent.CORRECTION_RECEIVED: self._correction_received,
            ClockEvent.CORRECTION_LAPSED: self._correction_lapsed,
            ClockEvent.CONSULTATION_SENT: self.open_consultations.append,
            ClockEvent.CONSULTATION_ANSWERED: self._consultation_answered,
            ClockEvent.FEE_NOTICE_SENT: self._fee_notice_sent,
            ClockEvent.FEE_PAID: self._fee_paid,
            ClockEvent.FEE_LAPSED: self._fee_lapsed,
            ClockEvent.EXTENSION_APPROVED: self.extensions.append,
            ClockEvent.REPLIED: self._replied,
        }
        for event in self.events:
            if event.kind != ClockEvent.REPLIED:
                self.touched.append(event.on)
            handlers[ClockEvent(event.kind)](event)
        self._plan_open_consultations()

    # --- reading the events ---------------------------------------------------------------

    def _add(self, start: date, n: int) -> date:
        value = add_workdays(start, n, self.calendar).value
        self.touched.append(value)
        return value

    def _correction_requested(self, event: Event) -> None:
        self.correction_requests += 1
        if self.correction_requests == 1:
            used = workdays_between(self.received_on, event.on, self.calendar).value
            if used > CORRECTION_NOTICE_WORKDAYS:
                self.warnings.append(
                    _(
                        "补正告知晚于收到申请后第 %(limit)s 个工作日（实为第 %(used)s 个工作日）："
                        "第三十条要求自收到申请之日起 %(limit)s 个工作日内一次性告知。"
                    )
                    % {"limit": CORRECTION_NOTICE_WORKDAYS, "used": used}
                )
        else:
            self.warnings.append(
                _(
                    "%(date)s 再次告知补正：第三十条要求一次性告知需要补正的事项，"
                    "请核实是否属于重复告知。"
                )
                % {"date": _short_day(event.on)}
            )
        self.pending_correction, self.correction_lapsed = event, False
        if event.period_workdays is None:
            self.correction_ends_on = None
            self.steps.append(_("告知补正：%(date)s（第三十条）") % {"date": format_day(event.on)})
            self.warnings.append(
                _("%(date)s 的补正告知未载明补正期限：第三十条要求给予合理的补正期限。")
                % {"date": _short_day(event.on)}
            )
            return
        self.correction_ends_on = self._add(event.on, event.period_workdays)
        self.steps.append(
            _("告知补正：%(date)s，补正期限 %(n)s 个工作日，至 %(end)s（第三十条）")
            % {
                "date": format_day(event.on),
                "n": event.period_workdays,
                "end": format_day(self.correction_ends_on),
            }
        )

    def _correction_received(self, event: Event) -> None:
        if self.correction_ends_on is not None and event.on > self.correction_ends_on:
            self.warnings.append(
                _("补正申请于 %(date)s 收到，晚于补正期限 %(end)s。")
                % {"date": _short_day(event.on), "end": _short_day(self.correction_ends_on)}
            )
        self.start = event.on
        self.pending_correction, self.correction_ends_on = None, None
        self.correction_lapsed = False
        self.steps.append(
            _("收到补正后的申请：%(date)s，答复期限自此重新计算（第三十条）")
            % {"date": format_day(event.on)}
        )

    def _correction_lapsed(self, event: Event) -> None:
        if self.pending_correction is None:
            self.warnings.append(
                _("%(date)s 记录了逾期未补正，但此前没有待补正的告知，已忽略。")
                % {"date": _short_day(event.on)}
            )
            return
        if self.correction_ends_on is not None and event.on <= self.correction_ends_on:
            self.warnings.append(
                _("%(date)s 记录逾期未补正时，补正期限（至 %(end)s）尚未届满。")
                % {"date": _short_day(event.on), "end": _short_day(self.correction_ends_on)}
            )
        self.correction_lapsed = True

    def _consultation_answered(self, event: Event) -> None:
        sent = _match_consultation(event, self.open_consultations)
        if sent is None:
            self.warnings.append(
                _("%(date)s 收到征求意见答复，但没有对应的发出记录，已忽略。")
                % {"date": _short_day(event.on)}
            )
            return
        self.open_consultations.remove(sent)
        label, basis = _consultation_label(sent)
        deadline = add_workdays(sent.on, CONSULTATION_WORKDAYS, self.calendar).value
        if event.on > deadline:
            self.warnings.append(
                _(
                    "%(label)s：答复于 %(date)s 收到，晚于发出后 %(n)s 个工作日"
                    "（%(deadline)s），超出部分是否扣除请核实。"
                )
                % {
                    "label": label,
                    "date": _short_day(event.on),
                    "n": CONSULTATION_WORKDAYS,
                    "deadline": _short_day(deadline),
                }
            )
        self.exclusions.append(Exclusion(sent.on, event.on, label, basis))

    def _plan_open_consultations(self) -> None:
        """An unanswered consultation is excluded until its own 15-workday deadline."""
        for sent in self.open_consultations:
            deadline = self._add(sent.on, CONSULTATION_WORKDAYS)
            label, basis = _consultation_label(sent)
            self.exclusions.append(Exclusion(sent.on, deadline, label, basis, planned=True))
            self.warnings.append(
                _(
                    "%(label)s：尚未收到答复，暂按发出后 %(n)s 个工作日的征求意见期限"
                    "（至 %(end)s）推算排除期间，收到答复后答复期限将重新计算。"
                )
                % {"label": label, "n": CONSULTATION_WORKDAYS, "end": _short_day(deadline)}
            )
            if self.today is None or self.today <= deadline:
                continue
            if sent.party == ConsultedParty.OTHER_AGENCY:
                self.warnings.append(
                    _("被征求意见的机关逾期未提出意见，视为同意公开（第三十四条）。")
                )
            else:
                self.warnings.append(
                    _("第三方逾期未提出意见，由行政机关依照条例规定决定是否公开（第三十二条）。")
                )

    def _fee_notice_sent(self, event: Event) -> None:
        pay_by = self._add(event.on, FEE_PAYMENT_WORKDAYS)
        self.open_fees.append((event, pay_by))
        self.fee_lapsed = False
        self.steps.append(
            _(
                "发出收费通知：%(date)s，申请人应于收到通知次日起 %(n)s 个工作日内"
                "（至 %(end)s）缴费（国办函〔2020〕109号）"
            )
            % {"date": format_day(event.on), "n": FEE_PAYMENT_WORKDAYS, "end": format_day(pay_by)}
        )

    def _fee_paid(self, event: Event) -> None:
        if not self.open_fees:
            self.warnings.append(
                _("%(date)s 记录了缴费，但没有对应的收费通知，已忽略。")
                % {"date": _short_day(event.on)}
            )
            return
        notice, pay_by = self.open_fees.pop(0)
        self.fee_paid = True
        self.steps.append(_("申请人缴费：%(date)s") % {"date": format_day(event.on)})
        if event.on > pay_by:
            self.warnings.append(
                _("申请人于 %(date)s 缴费，晚于缴费期限 %(end)s。")
                % {"date": _short_day(event.on), "end": _short_day(pay_by)}
            )
        if self.fee_period_excluded:
            self.exclusions.append(
                Exclusion(
                    notice.on,
                    event.on,
                    _("收费通知至缴费期间"),
                    _("国办函〔2020〕109号，按设定不计入答复期限"),
                )
            )

    def _fee_lapsed(self, event: Event) -> None:
        if not self.open_fees:
            self.warnings.append(
                _("%(date)s 记录了逾期未缴费，但没有待缴费的收费通知，已忽略。")
                % {"date": _short_day(event.on)}
            )
            return
        self.fee_lapsed = True

    def _replied(self, event: Event) -> None:
        if self.replied is None:
            self.replied = event

    # --- deciding ---------------------------------------------------------------------------

    def _result(
        self,
        due_on: date | None,
        *,
        overdue: bool | None = None,
        paused_reason: PauseReason | None = None,
        period_ends_on: date | None = None,
        suggested_outcome: Outcome | None = None,
        limit_workdays: int = REPLY_WORKDAYS,
        excluded_workdays: int = 0,
    ) -> ClockResult:
        return ClockResult(
            due_on=due_on,
            started_on=self.start,
            steps=self.steps,
            warnings=self.warnings,
            missing_years=self.calendar.missing_years(self.received_on, max(self.touched)),
            overdue=overdue,
            paused_reason=paused_reason,
            period_ends_on=period_ends_on,
            suggested_outcome=suggested_outcome,
            limit_workdays=limit_workdays,
            excluded_workdays=excluded_workdays,
            exclusions=tuple(self.exclusions),
        )

    def result(self) -> ClockResult:
        if self.pending_correction is not None:
            return self._waiting_for_correction()
        fee_ends_on: date | None = None
        if self.open_fees:
            notice, fee_ends_on = self.open_fees[-1]
            if self.fee_lapsed or (self.today is not None and self.today > fee_ends_on):
                self.steps.append(
                    _(
                        "缴费期限届满，申请人未缴费：视为放弃申请，行政机关不再处理，"
                        "建议按“其他处理2”办结（国办函〔2020〕109号）"
                    )
                )
                return self._result(
                    None,
                    paused_reason=PauseReason.FEE,
                    period_ends_on=fee_ends_on,
                    suggested_outcome=Outcome.OTHER_FEE_UNPAID,
                )
            if self.fee_period_excluded:
                used = _counted(self.start, notice.on, self.calendar, self.exclusions)
                self.steps.append(
                    _(
                        "等待申请人缴费，缴费期限至 %(end)s；答复期限暂停计算，已计 %(used)s "
                        "个工作日（国办函〔2020〕109号，按设定不计入答复期限）"
                    )
                    % {"end": format_day(fee_ends_on), "used": used}
                )
                return self._result(None, paused_reason=PauseReason.FEE, period_ends_on=fee_ends_on)
        if not self.fee_period_excluded and (self.fee_paid or self.open_fees):
            self.steps.append(_("收费通知至缴费期间按设定计入答复期限（国办函〔2020〕109号）"))
        return self._running(fee_ends_on)

    def _waiting_for_correction(self) -> ClockResult:
        """第三十条: paused until the corrected application arrives; stopped when it lapses."""
        end = self.correction_ends_on
        if self.correction_lapsed or (
            self.today is not None and end is not None and self.today > end
        ):
            self.steps.append(
                _(
                    "补正期限届满，未收到补正：视为放弃申请，行政机关不再处理，"
                    "建议按“其他处理1”办结（第三十条）"
                )
            )
            return self._result(
                None,
                paused_reason=PauseReason.CORRECTION,
                period_ends_on=end,
                suggested_outcome=Outcome.OTHER_NO_CORRECTION,
            )
        if end is None:
            self.steps.append(
                _("等待申请人补正；答复期限自收到补正后的申请之日起重新计算（第三十条）")
            )
        else:
            self.steps.append(
                _(
                    "等待申请人补正，补正期限至 %(end)s；"
                    "答复期限自收到补正后的申请之日起重新计算（第三十条）"
                )
                % {"end": format_day(end)}
            )
        return self._result(None, paused_reason=PauseReason.CORRECTION, period_ends_on=end)

    def _running(self, fee_ends_on: date | None) -> ClockResult:
        """第三十三条: 20 workdays (+20 once), skipping the excluded workdays."""
        start, calendar = self.start, self.calendar
        self.steps.append(
            _("第1个工作日：%(date)s")
            % {"date": format_day(add_workdays(start, 1, calendar).value)}
        )
        # An exclusion that ended before the (restarted) start date does not matter.
        for x in self.exclusions:
            if x.end <= start:
                self.warnings.append(
                    _("%(label)s（%(a)s至%(b)s）早于答复期限起算日，不予扣除。")
                    % {"label": x.label, "a": _short_day(x.start), "b": _short_day(x.end)}
                )
        self.exclusions = sorted(
            (x for x in self.exclusions if x.end > start), key=lambda x: (x.start, x.end)
        )
        limit = REPLY_WORKDAYS
        extension = self._extension(_walk(start, limit, calendar, self.exclusions)[0])
        if extension is not None:
            limit += EXTENSION_WORKDAYS
        due, skipped = _walk(start, limit, calendar, self.exclusions)
        self.touched.append(due)

        self.steps.extend(_calendar_steps(start, due, calendar))
        self._exclusion_steps(due)
        if extension is not None:
            self.steps.append(
                _("经批准延长 %(n)s 个工作日（%(date)s批准，第三十三条第一款）")
                % {"n": EXTENSION_WORKDAYS, "date": _short_day(extension.on)}
            )
        if skipped:
            self.steps.append(
                _(
                    "答复期限：%(date)s，即扣除 %(skipped)s 个工作日后的第 %(n)s 个工作日"
                    "（第三十三条）"
                )
                % {"date": format_day(due), "n": limit, "skipped": skipped}
            )
        else:
            self.steps.append(
                _("答复期限：%(date)s，即第 %(n)s 个工作日（第三十三条）")
                % {"date": format_day(due), "n": limit}
            )
        for notice in self.events:
            if notice.kind == ClockEvent.FEE_NOTICE_SENT and notice.on > due:
                self.warnings.append(
                    _(
                        "收费通知于 %(date)s 发出，晚于答复期限 %(due)s：收费通知应在答复期限内发出。"
                    )
                    % {"date": _short_day(notice.on), "due": _short_day(due)}
                )
        return self._result(
            due,
            overdue=self._overdue(due),
            period_ends_on=fee_ends_on,
            limit_workdays=limit,
            excluded_workdays=skipped,
        )

    def _extension(self, base_due: date) -> Event | None:
        """第三十三条第一款: the first extension approved on or after the start date, once."""
        applied: Event | None = None
        for ext in self.extensions:
            if ext.on < self.start:
                self.warnings.append(
                    _("%(date)s 批准的延长早于答复期限重新起算日，已不适用。")
                    % {"date": _short_day(ext.on)}
                )
            elif applied is None:
                applied = ext
                if ext.on > base_due:
                    self.warnings.append(
                        _(
                            "延长答复期限于 %(date)s 批准，晚于原答复期限 %(due)s："
                            "应在原期限内决定并告知申请人。"
                        )
                        % {"date": _short_day(ext.on), "due": _short_day(base_due)}
                    )
            else:
                self.warnings.append(
                    _(
                        "%(date)s 再次批准延长，不予计入：第三十三条规定延长的期限最长不得超过 "
                        "%(n)s 个工作日。"
                    )
                    % {"date": _short_day(ext.on), "n": EXTENSION_WORKDAYS}
                )
        return applied

    def _exclusion_steps(self, due: date) -> None:
        """One step per exclusion with the workdays it removed; overlaps are counted once."""
        seen: list[Exclusion] = []
        for x in self.exclusions:
            own = overlap = 0
            d = max(x.start, self.start) + ONE_DAY
            while d <= min(x.end, due):
                if self.calendar.is_workday(d):
                    if _excluded(d, seen):
                        overlap += 1
                    else:
                        own += 1
                d += ONE_DAY
            seen.append(x)
            if x.start >= due:
                self.warnings.append(
                    _("%(label)s始于答复期限之后（%(date)s），不影响答复期限。")
                    % {"label": x.label, "date": _short_day(x.start)}
                )
                continue
            line = _("排除%(label)s %(a)s至%(b)s") % {
                "label": x.label,
                "a": _short_day(x.start),
                "b": _short_day(x.end),
            }
            if x.planned:
                line += _("（尚未答复，按征求意见期限推算）")
            line += _("，共 %(n)s 个工作日") % {"n": own}
            if overlap:
                line += _("，另有 %(n)s 个工作日与其他排除期间重叠，不重复计算") % {"n": overlap}
            if x.basis:
                line += _("（%(basis)s）") % {"basis": x.basis}
            self.steps.append(line)

    def _overdue(self, due: date) -> bool | None:
        if self.replied is not None:
            if self.replied.on <= due:
                return False
            late = workdays_between(due, self.replied.on, self.calendar).value
            self.warnings.append(
                _("答复于 %(date)s 作出，晚于答复期限 %(due)s，超期 %(n)s 个工作日。")
                % {"date": _short_day(self.replied.on), "due": _short_day(due), "n": late}
            )
            return True
        if self.today is None:
            return None
        if self.today <= due:
            return False
        self.warnings.append(_("已超过答复期限 %(due)s，尚未答复。") % {"due": _short_day(due)})
        return True
