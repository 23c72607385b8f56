"""The portal's 政府信息公开年报 pages (条例第四十九条): published reports only, public, exactly
as published, with PDF and DOCX downloads, and no applicant's personal data."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from gongkai.reports.models import Report
from gongkai.reports.render import MEDIA_TYPES
from gongkai.reports.services import report_create, report_publish, report_save
from tests.conftest import APPLICANT, District
from tests.reports.test_stored import _fix_problems, _submit

YEAR = 2024


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(date(2025, 2, 10), tick=False):
        yield


def _published(district: District) -> Report:
    _submit(district.dept_a, date(YEAR, 3, 1), date(YEAR, 3, 15), district.officer_a)
    _submit(district.dept_a, date(YEAR, 6, 3))
    report = report_create(actor=district.officer_a, organization=district.dept_a, year=YEAR)
    report_save(
        actor=district.officer_a,
        report=report,
        sections=_fix_problems(report.sections),
        table2={},
        table2_sources={},
    )
    report_publish(actor=district.admin_a, report=report)
    return report


def _list(district: District, key: str | None = None) -> str:
    return reverse(
        "portal:annual_report_list", kwargs={"org_key": key or district.dept_a.credit_code}
    )


def _page(district: District, year: int = YEAR) -> str:
    return reverse(
        "portal:annual_report", kwargs={"org_key": district.dept_a.credit_code, "year": year}
    )


def test_published_report_is_public_and_listed(client: Client, district: District) -> None:
    _published(district)
    listing = client.get(_list(district))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert f"{district.dept_a.name}{YEAR}年政府信息公开工作年度报告" in html
    assert _page(district) in html
    # The id works as well as the 统一社会信用代码.
    assert client.get(_list(district, str(district.dept_a.pk))).status_code == 200

    page = client.get(_page(district))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert "全年共受理政府信息公开申请2件" in html
    assert 'class="report-table report-table3"' in html


def test_published_page_holds_no_personal_data(client: Client, district: District) -> None:
    """条例第十五条 and 个人信息保护法: the report states counts, never who applied."""
    _published(district)
    html = client.get(_page(district)).content.decode()
    for personal in ("applicant_name", "id_number", "phone", "email", "address"):
        assert APPLICANT[personal] not in html
    assert APPLICANT["subject"] not in html


def test_unpublished_report_is_not_on_the_portal(client: Client, district: District) -> None:
    report_create(actor=district.officer_a, organization=district.dept_a, year=YEAR)
    assert client.get(_page(district)).status_code == 404
    html = client.get(_list(district)).content.decode()
    assert "暂无已发布的年度报告" in html


def test_the_portal_shows_the_published_version_not_later_edits(
    client: Client, district: District
) -> None:
    report = _published(district)
    report_save(
        actor=district.officer_a,
        report=report,
        sections={"overview": "尚未发布的修改稿。"},
        table2={},
        table2_sources={},
    )
    assert "尚未发布的修改稿" not in client.get(_page(district)).content.decode()


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_downloads(client: Client, district: District, fmt: str) -> None:
    _published(district)
    url = reverse(
        "portal:annual_report_download",
        kwargs={"org_key": district.dept_a.credit_code, "year": YEAR, "fmt": fmt},
    )
    response = client.get(url)
    if fmt == "pdf" and response.status_code == 503:
        pytest.skip("WeasyPrint is not available here")
    assert response.status_code == 200
    assert response["Content-Type"] == MEDIA_TYPES[fmt]
    assert "attachment" in response["Content-Disposition"]


def test_unknown_organisation_format_or_year_is_404(client: Client, district: District) -> None:
    _published(district)
    assert client.get(_list(district, "999999")).status_code == 404
    assert client.get(_list(district, "no-such-code")).status_code == 404
    assert client.get(_page(district, YEAR - 1)).status_code == 404
    url = reverse(
        "portal:annual_report_download",
        kwargs={"org_key": district.dept_a.credit_code, "year": YEAR, "fmt": "json"},
    )
    assert client.get(url).status_code == 404


def test_downloads_of_a_version_are_rendered_once(
    client: Client, district: District, monkeypatch: Any
) -> None:
    from django.core.cache import cache

    from gongkai.reports import portal_views

    cache.clear()
    _published(district)
    calls: list[str] = []
    real = portal_views.render_report

    def counting(report: Any, fmt: str) -> bytes:
        calls.append(fmt)
        return real(report, fmt)

    monkeypatch.setattr(portal_views, "render_report", counting)
    url = reverse(
        "portal:annual_report_download",
        kwargs={"org_key": district.dept_a.credit_code, "year": YEAR, "fmt": "docx"},
    )
    first, second = client.get(url), client.get(url)
    assert first.content == second.content
    assert calls == ["docx"]


def test_sitemap_lists_published_reports_only(client: Client, district: District) -> None:
    from tests.portal.test_feeds_search import _sitemap_paths

    assert not any("annual-reports" in p for p in _sitemap_paths(client))  # nothing published
    _published(district)
    paths = _sitemap_paths(client)
    code = district.dept_a.credit_code
    assert {p for p in paths if "annual-reports" in p} == {
        f"gk/{code}/annual-reports/",
        f"gk/{code}/annual-reports/{YEAR}/",
    }
