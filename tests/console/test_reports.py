"""年度报告 in the console: the report built from the applications, consolidated for a
district government, its findings, downloads in every format (audited) and isolation between
agencies."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.console.views import reports as report_views
from gongkai.inforequests import services
from gongkai.inforequests.constants import Outcome
from gongkai.orgs.models import Organization, User
from gongkai.reports.formats import CARRIED_OVER, OUTCOME_TOTAL, RECEIVED
from gongkai.reports.render import MEDIA_TYPES, RenderUnavailable
from tests.conftest import APPLICANT, District, make_user
from tests.inforequests.letters_support import close_with_reply

YEAR = 2024


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(date(2025, 2, 10), tick=False):
        yield


def _submit(org: Organization, received: date) -> Any:
    request, _ = services.request_submit(
        organization=org, data=APPLICANT, channel="online", received_on=received
    )
    return request


@pytest.fixture
def applications(district: District) -> None:
    """Department A: three applications in the year, one of them answered; the district
    government: one."""
    first = _submit(district.dept_a, date(YEAR, 3, 1))
    _submit(district.dept_a, date(YEAR, 6, 3))
    _submit(district.dept_a, date(YEAR, 12, 2))
    _submit(district.gov, date(YEAR, 5, 6))
    close_with_reply(
        actor=district.officer_a,
        request=first,
        outcome=Outcome.DISCLOSED,
        legal_basis="《政府信息公开条例》第三十六条第（一）项",
        reasons="予以公开",
        on=date(YEAR, 3, 15),
    )


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _cell(html: str, row: str, year: int = YEAR) -> str:
    """The 总计 cell of a row of table 三 in the report fragment."""
    pattern = (
        rf'<td headers="[^"]*report-{year}-t3-r-{row} [^"]*-t3-c-total" class="num">(\d*)</td>'
    )
    match = re.search(pattern, html)
    assert match, row
    return match.group(1)


def _detail(org: Organization, year: int = YEAR) -> str:
    return reverse("console:report_detail", kwargs={"org_pk": org.pk, "year": year})


def _download(org: Organization, fmt: str, year: int = YEAR) -> str:
    return reverse("console:report_download", kwargs={"org_pk": org.pk, "year": year, "fmt": fmt})


# --- choosing ---------------------------------------------------------------------------


def test_index_offers_own_organisations_and_last_year(district: District) -> None:
    response = _client(district.officer_a).get(reverse("console:report_index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert district.dept_a.name in html
    assert district.dept_b.name not in html
    assert '<option value="2024" selected>' in html
    assert "合并下属部门和街道（镇）" not in html  # a department has nothing to consolidate


def test_index_redirects_to_the_report(district: District) -> None:
    client = _client(district.supervisor)
    index = reverse("console:report_index")
    page = client.get(index).content.decode()
    assert "合并下属部门和街道（镇）" in page
    response = client.get(index, {"organization": district.gov.pk, "year": YEAR})
    assert response.status_code == 302
    assert response["Location"] == _detail(district.gov)
    response = client.get(
        index, {"organization": district.gov.pk, "year": YEAR, "consolidated": "on"}
    )
    assert response["Location"] == _detail(district.gov) + "?consolidated=1"


def test_index_refuses_an_organisation_outside_the_scope(district: District) -> None:
    client = _client(district.officer_b)
    response = client.get(
        reverse("console:report_index"), {"organization": district.dept_a.pk, "year": YEAR}
    )
    assert response.status_code == 200  # the form again, with an error
    assert district.dept_a.name not in response.content.decode()


def test_administrators_have_no_reports(district: District) -> None:
    client = _client(district.auditor)
    response = client.get(reverse("console:report_index"))
    assert response.status_code == 200
    assert "您没有可查看年度报告的机关" in response.content.decode()
    assert client.get(_detail(district.dept_a)).status_code == 404


# --- the report -------------------------------------------------------------------------


@pytest.mark.usefixtures("applications")
def test_report_shows_the_applications_of_the_year(district: District) -> None:
    response = _client(district.officer_a).get(_detail(district.dept_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert _cell(html, RECEIVED) == "3"
    assert _cell(html, OUTCOME_TOTAL) == "1"
    assert _cell(html, CARRIED_OVER) == "2"
    # The validator's findings are listed above the report, with counts.
    assert html.index('id="findings"') < html.index('class="statutory-report"')
    assert "缺少“一、总体情况”部分或该部分没有内容" in html
    assert "<td>一、总体情况</td>" in html  # where: the section, in words
    assert re.search(r"错误 0 项，警告 \d+ 项，提示 \d+ 项", html)
    assert "尚未开始编写" in html
    # One h1 on the page: the report's own title sits under the page's heading (WCAG 1.3.1).
    assert html.count("<h1") == 1


@pytest.mark.usefixtures("applications")
def test_carry_over_reconciles_with_last_year(district: District) -> None:
    """Applications still open at the end of 2024 are carried into 2025; the previous year's
    report is built for the cross-year check and agrees."""
    html = _client(district.officer_a).get(_detail(district.dept_a, 2025)).content.decode()
    assert _cell(html, "carried_in", 2025) == "2"
    assert "table3.carry_over" not in html
    assert "错误 0 项" in html


@pytest.mark.usefixtures("applications")
def test_consolidated_report_includes_the_departments(district: District) -> None:
    client = _client(district.supervisor)
    own = client.get(_detail(district.gov)).content.decode()
    assert _cell(own, RECEIVED) == "1"
    assert "合并下属部门和街道（镇）" in own  # offered as a link
    whole = client.get(_detail(district.gov) + "?consolidated=1").content.decode()
    assert _cell(whole, RECEIVED) == "4"
    assert district.dept_a.name in whole
    assert district.street.name in whole


@pytest.mark.usefixtures("applications")
def test_consolidation_is_limited_to_what_the_user_may_view(district: District) -> None:
    officer = make_user("officer_gov", officer=district.gov)
    html = _client(officer).get(_detail(district.gov) + "?consolidated=1").content.decode()
    assert _cell(html, RECEIVED) == "1"  # officers see their own organisations only
    assert district.dept_a.name not in html


@pytest.mark.usefixtures("applications")
def test_sibling_officer_gets_404(district: District) -> None:
    client = _client(district.officer_b)
    assert client.get(_detail(district.dept_a)).status_code == 404
    assert client.get(_download(district.dept_a, "csv")).status_code == 404
    assert not AuditEvent.objects.filter(verb="report.downloaded").exists()


def test_years_outside_the_range_are_404(district: District) -> None:
    client = _client(district.officer_a)
    assert client.get(_detail(district.dept_a, 2018)).status_code == 404
    assert client.get(_detail(district.dept_a, 2026)).status_code == 404
    assert client.get(_download(district.dept_a, "exe")).status_code == 404


# --- downloads --------------------------------------------------------------------------


@pytest.mark.usefixtures("applications")
@pytest.mark.parametrize("fmt", ["html", "csv", "json", "docx"])
def test_download_has_media_type_filename_and_audit(district: District, fmt: str) -> None:
    response = _client(district.officer_a).get(_download(district.dept_a, fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == MEDIA_TYPES[fmt]
    filename = f"{district.dept_a.name}{YEAR}年政府信息公开工作年度报告.{fmt}"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"filename*=UTF-8''{quote(filename)}" in response["Content-Disposition"]
    event = AuditEvent.objects.get(verb="report.downloaded")
    assert event.actor == district.officer_a
    assert event.organization == district.dept_a
    assert event.after is not None
    assert event.after["year"] == YEAR
    assert event.after["format"] == fmt
    if fmt == "json":
        data = json.loads(response.content)
        assert data["year"] == YEAR
        assert data["organization"] == district.dept_a.name
    if fmt == "docx":
        assert response.content.startswith(b"PK")


@pytest.mark.usefixtures("applications")
def test_consolidated_download_is_audited_with_its_parts(district: District) -> None:
    url = _download(district.gov, "json") + "?consolidated=1"
    response = _client(district.supervisor).get(url)
    assert json.loads(response.content)["table3"]["rows"][RECEIVED][-1] == 4
    event = AuditEvent.objects.get(verb="report.downloaded")
    assert event.after is not None
    assert event.after["consolidated"] is True
    assert district.dept_a.pk in event.after["organizations"]


def test_pdf_download(district: District) -> None:
    response = _client(district.officer_a).get(_download(district.dept_a, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(verb="report.downloaded").count() == 1


def test_unavailable_format_shows_a_message(district: District, monkeypatch: Any) -> None:
    def unavailable(report: Any, fmt: str) -> bytes:
        raise RenderUnavailable("无法生成 PDF：服务器未安装 WeasyPrint。")

    monkeypatch.setattr(report_views, "render_report", unavailable)
    response = _client(district.officer_a).get(_download(district.dept_a, "pdf"))
    assert response.status_code == 503
    html = response.content.decode()
    assert "暂时无法导出" in html
    assert "无法生成 PDF：服务器未安装 WeasyPrint。" in html
    assert not AuditEvent.objects.filter(verb="report.downloaded").exists()
