"""The legal clock of an application (条例第三十条至第三十四条), pure: no database.

The calendar is the official one for 2004–2026 as seeded from `chinese_calendar`.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from chinese_calendar.constants import holidays as CC_HOLIDAYS
from chinese_calendar.constants import workdays as CC_WORKDAYS
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.workdays import Calendar, add_workdays, workdays_between
from gongkai.inforequests.channels import Channel
from gongkai.inforequests.clock import (
    CONSULTATION_WORKDAYS,
    FEE_PAYMENT_WORKDAYS,
    ClockResult,
    PauseReason,
    compute_due_date,
    format_day,
    receipt_date,
)
from gongkai.inforequests.clock_events import ClockEvent, ConsultedParty, Event
from gongkai.inforequests.constants import Outcome

OFFICIAL = Calendar(
    known_years=frozenset(range(2004, 2027)),
    holidays=frozenset(CC_HOLIDAYS),
    makeup_workdays=frozenset(CC_WORKDAYS),
)
ONE_DAY = timedelta(days=1)
D = date.fromisoformat
E = ClockEvent


def received(day: str) -> Event:
    return Event(E.RECEIVED, D(day))


def consultation(
    sent: str, answered: str | None, party: ConsultedParty | None = ConsultedParty.THIRD_PARTY
) -> list[Event]:
    events = [Event(E.CONSULTATION_SENT, D(sent), "甲公司", party)]
    if answered is not None:
        events.append(Event(E.CONSULTATION_ANSWERED, D(answered), "甲公司", party))
    return events


def due(
    events: list[Event], *, fee_period_excluded: bool = True, today: date | None = None
) -> ClockResult:
    return compute_due_date(events, OFFICIAL, fee_period_excluded=fee_period_excluded, today=today)


# --- 第三十三条: the worked example -------------------------------------------------------------


def test_worked_example_2024_02_07_spring_festival() -> None:
    """第三十三条第一款, 20 workdays from Wed 2024-02-07 (春节 2024: 2/10–2/17 off, make-up
    Sundays 2/4 and 2/18). By hand, day 1 is the first workday after receipt:

        2/8 Thu = 1, 2/9 Fri = 2, (2/10–2/17 off), 2/18 Sun make-up = 3,
        2/19–2/23 = 4–8, 2/26–3/1 = 9–13, 3/4–3/8 = 14–18, 3/11 = 19, 3/12 Tue = 20.
    """
    result = due([received("2024-02-07")])
    assert result.due_on == D("2024-03-12")
    assert result.started_on == D("2024-02-07")
    assert result.limit_workdays == 20
    assert result.excluded_workdays == 0
    assert result.missing_years == ()
    assert result.warnings == []
    assert result.overdue is None
    assert result.paused_reason is None
    assert result.suggested_outcome is None
    assert result.steps == [
        "收到申请：2024年2月7日（星期三）",
        "第1个工作日：2024年2月8日（星期四）",
        "不计入的节假日：2024年2月10日至2024年2月17日",
        "计入的调休上班日：2024年2月18日（星期日）",
        "答复期限：2024年3月12日（星期二），即第 20 个工作日（第三十三条）",
    ]


def test_format_day_names_the_weekday() -> None:
    assert format_day(D("2024-02-18")) == "2024年2月18日（星期日）"


def test_receipt_on_friday_day_one_is_make_up_sunday() -> None:
    """第三十三条: received Fri 2024-09-27, day 1 is the make-up Sunday 9/29; due 2024-10-30."""
    result = due([received("2024-09-27")])
    assert result.due_on == D("2024-10-30")
    assert "第1个工作日：2024年9月29日（星期日）" in result.steps


def test_no_received_event_is_refused() -> None:
    """第三十三条: the limit runs from receipt; without it there is nothing to compute."""
    with pytest.raises(ValueError, match="收到申请"):
        due([Event(E.EXTENSION_APPROVED, D("2024-02-07"))])


def test_earliest_receipt_counts_and_earlier_events_are_ignored() -> None:
    result = due(
        [
            received("2024-02-08"),
            received("2024-02-07"),
            Event(E.EXTENSION_APPROVED, D("2024-02-01")),
        ]
    )
    assert result.due_on == D("2024-03-12")
    assert len(result.warnings) == 2


def test_provisional_when_the_period_reaches_an_unknown_year() -> None:
    """RULES.md §6: no 2027 arrangement loaded, so the date is provisional and says so."""
    result = due([received("2026-12-07")])
    assert result.due_on == D("2027-01-05")
    assert result.missing_years == (2027,)
    assert result.provisional
    assert "2027年" in result.provisional_warning


# --- 第三十条: correction ---------------------------------------------------------------------


def test_correction_restarts_the_limit() -> None:
    """第三十条: the limit restarts from receipt of the corrected application (Tue 2024-02-20):
    2/21–2/23 = 1–3, 2/26–3/1 = 4–8, 3/4–3/8 = 9–13, 3/11–3/15 = 14–18, 3/18 = 19, 3/19 = 20."""
    result = due(
        [
            received("2024-02-07"),
            Event(E.CORRECTION_REQUESTED, D("2024-02-08"), period_workdays=10),
            Event(E.CORRECTION_RECEIVED, D("2024-02-20")),
        ]
    )
    assert result.due_on == D("2024-03-19")
    assert result.started_on == D("2024-02-20")
    assert result.warnings == []
    assert "第1个工作日：2024年2月21日（星期三）" in result.steps
    assert any("重新计算" in s for s in result.steps)


def test_last_corrected_application_counts() -> None:
    """第三十条: with two corrected applications the later one starts the limit."""
    result = due(
        [
            received("2024-02-07"),
            Event(E.CORRECTION_RECEIVED, D("2024-02-08")),
            Event(E.CORRECTION_RECEIVED, D("2024-02-20")),
        ]
    )
    assert result.due_on == D("2024-03-19")


def test_pending_correction_pauses_the_clock() -> None:
    """第三十条: while the applicant may still correct, there is no due date, only their period.
    Notice Thu 2024-02-08, 10 workdays: 2/9, 2/18, 2/19–2/23, 2/26, 2/27, 2/28 → Wed 2/28."""
    events = [
        received("2024-02-07"),
        Event(E.CORRECTION_REQUESTED, D("2024-02-08"), period_workdays=10),
    ]
    result = due(events, today=D("2024-02-28"))
    assert result.due_on is None
    assert result.paused_reason == PauseReason.CORRECTION
    assert result.period_ends_on == D("2024-02-28")
    assert result.suggested_outcome is None
    assert not result.stopped
    assert result.overdue is None


def test_correction_period_lapsed_suggests_other_no_correction() -> None:
    """第三十条: no corrected application in time → treated as abandoned, 其他处理1."""
    events = [
        received("2024-02-07"),
        Event(E.CORRECTION_REQUESTED, D("2024-02-08"), period_workdays=10),
    ]
    result = due(events, today=D("2024-02-29"))
    assert result.due_on is None
    assert result.suggested_outcome == Outcome.OTHER_NO_CORRECTION
    assert result.stopped
    assert any("其他处理1" in s for s in result.steps)
    lapsed = due([*events, Event(E.CORRECTION_LAPSED, D("2024-02-29"))])
    assert lapsed.suggested_outcome == Outcome.OTHER_NO_CORRECTION


def test_correction_notice_after_seven_workdays_is_warned() -> None:
    """第三十条: tell the applicant within 7 workdays of receipt. From 2024-02-07 the 7th
    workday is 2/22 (2/8, 2/9, 2/18, 2/19, 2/20, 2/21, 2/22); 2/23 is the 8th."""
    on_time = due(
        [received("2024-02-07"), Event(E.CORRECTION_REQUESTED, D("2024-02-22"), period_workdays=5)]
    )
    assert on_time.warnings == []
    late = due(
        [received("2024-02-07"), Event(E.CORRECTION_REQUESTED, D("2024-02-23"), period_workdays=5)]
    )
    assert len(late.warnings) == 1
    assert "第三十条" in late.warnings[0]
    assert "第 8 个工作日" in late.warnings[0]


def test_second_correction_request_is_warned() -> None:
    """第三十条 一次性告知: a second correction notice is a finding."""
    result = due(
        [
            received("2024-02-07"),
            Event(E.CORRECTION_REQUESTED, D("2024-02-08"), period_workdays=10),
            Event(E.CORRECTION_RECEIVED, D("2024-02-19")),
            Event(E.CORRECTION_REQUESTED, D("2024-02-20"), period_workdays=10),
        ]
    )
    assert result.paused_reason == PauseReason.CORRECTION
    assert any("一次性告知" in w for w in result.warnings)


def test_correction_notice_without_period_is_warned() -> None:
    """第三十条 requires a reasonable correction period."""
    result = due([received("2024-02-07"), Event(E.CORRECTION_REQUESTED, D("2024-02-08"))])
    assert result.period_ends_on is None
    assert any("补正期限" in w for w in result.warnings)


def test_event_fields_are_checked() -> None:
    with pytest.raises(ValueError, match="征求对象"):
        Event(E.RECEIVED, D("2024-02-07"), party=ConsultedParty.THIRD_PARTY)
    with pytest.raises(ValueError, match="补正期限"):
        Event(E.RECEIVED, D("2024-02-07"), period_workdays=5)
    with pytest.raises(ValueError, match="正整数"):
        Event(E.CORRECTION_REQUESTED, D("2024-02-07"), period_workdays=0)


# --- 第三十二条、第三十四条、第三十三条第二款: consultations ---------------------------------


def test_consultation_pushes_by_exactly_its_workdays() -> None:
    """第三十二条、第三十三条第二款: third party consulted Tue 2/20, answer Tue 2/27: the
    workdays 2/21, 2/22, 2/23, 2/26, 2/27 (5) do not count, so 3/12 moves 5 workdays to 3/19."""
    result = due([received("2024-02-07"), *consultation("2024-02-20", "2024-02-27")])
    assert result.due_on == D("2024-03-19")
    assert result.excluded_workdays == 5
    assert workdays_between(D("2024-03-12"), D("2024-03-19"), OFFICIAL).value == 5
    assert (
        "排除征求第三方意见期间（甲公司） 2024年2月20日至2024年2月27日，共 5 个工作日"
        "（第三十二条、第三十三条第二款）"
    ) in result.steps
    assert result.warnings == []


def test_overlapping_consultations_are_counted_once() -> None:
    """第三十三条第二款: the third party (sent 2/20, answered 2/27) excludes 2/21–2/27, the other
    agency (第三十四条, sent 2/26, answered 3/1) excludes 2/27–3/1; they share 2/27, and the union
    2/21–3/1 is 8 workdays, not 5 + 4, so 3/12 → 3/22."""
    result = due(
        [
            received("2024-02-07"),
            *consultation("2024-02-20", "2024-02-27"),
            *consultation("2024-02-26", "2024-03-01", ConsultedParty.OTHER_AGENCY),
        ]
    )
    assert result.excluded_workdays == 8
    assert result.due_on == D("2024-03-22")
    agency = next(s for s in result.steps if "征求其他机关意见期间" in s)
    assert "共 3 个工作日" in agency
    assert "1 个工作日与其他排除期间重叠" in agency
    assert "第三十四条" in agency


def test_unanswered_consultation_is_planned_with_its_deadline() -> None:
    """第三十二条: the third party has 15 workdays; unanswered, that deadline ends the excluded
    period for planning and a warning says so. Sent 2/20: 15 workdays end on 2024-03-12."""
    result = due([received("2024-02-07"), *consultation("2024-02-20", None)])
    assert add_workdays(D("2024-02-20"), CONSULTATION_WORKDAYS, OFFICIAL).value == D("2024-03-12")
    assert result.excluded_workdays == 15
    assert result.due_on == add_workdays(D("2024-03-12"), 15, OFFICIAL).value
    assert result.exclusions[0].planned
    assert any("尚未收到答复" in w for w in result.warnings)


def test_silent_agency_counts_as_consent() -> None:
    """第三十四条: a consulted agency that does not answer in 15 workdays agrees to disclosure."""
    events = [
        received("2024-02-07"),
        *consultation("2024-02-20", None, ConsultedParty.OTHER_AGENCY),
    ]
    assert any("视为同意公开" in w for w in due(events, today=D("2024-03-13")).warnings)
    assert not any("视为同意公开" in w for w in due(events, today=D("2024-03-12")).warnings)
    third = [received("2024-02-07"), *consultation("2024-02-20", None)]
    assert any("第三十二条" in w for w in due(third, today=D("2024-03-13")).warnings)


def test_late_answer_is_warned_but_excluded() -> None:
    """第三十二条: answers are due within 15 workdays; a later answer is flagged for review."""
    result = due([received("2024-02-07"), *consultation("2024-02-20", "2024-03-14")])
    assert (
        result.excluded_workdays
        == workdays_between(D("2024-02-20"), D("2024-03-14"), OFFICIAL).value
    )
    assert any("超出部分" in w for w in result.warnings)


def test_consultation_after_the_due_date_changes_nothing() -> None:
    """第三十三条第二款 excludes time within the limit; a consultation begun after the due date
    cannot revive it."""
    result = due([received("2024-02-07"), *consultation("2024-03-13", "2024-03-20")])
    assert result.due_on == D("2024-03-12")
    assert any("不影响答复期限" in w for w in result.warnings)


def test_consultation_before_restart_is_not_deducted() -> None:
    """第三十条: after a corrected application the limit restarts; earlier time is irrelevant."""
    result = due(
        [
            received("2024-02-07"),
            *consultation("2024-02-08", "2024-02-09"),
            Event(E.CORRECTION_RECEIVED, D("2024-02-20")),
        ]
    )
    assert result.due_on == D("2024-03-19")
    assert result.excluded_workdays == 0
    assert any("不予扣除" in w for w in result.warnings)


def test_answer_without_sending_is_ignored() -> None:
    result = due(
        [received("2024-02-07"), Event(E.CONSULTATION_ANSWERED, D("2024-02-20"), "甲公司")]
    )
    assert result.due_on == D("2024-03-12")
    assert len(result.warnings) == 1


# --- 第三十三条第一款: extension --------------------------------------------------------------


def test_extension_adds_exactly_twenty_workdays_once() -> None:
    """第三十三条第一款: at most 20 more workdays. 3/12 + 20 workdays (清明 4/4–4/6 off,
    make-up Sun 4/7 counts) = 2024-04-10; a second extension is refused with a warning."""
    base = [received("2024-02-07"), Event(E.EXTENSION_APPROVED, D("2024-03-01"))]
    once = due(base)
    assert once.due_on == D("2024-04-10")
    assert once.limit_workdays == 40
    assert workdays_between(D("2024-03-12"), D("2024-04-10"), OFFICIAL).value == 20
    assert "经批准延长 20 个工作日（2024年3月1日批准，第三十三条第一款）" in once.steps
    assert once.warnings == []
    twice = due([*base, Event(E.EXTENSION_APPROVED, D("2024-04-01"))])
    assert twice.due_on == D("2024-04-10")
    assert any("再次批准延长" in w for w in twice.warnings)


def test_extension_after_the_original_deadline_is_warned() -> None:
    """第三十三条第一款: the extension must be decided within the original limit."""
    result = due([received("2024-02-07"), Event(E.EXTENSION_APPROVED, D("2024-03-13"))])
    assert result.due_on == D("2024-04-10")
    assert any("晚于原答复期限" in w for w in result.warnings)


# --- 国办函〔2020〕109号: fees --------------------------------------------------------------------


def test_fee_notice_pauses_until_payment() -> None:
    """国办函〔2020〕109号 (四川省通知): pay within 20 workdays from the day after the notice;
    notice Tue 2/20 → 2/21 is day 1, day 20 is Tue 2024-03-19."""
    events = [received("2024-02-07"), Event(E.FEE_NOTICE_SENT, D("2024-02-20"))]
    result = due(events, today=D("2024-03-19"))
    assert result.due_on is None
    assert result.paused_reason == PauseReason.FEE
    assert result.period_ends_on == D("2024-03-19")
    assert (
        result.period_ends_on == add_workdays(D("2024-02-20"), FEE_PAYMENT_WORKDAYS, OFFICIAL).value
    )
    assert any("已计 5 个工作日" in s for s in result.steps)


def test_fee_unpaid_suggests_other_fee_unpaid() -> None:
    """国办函〔2020〕109号: not paid in time → treated as abandoned, 其他处理2."""
    events = [received("2024-02-07"), Event(E.FEE_NOTICE_SENT, D("2024-02-20"))]
    assert due(events, today=D("2024-03-20")).suggested_outcome == Outcome.OTHER_FEE_UNPAID
    lapsed = due([*events, Event(E.FEE_LAPSED, D("2024-03-20"))])
    assert lapsed.suggested_outcome == Outcome.OTHER_FEE_UNPAID
    # Stopped even when the fee period is not excluded time.
    assert (
        due(events, today=D("2024-03-20"), fee_period_excluded=False).suggested_outcome
        == Outcome.OTHER_FEE_UNPAID
    )


def test_fee_period_is_excluded_only_by_setting() -> None:
    """RULES.md §3 (UNCONFIRMED national text): notice 2/20, paid Fri 2/23 excludes 3 workdays
    (2/21–2/23) by default; with the setting off the fee period counts."""
    events = [
        received("2024-02-07"),
        Event(E.FEE_NOTICE_SENT, D("2024-02-20")),
        Event(E.FEE_PAID, D("2024-02-23")),
    ]
    excluded = due(events)
    assert excluded.due_on == D("2024-03-15")
    assert excluded.excluded_workdays == 3
    counted = due(events, fee_period_excluded=False)
    assert counted.due_on == D("2024-03-12")
    assert any("计入答复期限" in s for s in counted.steps)
    unpaid = due(events[:2], fee_period_excluded=False)
    assert unpaid.due_on == D("2024-03-12")
    assert unpaid.period_ends_on == D("2024-03-19")


def test_fee_notice_after_the_due_date_is_warned() -> None:
    """RULES.md §3: the fee notice is sent within the processing period."""
    result = due(
        [
            received("2024-02-07"),
            Event(E.FEE_NOTICE_SENT, D("2024-03-13")),
            Event(E.FEE_PAID, D("2024-03-14")),
        ]
    )
    assert result.due_on == D("2024-03-12")
    assert any("收费通知应在答复期限内发出" in w for w in result.warnings)


# --- overdue ---------------------------------------------------------------------------------


def test_reply_after_the_due_date_is_overdue() -> None:
    """第三十三条: a reply on 3/14 against 3/12 is two workdays late."""
    late = due([received("2024-02-07"), Event(E.REPLIED, D("2024-03-14"))])
    assert late.overdue is True
    assert any("超期 2 个工作日" in w for w in late.warnings)
    on_time = due([received("2024-02-07"), Event(E.REPLIED, D("2024-03-12"))])
    assert on_time.overdue is False
    assert on_time.warnings == []


def test_overdue_by_today() -> None:
    events = [received("2024-02-07")]
    assert due(events, today=D("2024-03-12")).overdue is False
    assert due(events, today=D("2024-03-13")).overdue is True
    assert due(events).overdue is None


# --- 第三十一条: date of receipt ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "field", "article"),
    [
        (Channel.IN_PERSON, "submitted_on", "第三十一条第（一）项"),
        (Channel.POST, "signed_on", "第三十一条第（二）项"),
        (Channel.LETTER, "confirmed_on", "第三十一条第（二）项"),
        (Channel.ONLINE, "confirmed_on", "第三十一条第（三）项"),
        (Channel.FAX, "confirmed_on", "第三十一条第（三）项"),
        (Channel.EMAIL, "system_received_on", "国办公开办函〔2015〕207号"),
        (Channel.OTHER, "confirmed_on", "国办公开办函〔2015〕207号"),
    ],
)
def test_receipt_date_per_channel(channel: Channel, field: str, article: str) -> None:
    """第三十一条: each channel has its own date of receipt; the others are ignored."""
    dates = {
        "signed_on": D("2024-02-05"),
        "confirmed_on": D("2024-02-06"),
        "system_received_on": D("2024-02-07"),
    }
    if field == "submitted_on":
        assert receipt_date(channel, submitted_on=D("2024-02-01"), **dates) == D("2024-02-01")
    else:
        assert receipt_date(channel, submitted_on=D("2024-02-01"), **dates) == dates[field]
    with pytest.raises(ValueError, match=str(channel.label)):
        receipt_date(channel, **{k: v for k, v in dates.items() if k != field})


def test_post_is_received_when_signed_not_when_posted() -> None:
    """第三十一条第（二）项: posted 2/1, signed for 2/5: received 2/5."""
    assert receipt_date("post", submitted_on=D("2024-02-01"), signed_on=D("2024-02-05")) == D(
        "2024-02-05"
    )


def test_receipt_before_submission_is_refused() -> None:
    with pytest.raises(ValueError, match="不能早于"):
        receipt_date(Channel.FAX, submitted_on=D("2024-02-07"), confirmed_on=D("2024-02-06"))


def test_unknown_channel_is_refused() -> None:
    with pytest.raises(ValueError):
        receipt_date("pigeon", submitted_on=D("2024-02-07"))


# --- properties --------------------------------------------------------------------------------

# Receipts whose whole clock (40 + up to ~60 excluded workdays) stays within 2004–2026.
receipts = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 6, 30))
offsets = st.integers(min_value=0, max_value=45)
lengths = st.integers(min_value=0, max_value=30)
parties = st.sampled_from([ConsultedParty.THIRD_PARTY, ConsultedParty.OTHER_AGENCY, None])


@st.composite
def consultations(draw: st.DrawFn, start: date) -> list[Event]:
    party = draw(parties)
    sent = start + timedelta(days=draw(offsets))
    events = [Event(E.CONSULTATION_SENT, sent, "x", party)]
    if draw(st.booleans()):
        answered = sent + timedelta(days=draw(lengths))
        events.append(Event(E.CONSULTATION_ANSWERED, answered, "x", party))
    return events


@settings(max_examples=150, deadline=None)
@given(data=st.data(), start=receipts, extension=st.booleans())
def test_excluded_time_never_shortens_and_pushes_by_its_workdays(
    data: st.DataObject, start: date, extension: bool
) -> None:
    """第三十三条第二款: excluded time never shortens the limit, and the due date moves by exactly
    the number of excluded workdays."""
    base = [Event(E.RECEIVED, start)]
    if extension:
        base.append(Event(E.EXTENSION_APPROVED, start))
    extra: list[Event] = []
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        extra += data.draw(consultations(start))
    without = due(base).due_on
    result = due(base + extra)
    assert without is not None and result.due_on is not None
    assert result.due_on >= without
    assert workdays_between(without, result.due_on, OFFICIAL).value == result.excluded_workdays


@settings(max_examples=150, deadline=None)
@given(data=st.data(), start=receipts)
def test_adding_a_consultation_never_makes_the_due_date_earlier(
    data: st.DataObject, start: date
) -> None:
    """第三十二条、第三十四条: one more consultation, on top of any others, never helps the agency
    to an earlier deadline."""
    base = [Event(E.RECEIVED, start)]
    for _ in range(data.draw(st.integers(min_value=0, max_value=2))):
        base += data.draw(consultations(start))
    before = due(base).due_on
    after = due(base + data.draw(consultations(start))).due_on
    assert before is not None and after is not None
    assert after >= before


@settings(max_examples=150, deadline=None)
@given(start=receipts, corrected=st.none() | offsets)
def test_an_extension_adds_exactly_twenty_workdays(start: date, corrected: int | None) -> None:
    """第三十三条第一款: with or without a corrected application, the extension is 20 workdays."""
    base = [Event(E.RECEIVED, start)]
    if corrected is not None:
        base.append(Event(E.CORRECTION_RECEIVED, start + timedelta(days=corrected)))
    started = base[-1].on
    due_without = due(base).due_on
    due_with = due([*base, Event(E.EXTENSION_APPROVED, started)]).due_on
    assert due_without is not None and due_with is not None
    assert workdays_between(due_without, due_with, OFFICIAL).value == 20
    assert due_without == add_workdays(started, 20, OFFICIAL).value


@settings(max_examples=150, deadline=None)
@given(data=st.data(), start=receipts, paid=lengths, extension=st.booleans())
def test_due_date_is_always_a_workday(
    data: st.DataObject, start: date, paid: int, extension: bool
) -> None:
    """第三十三条: a time limit in 工作日 ends on a workday, whatever is excluded."""
    events = [Event(E.RECEIVED, start), *data.draw(consultations(start))]
    notice = start + timedelta(days=data.draw(offsets))
    events += [Event(E.FEE_NOTICE_SENT, notice), Event(E.FEE_PAID, notice + timedelta(paid))]
    if extension:
        events.append(Event(E.EXTENSION_APPROVED, start))
    result = due(events)
    assert result.due_on is not None
    assert OFFICIAL.is_workday(result.due_on)
    assert result.due_on > start


@settings(max_examples=100, deadline=None)
@given(start=receipts, notice=offsets, paid=lengths)
def test_fee_period_never_shortens_the_deadline(start: date, notice: int, paid: int) -> None:
    """RULES.md §3: excluding the fee period can only move the due date later."""
    sent = start + timedelta(days=notice)
    events = [
        Event(E.RECEIVED, start),
        Event(E.FEE_NOTICE_SENT, sent),
        Event(E.FEE_PAID, sent + timedelta(days=paid)),
    ]
    excluded = due(events).due_on
    counted = due(events, fee_period_excluded=False).due_on
    assert excluded is not None and counted is not None
    assert excluded >= counted == due(events[:1]).due_on
