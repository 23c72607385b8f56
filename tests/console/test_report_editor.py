"""The stored report in the console: start it, edit the narrative and table 二 next to the
validator's findings, publish it (supervisor or org admin), compare years in charts with a
table of the same figures."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

import gongkai.reports
from gongkai.reports.formats import SECTION_KEYS
from gongkai.reports.models import Report, ReportVersion
from tests.conftest import District
from tests.reports.test_stored import _fix_problems, _submit

YEAR = 2024


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(date(2025, 2, 10), tick=False):
        yield


@pytest.fixture
def applications(district: District) -> None:
    _submit(district.dept_a, date(2023, 5, 4), date(2023, 5, 20), district.officer_a)
    _submit(district.dept_a, date(YEAR, 3, 1), date(YEAR, 3, 15), district.officer_a)
    _submit(district.dept_a, date(YEAR, 6, 3))


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, district: District, **extra: Any) -> str:
    return reverse(f"console:{name}", kwargs={"org_pk": district.dept_a.pk, "year": YEAR, **extra})


def _form_data(report: Report, **sections: str) -> dict[str, str]:
    data = {f"section_{k}": v for k, v in _fix_problems(report.sections).items()}
    data.update({f"section_{k}": v for k, v in sections.items()})
    return data


def _started(district: District) -> Report:
    response = _client(district.officer_a).post(_url("report_start", district))
    assert response.status_code == 302
    return Report.objects.get(organization=district.dept_a, year=YEAR)


@pytest.mark.usefixtures("applications")
def test_officer_starts_the_report_with_a_draft(district: District) -> None:
    report = _started(district)
    html = _client(district.officer_a).get(_url("report_detail", district)).content.decode()
    assert html.count("<h1") == 1
    assert 'name="section_requests"' in html
    assert "全年共受理政府信息公开申请2件，比上年增加1件" in html
    assert 'name="table2_licensing__decisions"' in html
    assert 'name="source_licensing"' in html
    # Placeholders of the draft are findings that link to their field.
    assert 'href="#id_section_overview"' in html
    assert report.versions.count() == 1


@pytest.mark.usefixtures("applications")
def test_saving_shows_the_finding_for_a_wrong_figure(district: District) -> None:
    report = _started(district)
    client = _client(district.officer_a)
    wrong = "2024年，全年共受理政府信息公开申请9件。"
    response = client.post(
        _url("report_detail", district),
        {**_form_data(report, requests=wrong), "table2_penalty__decisions": "15"},
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "已保存为第 2 版" in html
    assert "所述收到申请 9 件" in html
    assert html.index('name="section_overview"') < html.index('id="findings"')
    # The version list says who changed what, in words.
    versions = html[html.index('id="versions"') :]
    assert "表二 行政处罚·本年处理决定数量" in versions
    assert "三、收到和处理政府信息公开申请情况" in versions
    assert "officer_a" in versions
    report.refresh_from_db()
    assert report.table2 == {"penalty": {"decisions": "15"}}
    assert ReportVersion.objects.filter(report=report).count() == 2


@pytest.mark.usefixtures("applications")
def test_bad_input_is_shown_in_the_form(district: District) -> None:
    report = _started(district)
    response = _client(district.officer_a).post(
        _url("report_detail", district),
        {**_form_data(report), "table2_penalty__decisions": "-3"},
    )
    assert response.status_code == 200
    assert "错误：" in response.content.decode()
    assert report.versions.count() == 1


@pytest.mark.usefixtures("applications")
def test_publish_refused_with_errors_then_done(district: District) -> None:
    report = _started(district)
    officer, admin = _client(district.officer_a), _client(district.admin_a)
    assert officer.post(_url("report_publish", district)).status_code == 403
    response = admin.post(_url("report_publish", district), follow=True)
    assert "未发布：检查发现" in response.content.decode()
    assert not ReportVersion.objects.published().exists()

    officer.post(_url("report_detail", district), _form_data(report))
    response = admin.post(_url("report_publish", district), follow=True)
    html = response.content.decode()
    assert "公开门户已显示" in html
    assert ReportVersion.objects.published().count() == 1
    portal = reverse(
        "portal:annual_report", kwargs={"org_key": district.dept_a.credit_code, "year": YEAR}
    )
    assert portal in html
    assert Client().get(portal).status_code == 200


def test_reviewer_sees_the_report_without_a_form(district: District) -> None:
    _started(district)
    html = _client(district.reviewer_a).get(_url("report_detail", district)).content.decode()
    assert 'name="section_overview"' not in html
    assert "没有编写权限" in html
    response = _client(district.reviewer_a).post(_url("report_detail", district), {})
    assert response.status_code == 403


def test_sibling_officer_cannot_start_or_publish(district: District) -> None:
    client = _client(district.officer_b)
    assert client.post(_url("report_start", district)).status_code == 404
    assert client.post(_url("report_publish", district)).status_code == 404
    assert not Report.objects.exists()


@pytest.mark.usefixtures("applications")
def test_download_of_a_started_report_carries_its_narrative(district: District) -> None:
    report = _started(district)
    client = _client(district.officer_a)
    client.post(
        _url("report_detail", district), _form_data(report, overview="本机关的总体情况良好。")
    )
    content = client.get(_url("report_download", district, fmt="html")).content.decode()
    assert "本机关的总体情况良好。" in content


@pytest.mark.usefixtures("applications")
def test_supervisor_starts_a_consolidated_report(district: District) -> None:
    client = _client(district.supervisor)
    url = reverse("console:report_start", kwargs={"org_pk": district.gov.pk, "year": YEAR})
    client.post(url, {"consolidated": "1"})
    report = Report.objects.get(organization=district.gov)
    assert set(report.includes.values_list("pk", flat=True)) == {
        district.dept_a.pk,
        district.dept_b.pk,
        district.street.pk,
    }
    detail = reverse("console:report_detail", kwargs={"org_pk": district.gov.pk, "year": YEAR})
    html = client.get(detail).content.decode()
    assert 'name="includes"' in html
    # Unticking a department takes it out of the consolidated figures.
    data = {**_form_data(report), "includes": [district.dept_b.pk, district.street.pk]}
    client.post(detail, data)
    assert set(report.includes.values_list("pk", flat=True)) == {
        district.dept_b.pk,
        district.street.pk,
    }


@pytest.mark.usefixtures("applications")
def test_compare_page_has_charts_and_the_same_figures_as_tables(district: District) -> None:
    url = reverse("console:report_compare", kwargs={"org_pk": district.dept_a.pk})
    html = _client(district.officer_a).get(url).content.decode()
    assert "reports/vendor/echarts/echarts.min.js" in html
    data = json.loads(
        re.search(
            r'<script id="report-compare-data" type="application/json">(.*?)</script>', html
        ).group(1)  # type: ignore[union-attr]
    )
    assert data["years"] == [str(y) for y in range(2019, 2025)]
    applications = data["charts"][0]
    received = applications["series"][0]["values"]
    assert received[data["years"].index("2023")] == 1
    assert received[data["years"].index("2024")] == 2
    # The accessible alternative: a table per chart with the same numbers.
    assert html.count('class="report-chart" aria-hidden="true"') == 3
    table = html[html.index('id="chart-applications-caption"') :]
    row_2024 = re.search(r'<th scope="row">2024</th>((?:<td class="num">\d+</td>)+)', table)
    assert row_2024 is not None
    cells = [int(v) for v in re.findall(r"\d+", row_2024.group(1))]
    assert cells == [s["values"][data["years"].index("2024")] for s in applications["series"]]


def test_compare_page_of_another_agency_is_404(district: District) -> None:
    url = reverse("console:report_compare", kwargs={"org_pk": district.dept_a.pk})
    assert _client(district.officer_b).get(url).status_code == 404


def test_echarts_is_vendored_with_its_licence() -> None:
    vendor = Path(gongkai.reports.__file__).parent / "static" / "reports" / "vendor" / "echarts"
    assert (vendor / "echarts.min.js").stat().st_size > 500_000
    assert "Apache License" in (vendor / "LICENSE").read_text()
    assert (vendor / "NOTICE").exists()


def test_every_section_has_a_field(district: District) -> None:
    _started(district)
    html = _client(district.officer_a).get(_url("report_detail", district)).content.decode()
    for key in SECTION_KEYS:
        assert f'id="id_section_{key}"' in html
