"""The catalog export read back by the import: nothing withheld, on request, withdrawn or never
published becomes public; the export is scoped to the exporter's organisations and audited."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.audit.models import AuditEvent
from gongkai.catalogs import excel, exports, imports
from gongkai.catalogs.models import CatalogImport
from gongkai.publications import services as pub_services
from gongkai.publications.models import Publication
from gongkai.publications.selectors import Filters
from tests.catalogs.conftest import published
from tests.catalogs.test_console import login
from tests.catalogs.test_excel import row, workbook
from tests.conftest import make_user
from tests.publications.conftest import make_draft

ONLY_PROACTIVE = "导入只接受已主动公开的政府信息"
ONLY_PUBLISHED = "导入只接受已发布的政府信息"


def not_proactive(district: Any, title: str, attribute: str) -> Publication:
    pub = make_draft(district, title=title)
    pub_services.publication_submit(actor=district.officer_a, publication=pub)
    return pub_services.publication_review(
        actor=district.reviewer_a,
        publication=pub,
        secrecy_ok=True,
        disclosure_attribute=attribute,
        withholding_reason="third_party",
        withholding_basis="条例第十五条",
    )


@pytest.fixture
def catalog(district: Any) -> dict[str, Publication]:
    """Department A's catalog: one item of each kind the export holds."""
    withdrawn = published(district, title="已撤回的通知")
    pub_services.publication_withdraw(
        actor=district.reviewer_a, publication=withdrawn, reason="内容有误"
    )
    return {
        "published": published(district, title="已发布的通知"),
        "draft": make_draft(district, title="起草中的通知"),
        "withheld": not_proactive(district, "不予公开的报告", "withheld"),
        "on_request": not_proactive(district, "依申请公开的答复", "on_request"),
        "withdrawn": withdrawn,
    }


def rows_by_title(content: bytes) -> dict[str, int]:
    ws = load_workbook(io.BytesIO(content)).active
    return {r[0]: n for n, r in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2)}


def dated(content: bytes) -> bytes:
    """The export with a 发布日期 typed into the rows that have none (never published), as an
    officer completing the file before importing it would."""
    wb = load_workbook(io.BytesIO(content))
    ws = wb.active
    column = [c.value for c in ws[1]].index("发布日期") + 1
    for n in range(2, ws.max_row + 1):
        if ws.cell(row=n, column=column).value is None:
            ws.cell(row=n, column=column, value=timezone.localdate())
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_reimported_export_publishes_only_published_proactive_rows(
    district: Any, catalog: dict[str, Publication]
) -> None:
    everything, _n = exports.catalog_export(actor=district.officer_a, filters=Filters())
    only_published, _n = exports.catalog_export(
        actor=district.officer_a, filters=Filters(status="published")
    )
    kept_number = catalog["published"].index_number
    # A new installation: none of the exported items is held yet, no 索引号 is taken.
    Publication.objects.all().delete()
    at = rows_by_title(everything)

    result = excel.read_catalog(dated(everything), today=timezone.localdate())

    assert {(e.row, e.column, e.message) for e in result.errors} == {
        (at["起草中的通知"], "状态", f"状态为“草稿”，{ONLY_PUBLISHED}"),
        (at["不予公开的报告"], "公开属性", f"公开属性为“不予公开”，{ONLY_PROACTIVE}"),
        (at["不予公开的报告"], "状态", f"状态为“不主动公开”，{ONLY_PUBLISHED}"),
        (at["依申请公开的答复"], "公开属性", f"公开属性为“依申请公开”，{ONLY_PROACTIVE}"),
        (at["依申请公开的答复"], "状态", f"状态为“不主动公开”，{ONLY_PUBLISHED}"),
        (at["已撤回的通知"], "状态", f"状态为“已撤回”，{ONLY_PUBLISHED}"),
    }
    # The published 主动公开 items alone re-import cleanly, keeping their 索引号.
    clean = excel.read_catalog(only_published, today=timezone.localdate())
    assert clean.ok
    importer = make_user("importer_a", officer=district.dept_a, reviewer=district.dept_a)
    imports.catalog_import(actor=importer, organization=district.dept_a, rows=clean.rows)
    again = Publication.objects.get()
    assert (again.title, again.status, again.disclosure_attribute, again.index_number) == (
        "已发布的通知",
        "published",
        "proactive",
        kept_number,
    )


def test_uploaded_export_is_refused_with_the_row_and_the_reason(
    district: Any, catalog: dict[str, Publication]
) -> None:
    content = login(district.officer_a).get(reverse("console:cat_export")).content
    Publication.objects.all().delete()
    importer = make_user("importer_a", officer=district.dept_a, reviewer=district.dept_a)

    response = login(importer).post(
        reverse("console:cat_import"),
        {"organization": district.dept_a.pk, "file": SimpleUploadedFile("目录.xlsx", content)},
    )

    html = response.content.decode()
    row = rows_by_title(content)["不予公开的报告"]
    assert f"<td>{row}</td><td>公开属性</td><td>公开属性为“不予公开”，{ONLY_PROACTIVE}</td>" in html
    assert "未导入任何一行" in html
    assert not CatalogImport.objects.exists()
    assert not Publication.objects.exists()


def test_a_legacy_catalog_must_state_proactive_disclosure_in_every_row(district: Any) -> None:
    data = workbook(
        [*row("主动公开的"), "主动公开"],
        [*row("不予公开的"), "不予公开"],
        [*row("未填的"), ""],
        [*row("部分公开的"), "部分公开"],
        extra=["公开属性"],
    )

    result = excel.read_catalog(data, today=timezone.localdate())

    assert [(e.row, e.message) for e in result.errors] == [
        (3, f"公开属性为“不予公开”，{ONLY_PROACTIVE}"),
        (4, f"公开属性为空，{ONLY_PROACTIVE}，请填写“主动公开”"),
        (5, "“部分公开”不是可选值，请从下拉列表选择"),
    ]
    assert [r.row for r in result.rows] == [2]


def test_export_is_audited_with_organisation_filters_and_counts(
    district: Any, catalog: dict[str, Publication]
) -> None:
    response = login(district.officer_a).get(
        reverse("console:cat_export"), {"organization": district.dept_a.pk}
    )

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    event = AuditEvent.objects.get(verb="catalog.exported")
    assert (event.actor, event.organization) == (district.officer_a, district.dept_a)
    assert event.after == {
        "filters": {"organization": district.dept_a.pk},
        "organizations": [district.dept_a.pk],
        "rows": 5,
        "not_published": 4,
        "not_proactive": 2,
    }


def test_officer_of_another_organisation_cannot_export_this_catalog(
    district: Any, catalog: dict[str, Publication]
) -> None:
    client = login(district.officer_b)

    asked = client.get(reverse("console:cat_export"), {"organization": district.dept_a.pk})
    unfiltered = client.get(reverse("console:cat_export"))

    assert asked.status_code == 404
    assert load_workbook(io.BytesIO(unfiltered.content)).active.max_row == 1  # headers only
    # The service scopes by itself, whatever a caller passes.
    _content, count = exports.catalog_export(
        actor=district.officer_b, filters=Filters(organization=district.dept_a.pk)
    )
    assert count == 0
    assert AuditEvent.objects.filter(verb="catalog.exported", actor=district.officer_b).count() == 2
