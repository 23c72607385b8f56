"""The ledger, misuse decisions, 第四十四条 suggestions and appeals in the console: what an
officer sees and does, and that an officer of another organisation sees nothing."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gongkai.appeals.models import Litigation, Reconsideration
from gongkai.audit.models import AuditEvent
from gongkai.inforequests import services
from gongkai.inforequests.channels import Channel
from gongkai.inforequests.constants import Outcome
from gongkai.inforequests.ledger.columns import IMPORT_HEADERS
from gongkai.inforequests.models import InfoRequest, MisuseDecision
from tests.conftest import APPLICANT, District
from tests.inforequests.letters_support import close_with_reply

TODAY = date(2024, 3, 20)


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def submit(district: District, org: Any = None, **data: Any) -> InfoRequest:
    received = data.pop("received_on", date(2024, 3, 1))
    info, _ = services.request_submit(
        organization=org or district.dept_a,
        data={**APPLICANT, **data},
        channel=Channel.ONLINE,
        received_on=received,
    )
    return info


def close(district: District, info: InfoRequest, on: date = date(2024, 3, 5)) -> None:
    close_with_reply(
        actor=district.officer_a,
        request=info,
        outcome=Outcome.DISCLOSED,
        legal_basis="第三十六条第（二）项",
        reasons="予以公开",
        on=on,
    )


def numbers(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]


def test_export_follows_the_list_filters(district: District) -> None:
    early = submit(district, subject="早些的申请")
    late = submit(district, subject="晚些的申请", received_on=date(2024, 3, 10))
    close(district, early)
    client = login(district.officer_a)
    listing = client.get(
        reverse("console:request_list"), {"state": "all", "received_from": "2024-03-05"}
    )
    assert late.number in listing.content.decode() and early.number not in listing.content.decode()
    assert "export.xlsx?state=all&amp;received_from=2024-03-05" in listing.content.decode()
    response = client.get(
        reverse("console:ledger_export"), {"state": "all", "received_from": "2024-03-05"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert numbers(response.content) == [late.number]
    closed = client.get(
        reverse("console:ledger_export"), {"state": "closed", "outcome": Outcome.DISCLOSED}
    )
    assert numbers(closed.content) == [early.number]
    assert AuditEvent.objects.filter(verb="inforequest.ledger_exported").count() == 2


def test_sibling_officer_exports_nothing_of_another_organisation(district: District) -> None:
    mine = submit(district)
    client = login(district.officer_b)
    response = client.get(
        reverse("console:ledger_export"), {"state": "all", "organization": district.dept_a.pk}
    )
    assert response.status_code == 404  # not a choice for this officer
    response = client.get(reverse("console:ledger_export"), {"state": "all"})
    assert numbers(response.content) == []
    assert mine.number not in numbers(response.content)


def _xlsx(rows: list[list[Any]]) -> io.BytesIO:
    wb = Workbook()
    wb.active.append(list(IMPORT_HEADERS))
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "台账.xlsx"
    return out


GOOD = [
    "TZ-1",
    "2024-02-01",
    "当面提交",
    "自然人",
    "李四",
    "居民身份证",
    "11010519491231002X",
    "13812345678",
    "",
    "",
    "2023年财政预算",
    "",
    "",
    "电子",
    "电子邮件",
]


def test_import_page_shows_the_report_in_chinese_and_imports_nothing(district: District) -> None:
    client = login(district.officer_a)
    assert client.get(reverse("console:ledger_import")).status_code == 200
    bad = [*GOOD]
    bad[0], bad[1] = "TZ-2", "2024-13-01"
    response = client.post(
        reverse("console:ledger_import"),
        {"organization": district.dept_a.pk, "file": _xlsx([GOOD, bad, [*GOOD[:1], *GOOD[1:]]])},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "第 3 行" in page and "收到申请之日" in page and "无法识别" in page
    assert "与第2行的原台账编号重复" in page
    assert InfoRequest.objects.count() == 0
    ok = client.post(
        reverse("console:ledger_import"),
        {"organization": district.dept_a.pk, "file": _xlsx([GOOD])},
    )
    assert ok.status_code == 302
    assert InfoRequest.objects.get().organization == district.dept_a


def test_import_refuses_an_organisation_the_officer_does_not_work_for(district: District) -> None:
    client = login(district.officer_b)
    response = client.post(
        reverse("console:ledger_import"),
        {"organization": district.dept_a.pk, "file": _xlsx([GOOD])},
    )
    assert response.status_code == 200  # the organisation is not offered: form error
    assert InfoRequest.objects.count() == 0
    assert login(district.supervisor).get(reverse("console:ledger_import")).status_code == 403


def test_template_downloads(district: District) -> None:
    response = login(district.officer_a).get(reverse("console:ledger_template"))
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["台账", "填写说明"]


def test_detail_shows_repeat_flag_and_records_the_decision(district: District) -> None:
    """条例第三十六条第（六）项 on the application page, with the earlier application."""
    first = submit(district, received_on=date(2024, 2, 1))
    close(district, first, date(2024, 2, 20))
    again = submit(district)
    client = login(district.officer_a)
    page = client.get(reverse("console:request_detail", args=[again.pk])).content.decode()
    assert "第三十六条第（六）项" in page and first.number in page
    response = client.post(
        reverse("console:request_misuse_decide", args=[again.pk]),
        {"kind": "repeated", "verdict": "confirmed", "reason": "同一信息已答复"},
    )
    assert response.status_code == 302
    assert MisuseDecision.objects.get().reason == "同一信息已答复"
    assert (
        "同一信息已答复"
        in client.get(reverse("console:request_detail", args=[again.pk])).content.decode()
    )
    assert (
        login(district.officer_b)
        .post(
            reverse("console:request_misuse_decide", args=[again.pk]),
            {"kind": "repeated", "verdict": "rejected", "reason": "x"},
        )
        .status_code
        == 404
    )
    assert MisuseDecision.objects.count() == 1


def test_suggestion_page_lists_and_records(district: District) -> None:
    ids = ["11010519491231002X", "110101199003071234", "440524188001010014"]
    infos = [submit(district, id_number=i, received_on=date(2024, 2, 1)) for i in ids]
    for info in infos:
        close(district, info)
    client = login(district.officer_a)
    page = client.get(reverse("console:suggestion_list")).content.decode()
    assert "第四十四条" in page and all(i.number in page for i in infos)
    assert (
        infos[0].number
        not in login(district.officer_b).get(reverse("console:suggestion_list")).content.decode()
    )
    key = page.split('name="key" value="')[1].split('"')[0]
    client.post(
        reverse("console:suggestion_decide", args=[district.dept_a.pk]),
        {"key": key, "verdict": "dismissed", "reason": "涉及个案，不宜主动公开"},
    )
    assert infos[0].number not in client.get(reverse("console:suggestion_list")).content.decode()
    assert AuditEvent.objects.filter(verb="inforequest.suggestion_decided").exists()


def test_appeals_recorded_listed_decided_and_shown_on_the_application(district: District) -> None:
    info = submit(district)
    close(district, info)
    client = login(district.officer_a)
    form = client.get(reverse("console:reconsideration_new"), {"request": info.pk}).content.decode()
    assert info.number in form
    response = client.post(
        reverse("console:reconsideration_new"),
        {
            "organization": district.dept_a.pk,
            "request_number": info.number,
            "applicant_name": "张三",
            "body": "测试区人民政府",
            "case_number": "测复〔2024〕1号",
            "filed_on": "2024-03-10",
            "result": "pending",
        },
    )
    assert response.status_code == 302, response.content.decode()
    case = Reconsideration.objects.get()
    assert case.info_request == info
    response = client.post(
        reverse("console:litigation_new"),
        {
            "organization": district.dept_a.pk,
            "applicant_name": "张三",
            "court": "测试区人民法院",
            "route": "after_reconsideration",
            "reconsideration": case.pk,
            "filed_on": "2024-03-15",
            "result": "pending",
        },
    )
    assert response.status_code == 302, response.content.decode()
    suit = Litigation.objects.get()
    assert suit.info_request == info  # taken from the reconsideration
    standalone = client.post(
        reverse("console:reconsideration_new"),
        {
            "organization": district.dept_a.pk,
            "applicant_name": "赵六",
            "body": "测试区人民政府",
            "filed_on": "2024-01-10",
            "result": "pending",
        },
    )
    assert standalone.status_code == 302
    client.post(
        reverse("console:appeal_decide", args=["reconsideration", case.pk]),
        {"result": "upheld", "decided_on": "2024-03-18"},
    )
    case.refresh_from_db()
    assert case.result == "upheld"
    listing = client.get(
        reverse("console:appeal_list"),
        {"year": 2024, "kind": "reconsideration", "result": "upheld"},
    )
    assert "测复〔2024〕1号" in listing.content.decode()
    assert "测试区人民法院" not in listing.content.decode()
    everything = client.get(reverse("console:appeal_list")).content.decode()
    assert "测试区人民法院" in everything and "测复〔2024〕1号" in everything
    detail = client.get(reverse("console:request_detail", args=[info.pk])).content.decode()
    assert "测复〔2024〕1号" in detail and "复议后起诉" in detail
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {
        "appeals.reconsideration.recorded",
        "appeals.litigation.recorded",
        "appeals.reconsideration.decided",
    } <= verbs
    # An officer of another organisation sees none of it.
    other = login(district.officer_b)
    assert "测复〔2024〕1号" not in other.get(reverse("console:appeal_list")).content.decode()
    assert (
        other.get(reverse("console:appeal_detail", args=["litigation", suit.pk])).status_code == 404
    )
    refused = other.post(
        reverse("console:reconsideration_new"),
        {
            "organization": district.dept_a.pk,
            "applicant_name": "x",
            "body": "y",
            "filed_on": "2024-03-10",
            "result": "pending",
        },
    )
    assert refused.status_code == 200 and Reconsideration.objects.count() == 2


def test_appeal_form_refuses_a_decided_result_without_a_date(district: District) -> None:
    response = login(district.officer_a).post(
        reverse("console:reconsideration_new"),
        {
            "organization": district.dept_a.pk,
            "applicant_name": "x",
            "body": "y",
            "filed_on": "2024-03-10",
            "result": "upheld",
        },
    )
    assert "已有结果的案件须填写决定（裁判）日期" in response.content.decode()
    assert not Reconsideration.objects.exists()
