"""依申请公开 in the console: the inbox sorted by the legal clock, one application with its clock
explained, registering off-line applications (条例第三十一条), the officer's actions through the
services, the audited reveal of the ID number, and the daily reminder task."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.console.forms_requests import OUTCOME_GROUPS
from gongkai.console.views.requests import request_summary
from gongkai.core.workdays import Calendar, add_workdays, load_calendar
from gongkai.inforequests import services
from gongkai.inforequests.channels import Channel
from gongkai.inforequests.clock_events import ClockEvent
from gongkai.inforequests.constants import Outcome, Status
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.tasks import (
    DueItem,
    group_by_recipient,
    remaining_workdays,
    remind_due_requests,
    reminder_message,
    select_reminders,
)
from gongkai.orgs.models import User
from gongkai.reports.formats import TABLE3_ROWS, FormatVersion
from tests.conftest import APPLICANT, District
from tests.inforequests.letters_support import approved_reply, close_with_reply

TODAY = date(2024, 3, 20)  # a Wednesday inside the seeded calendar years
ID_NUMBER = "11010519491231002X"
ID_MASKED = "110105********002X"


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _submit(
    district: District, received: date = date(2024, 3, 1), org: Any = None, **data: Any
) -> InfoRequest:
    request, _ = services.request_submit(
        organization=org or district.dept_a,
        data={**APPLICANT, **data},
        channel=Channel.ONLINE,
        received_on=received,
    )
    return request


def _calendar() -> Calendar:
    return load_calendar(range(2023, 2026))


def _received_for_remaining(n: int) -> date:
    """A receipt date whose 20-workday limit leaves exactly n workdays from TODAY."""
    calendar = _calendar()
    received = TODAY
    for _ in range(120):
        due = add_workdays(received, 20, calendar).value
        if remaining_workdays(TODAY, due, calendar) == n:
            return received
        received -= timedelta(days=1)
    raise AssertionError(n)


# --- inbox -------------------------------------------------------------------------------


def test_inbox_is_sorted_by_due_date_and_scoped_to_the_organisation(district: District) -> None:
    late = _submit(district, date(2024, 3, 15), subject="甲")
    early = _submit(district, date(2024, 2, 26), subject="乙")
    middle = _submit(district, date(2024, 3, 6), subject="丙")
    other = _submit(district, date(2024, 2, 20), org=district.dept_b, subject="民政局的申请")

    response = _as(district.officer_a).get(reverse("console:request_list"))
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(r.number) for r in (early, middle, late)]
    assert positions == sorted(positions)
    assert other.number not in html

    html_b = _as(district.officer_b).get(reverse("console:request_list")).content.decode()
    assert other.number in html_b
    for r in (early, middle, late):
        assert r.number not in html_b
    assert district.dept_a.name not in html_b


def test_inbox_warns_at_five_workdays_and_shows_overdue(district: District) -> None:
    soon = _submit(district, _received_for_remaining(3), subject="三天后到期")
    fine = _submit(district, _received_for_remaining(12), subject="还早")
    overdue = _submit(district, _received_for_remaining(-2), subject="已经逾期")

    html = _as(district.officer_a).get(reverse("console:request_list")).content.decode()
    assert "剩余 3 个工作日（即将到期）" in html
    assert "剩余 12 个工作日" in html
    assert "剩余 12 个工作日（即将到期）" not in html
    assert "逾期 2 个工作日" in html

    soon_html = (
        _as(district.officer_a).get(reverse("console:request_list"), {"state": "soon"}).content
    ).decode()
    assert soon.number in soon_html
    assert fine.number not in soon_html and overdue.number not in soon_html

    overdue_html = _as(district.officer_a).get(reverse("console:request_overdue")).content.decode()
    assert overdue.number in overdue_html
    assert soon.number not in overdue_html and fine.number not in overdue_html


def test_inbox_search_and_closed_filter(district: District) -> None:
    wanted = _submit(district, subject="学校食堂承包合同")
    unwanted = _submit(district, subject="校车采购")
    close_with_reply(
        actor=district.officer_a,
        request=unwanted,
        outcome=Outcome.DISCLOSED,
        legal_basis="第三十六条第（二）项",
        reasons="予以公开",
        on=TODAY,
    )
    client = _as(district.officer_a)
    html = client.get(reverse("console:request_list"), {"q": "食堂"}).content.decode()
    assert wanted.number in html and unwanted.number not in html
    html = client.get(reverse("console:request_list"), {"q": wanted.number}).content.decode()
    assert wanted.number in html
    # Closed applications leave the default view and appear under 已办结.
    html = client.get(reverse("console:request_list")).content.decode()
    assert unwanted.number not in html
    html = client.get(reverse("console:request_list"), {"state": "closed"}).content.decode()
    assert unwanted.number in html and wanted.number not in html
    html = client.get(reverse("console:request_list"), {"state": "all"}).content.decode()
    assert html.index(wanted.number) < html.index(unwanted.number)


def test_inbox_paginates(district: District) -> None:
    for _ in range(51):
        _submit(district)
    html = _as(district.officer_a).get(reverse("console:request_list")).content.decode()
    assert "第 1 / 2 页，共 51 条" in html


# --- detail ------------------------------------------------------------------------------


def test_detail_explains_the_clock_step_by_step(district: District) -> None:
    request = _submit(district, date(2024, 3, 1))
    response = _as(district.officer_a).get(
        reverse("console:request_detail", kwargs={"pk": request.pk})
    )
    html = response.content.decode()
    assert "收到申请：2024年3月1日（星期五）" in html
    assert "第1个工作日：2024年3月4日（星期一）" in html
    assert "答复期限：2024年3月29日（星期五），即第 20 个工作日（第三十三条）" in html
    assert "收到申请" in html  # the event log


def test_detail_is_404_for_another_organisation(district: District) -> None:
    request = _submit(district)
    response = _as(district.officer_b).get(
        reverse("console:request_detail", kwargs={"pk": request.pk})
    )
    assert response.status_code == 404
    assert request.subject not in response.content.decode()


def test_id_number_is_masked_and_the_reveal_is_audited(district: District) -> None:
    request = _submit(district)
    client = _as(district.officer_a)
    html = client.get(reverse("console:request_detail", kwargs={"pk": request.pk})).content
    assert ID_MASKED in html.decode()
    assert ID_NUMBER not in html.decode()
    assert not AuditEvent.objects.filter(verb="inforequest.personal_data_viewed").exists()

    response = client.post(reverse("console:request_reveal_id", kwargs={"pk": request.pk}))
    assert response.status_code == 200
    assert ID_NUMBER in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(verb="inforequest.personal_data_viewed")
    assert event.actor_id == district.officer_a.pk
    assert event.object_id == str(request.pk)
    assert ID_NUMBER not in str(event.after)

    # The supervisor sees the application but may not unmask; the sibling does not see it.
    url = reverse("console:request_reveal_id", kwargs={"pk": request.pk})
    assert _as(district.supervisor).post(url).status_code == 403
    assert _as(district.officer_b).post(url).status_code == 404
    assert AuditEvent.objects.filter(verb="inforequest.personal_data_viewed").count() == 1


def test_supervisor_sees_the_application_without_action_forms(district: District) -> None:
    request = _submit(district)
    html = (
        _as(district.supervisor)
        .get(reverse("console:request_detail", kwargs={"pk": request.pk}))
        .content.decode()
    )
    assert request.subject in html
    assert ID_MASKED in html
    assert "显示完整证件号" not in html
    assert reverse("console:request_close", kwargs={"pk": request.pk}) not in html


# --- registering ---------------------------------------------------------------------------


def _register_data(district: District, **changes: Any) -> dict[str, Any]:
    data = {
        **APPLICANT,
        "organization": district.dept_a.pk,
        "channel": Channel.POST,
        "submitted_on": "2024-03-14",
        "signed_on": "2024-03-18",
        "confirmed_on": "",
        "system_received_on": "",
        "submission_key": "0123456789abcdef0123456789abcdef",
    }
    data.update(changes)
    return data


def test_register_a_letter_received_on_the_signed_date(district: District) -> None:
    """第三十一条第（二）项: a letter that is signed for is received on the day it is signed."""
    client = _as(district.officer_a)
    url = reverse("console:request_register")
    form = client.get(url).content.decode()
    assert "第三十一条" in form
    assert district.dept_b.name not in form

    response = client.post(url, _register_data(district))
    request = InfoRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("console:request_detail", kwargs={"pk": request.pk})
    assert request.received_on == date(2024, 3, 18)
    assert request.channel == Channel.POST
    assert request.events.get().actor == district.officer_a
    assert AuditEvent.objects.filter(verb="inforequest.submitted", actor_id=district.officer_a.pk)

    # A double click registers nothing more.
    again = client.post(url, _register_data(district))
    assert again.status_code == 302
    assert InfoRequest.objects.count() == 1


def test_register_explains_missing_and_wrong_data_in_chinese(district: District) -> None:
    client = _as(district.officer_a)
    url = reverse("console:request_register")
    response = client.post(
        url, _register_data(district, signed_on="", id_number="110105194912310021")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "以签收日期为收到申请之日，请填写签收日期" in html
    assert "居民身份证号码无效：校验码错误" in html
    assert not InfoRequest.objects.exists()

    response = client.post(url, _register_data(district, signed_on="2024-03-25"))
    assert "日期不能晚于今天。" in response.content.decode()
    response = client.post(url, _register_data(district, signed_on="2024-03-10"))
    assert "不能早于提交日期" in response.content.decode()
    assert not InfoRequest.objects.exists()


def test_register_an_oral_request_in_person(district: District) -> None:
    """第二十九条第一款: the office writes an oral request down; received on the day given."""
    client = _as(district.officer_a)
    url = reverse("console:request_register")
    data = _register_data(
        district, channel=Channel.IN_PERSON, submitted_on="2024-03-19", signed_on="", oral="on"
    )
    response = client.post(url, data)
    assert "口头申请须在“所需信息的描述”中记录申请人口述的内容" in response.content.decode()
    data["description"] = "申请人口述：要求提供本区2023年新建学校名单"
    response = client.post(url, data)
    assert response.status_code == 302
    request = InfoRequest.objects.get()
    assert request.received_on == date(2024, 3, 19)
    assert request.description.startswith("【口头申请，工作人员代为填写】")


def test_register_is_refused_to_users_who_cannot_work(district: District) -> None:
    url = reverse("console:request_register")
    assert _as(district.supervisor).get(url).status_code == 403
    response = _as(district.officer_b).post(url, _register_data(district))
    assert response.status_code == 200  # department A is not among the choices
    assert not InfoRequest.objects.exists()


# --- actions -------------------------------------------------------------------------------


def test_assign_an_officer(district: District) -> None:
    request = _submit(district)
    client = _as(district.officer_a)
    url = reverse("console:request_assign", kwargs={"pk": request.pk})
    assert client.post(url, {"officer": district.officer_b.pk}).status_code == 200  # not theirs
    response = client.post(url, {"officer": district.officer_a.pk})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.officer == district.officer_a
    assert request.status == Status.IN_PROGRESS


def test_correction_request_pauses_the_clock(district: District) -> None:
    """第三十条: while the applicant corrects the application the clock does not run."""
    request = _submit(district, date(2024, 3, 14))
    client = _as(district.officer_a)
    url = reverse("console:request_event_add", kwargs={"pk": request.pk})
    response = client.post(url, {"kind": ClockEvent.CORRECTION_REQUESTED, "on": "2024-03-18"})
    assert "告知补正时请填写补正期限。" in response.content.decode()

    response = client.post(
        url,
        {
            "kind": ClockEvent.CORRECTION_REQUESTED,
            "on": "2024-03-18",
            "detail": "请明确所需信息的年份",
            "period_workdays": "10",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.AWAITING_CORRECTION
    assert request.due_on is None
    html = client.get(reverse("console:request_detail", kwargs={"pk": request.pk})).content
    text = html.decode()
    assert "等待申请人补正" in text
    assert "暂停计算" in text
    # The inbox shows it as paused, not as overdue.
    assert "暂停计算" in client.get(reverse("console:request_list")).content.decode()


def test_event_form_rules_and_service_errors_are_form_errors(district: District) -> None:
    request = _submit(district, date(2024, 3, 14))
    client = _as(district.officer_a)
    url = reverse("console:request_event_add", kwargs={"pk": request.pk})
    response = client.post(url, {"kind": ClockEvent.CONSULTATION_SENT, "on": "2024-03-18"})
    assert "发出征求意见时请选择征求对象。" in response.content.decode()
    # Before the receipt: refused by the service, shown on the form.
    response = client.post(
        url, {"kind": ClockEvent.EXTENSION_APPROVED, "on": "2024-03-01", "detail": "主任批准"}
    )
    assert response.status_code == 200
    assert "日期应在收到申请之日与今天之间。" in response.content.decode()
    response = client.post(
        url,
        {"kind": ClockEvent.CONSULTATION_SENT, "on": "2024-03-18", "party": "third_party"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.CONSULTING


def test_close_requires_legal_basis_and_reasons(district: District) -> None:
    request = _submit(district)
    client = _as(district.officer_a)
    url = reverse("console:request_close", kwargs={"pk": request.pk})
    response = client.post(
        url,
        {
            "outcome": Outcome.PARTLY_DISCLOSED,
            "legal_basis": " ",
            "reasons": "",
            "on": "2024-03-20",
        },
    )
    assert response.status_code == 200
    assert "请填写法律依据。" in response.content.decode()
    request.refresh_from_db()
    assert request.status != Status.CLOSED

    form = {
        "outcome": Outcome.PARTLY_DISCLOSED,
        "legal_basis": "《中华人民共和国政府信息公开条例》第三十七条",
        "reasons": "涉及个人隐私的部分不予公开",
        "on": "2024-03-20",
    }
    # Without an approved reply letter the form says what is missing.
    response = client.post(url, form)
    assert response.status_code == 200
    assert "办结前须起草答复书并经法制审核通过" in response.content.decode()
    approved_reply(request, Outcome.PARTLY_DISCLOSED, officer=district.officer_a)

    response = client.post(
        url,
        {
            "outcome": Outcome.PARTLY_DISCLOSED,
            "legal_basis": "《中华人民共和国政府信息公开条例》第三十七条",
            "reasons": "涉及个人隐私的部分不予公开",
            "on": "2024-03-20",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.CLOSED
    assert request.outcome == Outcome.PARTLY_DISCLOSED
    assert request.closed_on == TODAY
    html = client.get(reverse("console:request_detail", kwargs={"pk": request.pk})).content
    assert "涉及个人隐私的部分不予公开" in html.decode()
    assert reverse("console:request_close", kwargs={"pk": request.pk}) not in html.decode()


def test_close_offers_outcomes_grouped_as_the_annual_report() -> None:
    grouped = [o for _, members in OUTCOME_GROUPS for o in members]
    assert sorted(grouped) == sorted(Outcome)
    table_order = [r.key for r in TABLE3_ROWS[FormatVersion.V2021] if r.key in Outcome.values]
    assert [o.value for o in grouped] == table_order


@pytest.mark.parametrize("action", ["request_assign", "request_event_add", "request_close"])
def test_sibling_officer_cannot_act(district: District, action: str) -> None:
    request = _submit(district)
    data = {
        "officer": district.officer_b.pk,
        "kind": ClockEvent.EXTENSION_APPROVED,
        "on": "2024-03-20",
        "outcome": Outcome.DISCLOSED,
        "legal_basis": "x",
        "reasons": "y",
    }
    response = _as(district.officer_b).post(
        reverse(f"console:{action}", kwargs={"pk": request.pk}), data
    )
    assert response.status_code in (403, 404)
    request.refresh_from_db()
    assert request.officer is None
    assert request.status == Status.REGISTERED
    assert request.events.count() == 1
    # Nor may the supervisor, who only oversees.
    response = _as(district.supervisor).post(
        reverse(f"console:{action}", kwargs={"pk": request.pk}), data
    )
    assert response.status_code == 403


# --- home page ------------------------------------------------------------------------------


def test_home_summary_counts_open_due_soon_and_overdue(district: District) -> None:
    _submit(district, _received_for_remaining(3))
    mine = _submit(district, _received_for_remaining(-1))
    _submit(district, _received_for_remaining(15))
    services.request_assign(actor=district.officer_a, request=mine, officer=district.officer_a)
    summary = request_summary(district.officer_a)
    assert summary == {"open": 3, "mine": 1, "soon": 1, "overdue": 1, "warn_workdays": 5}
    assert request_summary(district.officer_b) == {
        "open": 0,
        "mine": 0,
        "soon": 0,
        "overdue": 0,
        "warn_workdays": 5,
    }
    assert request_summary(district.auditor) is None

    client = _as(district.officer_a)
    response = client.get(reverse("console:home"))
    html = render_to_string(
        "console/home.html",
        {"request_summary": summary, "memberships": [], "user": district.officer_a},
        request=response.wsgi_request,
    )
    assert "未办结的申请：3 件" in html
    assert "5个工作日内到期：1 件" in html
    assert "已逾期：1 件" in html


# --- reminders -------------------------------------------------------------------------------


def test_select_reminders_picks_due_soon_and_overdue() -> None:
    calendar = Calendar(known_years=frozenset({2024}))  # weekends only
    today = date(2024, 3, 20)

    def item(number: str, due: date) -> DueItem:
        return DueItem(1, number, "信息", "某局", due, ("a@example.com",))

    items = [
        item("far", date(2024, 3, 28)),  # 6 workdays
        item("edge", date(2024, 3, 27)),  # 5 workdays
        item("today", today),
        item("late", date(2024, 3, 18)),  # 2 workdays overdue
    ]
    reminders = select_reminders(items, today, calendar)
    assert [(r.item.number, r.remaining) for r in reminders] == [
        ("late", -2),
        ("today", 0),
        ("edge", 5),
    ]
    grouped = group_by_recipient(reminders)
    assert list(grouped) == ["a@example.com"]
    subject, body = reminder_message(grouped["a@example.com"], today)
    assert "3件" in subject and "已逾期1件" in subject
    assert "已逾期2个工作日" in body and "今天到期" in body and "剩余5个工作日" in body


def test_reminder_task_mails_officer_and_supervisors(district: District) -> None:
    User.objects.filter(pk=district.officer_a.pk).update(email="officer_a@example.gov.cn")
    User.objects.filter(pk=district.supervisor.pk).update(email="supervisor@example.gov.cn")
    soon = _submit(district, _received_for_remaining(2), subject="即将到期的申请")
    overdue = _submit(district, _received_for_remaining(-3), subject="逾期的申请")
    later = _submit(district, _received_for_remaining(10), subject="还早的申请")
    other = _submit(district, _received_for_remaining(1), org=district.dept_b, subject="民政")
    officer = User.objects.get(pk=district.officer_a.pk)
    services.request_assign(actor=officer, request=soon, officer=officer)

    remind_due_requests()

    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"officer_a@example.gov.cn", "supervisor@example.gov.cn"}
    officer_mail = by_address["officer_a@example.gov.cn"].body
    assert soon.number in officer_mail and "即将到期的申请" in officer_mail
    assert overdue.number not in officer_mail  # nobody assigned yet: supervisors only
    supervisor_mail = by_address["supervisor@example.gov.cn"].body
    for request in (soon, overdue, other):
        assert request.number in supervisor_mail
    assert later.number not in supervisor_mail
    assert "逾期3个工作日" in supervisor_mail
    for personal in (APPLICANT["applicant_name"], ID_NUMBER, APPLICANT["phone"]):
        assert personal not in officer_mail and personal not in supervisor_mail


def test_reminder_task_skips_closed_and_paused_applications(district: District) -> None:
    User.objects.filter(pk=district.supervisor.pk).update(email="supervisor@example.gov.cn")
    closed = _submit(district, _received_for_remaining(-1))
    close_with_reply(
        actor=district.officer_a,
        request=closed,
        outcome=Outcome.DISCLOSED,
        legal_basis="第三十六条",
        reasons="公开",
        on=TODAY,
    )
    paused = _submit(district, date(2024, 3, 14))
    services.request_add_event(
        actor=district.officer_a,
        request=paused,
        kind=ClockEvent.CORRECTION_REQUESTED,
        on=date(2024, 3, 15),
        period_workdays=10,
    )
    assert remind_due_requests.call_local() == 0
    assert mail.outbox == []
