"""Excel import of an existing catalog (all or nothing, row-level report in Chinese) and export."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from gongkai.audit.models import AuditEvent
from gongkai.catalogs import excel, imports
from gongkai.publications import selectors as pub_selectors
from gongkai.publications.models import IndexSequence, Publication
from tests.catalogs.conftest import published
from tests.conftest import make_user

TODAY = date(2025, 6, 30)
HEADERS = [
    "信息名称*",
    "发布日期*",
    "索引号",
    "发文字号",
    "成文日期*",
    "法定主动公开内容*",
    "主题分类*",
]


def row(title: str, **over: Any) -> list[Any]:
    values = {
        "信息名称*": title,
        "发布日期*": date(2023, 5, 8),
        "索引号": "",
        "发文字号": "",
        "成文日期*": "2022-01-10",
        "法定主动公开内容*": "20-01",
        "主题分类*": "综合政务\\政务公开",
    }
    values.update({k if k in values else k + "*": v for k, v in over.items()})
    return [values[h] for h in HEADERS]


def workbook(*rows: list[Any], headers: list[str] = HEADERS, extra: list[str] = ()) -> bytes:  # type: ignore[assignment]
    wb = Workbook()
    ws = wb.active
    ws.append(headers + list(extra))
    for r in rows:
        ws.append(r)
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:  # text starting with "=" stays text, as an office user types it
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def importer(district: Any) -> Any:
    """Imported items are published: the importer drafts and reviews for department A."""
    return make_user("importer_a", officer=district.dept_a, reviewer=district.dept_a)


def run_import(district: Any, user: Any, data: bytes) -> excel.ReadResult:
    result = excel.read_catalog(data, today=TODAY)
    if result.ok:
        imports.catalog_import(
            actor=user, organization=district.dept_a, rows=result.rows, file_name="目录.xlsx"
        )
    return result


def test_template_has_the_columns_and_reads_back_empty() -> None:
    wb = load_workbook(io.BytesIO(excel.template()))
    ws = wb[excel.SHEET_TITLE]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["信息名称*", "发布日期*", "索引号"]
    assert {"可选值", "填写说明"} <= set(wb.sheetnames)
    assert ws.data_validations.dataValidation  # drop-down lists for the coded columns
    with pytest.raises(excel.UploadRejected, match="没有数据行"):
        excel.read_catalog(excel.template(), today=TODAY)


def test_import_keeps_original_dates_and_index_numbers(district: Any, importer: Any) -> None:
    data = workbook(
        row("关于印发甲办法的通知", 索引号="OLD-2023-0001", 发文字号="测教发〔2023〕1号"),
        row("乙通知", 发布日期="2022/12/30", 成文日期="2022年12月1日"),
        row("丙公告", 发布日期="2023-01-05"),
    )
    result = run_import(district, importer, data)
    assert result.ok, result.errors
    pubs = {p.title: p for p in Publication.objects.filter(organization=district.dept_a)}
    first = pubs["关于印发甲办法的通知"]
    assert first.status == "published" and first.published_on == date(2023, 5, 8)
    assert first.index_number == "OLD-2023-0001"  # kept: present and unique
    assert first.document_number_key == "测教发[2023]1号"
    assert first.topic == "0201" and first.statutory_category == "20-01"
    # Rows without one get the organisation's pattern in the year of their original date.
    code = district.dept_a.credit_code
    assert pubs["乙通知"].index_number == f"{code}/2022-00001"
    assert pubs["丙公告"].index_number == f"{code}/2023-00001"
    assert pubs["乙通知"].published_on == date(2022, 12, 30)
    # Audit: created + imported per row, one summary event.
    assert AuditEvent.objects.filter(verb="publication.created").count() == 3
    imported = AuditEvent.objects.filter(verb="publication.imported")
    assert imported.count() == 3 and {e.actor_id for e in imported} == {importer.pk}
    summary = AuditEvent.objects.get(verb="catalog.imported")
    assert summary.after == {"rows": 3, "file": "目录.xlsx"}
    assert summary.organization_id == district.dept_a.pk


def test_kept_number_of_our_own_pattern_moves_the_sequence(district: Any, importer: Any) -> None:
    code = district.dept_a.credit_code
    data = workbook(
        row("新编号", 发布日期="2023-03-01"),  # allocated after the kept ones
        row("原编号", 索引号=f"{code}/2023-00007", 发布日期="2023-02-01"),
    )
    assert run_import(district, importer, data).ok
    new = Publication.objects.get(title="新编号")
    assert new.index_number == f"{code}/2023-00008"
    assert IndexSequence.objects.get(organization=district.dept_a, year=2023).last == 8
    kept = Publication.objects.get(title="原编号")
    assert (kept.index_year, kept.index_seq) == (2023, 7)


def test_kept_number_of_the_previous_year_moves_that_years_sequence(
    district: Any, importer: Any
) -> None:
    code = district.dept_a.credit_code
    data = workbook(
        row("十二月编号一月发布", 索引号=f"{code}/2022-00031", 发布日期="2023-01-04"),
        row("另一机构的编号", 索引号="000014349/2022-00156"),
    )
    assert run_import(district, importer, data).ok
    assert IndexSequence.objects.get(organization=district.dept_a, year=2022).last == 31
    assert not IndexSequence.objects.filter(year=2023).exists()
    foreign = Publication.objects.get(title="另一机构的编号")
    assert foreign.index_number == "000014349/2022-00156" and foreign.index_seq is None


def test_a_bad_row_in_the_middle_imports_nothing(district: Any, importer: Any) -> None:
    before = AuditEvent.objects.count()
    data = workbook(
        row("第一条"),
        row("", 发布日期="2023-13-45", 法定主动公开内容="第二十条"),
        row("第三条"),
    )
    result = run_import(district, importer, data)
    assert not result.ok
    assert Publication.objects.count() == 0
    assert not IndexSequence.objects.exists()
    assert AuditEvent.objects.count() == before
    # Excel row 3 (the header is row 1), each problem with its column, in Chinese.
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "信息名称"),
        (3, "发布日期"),
        (3, "法定主动公开内容"),
    ]
    messages = [e.message for e in result.errors]
    assert messages[0] == "必填项为空"
    assert "日期格式无法识别：“2023-13-45”" in messages[1]
    assert "“第二十条”不是可选值" in messages[2]


def test_row_validation_messages(district: Any, importer: Any) -> None:
    published(district, title="已有信息")
    taken = Publication.objects.get(title="已有信息").index_number
    data = workbook(
        row("甲", 索引号="A-1"),
        row("乙", 索引号="A-1"),
        row("丙", 索引号=taken),
        row("丁", 发布日期="2026-01-01"),
        row("戊", 成文日期="2023-06-01"),
        row("己", 主题分类="9999"),
        row("庚：联系人手机13812345678"),
        row("辛" * 301),
    )
    errors = {(e.row, e.column): e.message for e in excel.read_catalog(data, today=TODAY).errors}
    assert errors[(3, "索引号")] == "索引号与第2行重复"
    assert errors[(4, "索引号")] == "索引号已被现有信息使用"
    assert errors[(5, "发布日期")] == "发布日期不能晚于今天"
    assert errors[(6, "成文日期")] == "成文日期不能晚于发布日期"
    assert "不是可选值" in errors[(7, "主题分类")]
    assert errors[(8, "正文")] == "含有个人信息（手机号码），请遮盖后再导入"
    assert "300" in errors[(9, "信息名称")]  # the model's own length check
    assert (2, "索引号") not in errors


def test_validity_needs_a_date_and_only_for_normative_documents() -> None:
    headers = [*HEADERS, "规章或行政规范性文件", "有效性", "废止或失效日期"]
    data = workbook(
        [*row("甲"), "行政规范性文件", "已废止", ""],
        [*row("乙"), "", "已废止", "2024-01-01"],
        [*row("丙"), "行政规范性文件", "已废止", "2024-01-01"],
        headers=headers,
    )
    result = excel.read_catalog(data, today=TODAY)
    assert {(e.row, e.column) for e in result.errors} == {(2, "废止或失效日期"), (3, "有效性")}
    assert [r.ceased_on for r in result.rows] == [date(2024, 1, 1)]


def test_upload_guards(monkeypatch: Any) -> None:
    with pytest.raises(excel.UploadRejected, match="不是 Excel"):
        excel.read_catalog(b"%PDF-1.7 not a workbook", today=TODAY)
    with pytest.raises(excel.UploadRejected, match="不是 Excel"):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("hello.txt", "a zip that is no workbook")
        excel.read_catalog(buf.getvalue(), today=TODAY)
    macro = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook(row("甲")))) as src,
        zipfile.ZipFile(macro, "w") as dst,
    ):
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/vbaProject.bin", b"\x00" * 10)
    with pytest.raises(excel.UploadRejected, match="宏"):
        excel.read_catalog(macro.getvalue(), today=TODAY)
    with pytest.raises(excel.UploadRejected, match="缺少必填列：发布日期"):
        excel.read_catalog(workbook(["甲"], headers=["信息名称"]), today=TODAY)
    monkeypatch.setattr(excel, "MAX_ROWS", 2)
    with pytest.raises(excel.UploadRejected, match="最多导入 2 行"):
        excel.read_catalog(workbook(row("甲"), row("乙"), row("丙")), today=TODAY)
    monkeypatch.setattr(excel, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(excel.UploadRejected, match="文件过大"):
        excel.read_catalog(workbook(row("甲")), today=TODAY)


def test_only_an_officer_who_also_reviews_may_import(district: Any) -> None:
    result = excel.read_catalog(workbook(row("甲")), today=TODAY)
    for user in (district.officer_a, district.reviewer_a, district.officer_b):
        with pytest.raises(PermissionDenied):
            imports.catalog_import(actor=user, organization=district.dept_a, rows=result.rows)
    assert not Publication.objects.exists()


def test_export_with_listing_filters_round_trips(district: Any, importer: Any) -> None:
    data = workbook(
        row('=HYPERLINK("http://evil")', 索引号="X-1"),
        row("二〇二二年的通知", 发布日期="2022-03-01", 索引号="X-2"),
    )
    assert run_import(district, importer, data).ok
    published(district, title="乙局的信息")  # department A too; B's officer sees none of it
    qs = pub_selectors.console_list(district.officer_a, pub_selectors.Filters(year=2023))
    ws = load_workbook(io.BytesIO(excel.export_catalog(qs)))[excel.SHEET_TITLE]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    assert header[-3:] == ("发布机构", "公开属性", "状态")
    assert len(rows) == 2  # the 2023 filter
    values = dict(zip(header, rows[1], strict=True))
    assert values["信息名称"] == '=HYPERLINK("http://evil")'  # text, not a formula
    assert ws.cell(row=2, column=1).data_type == "s"
    assert values["索引号"] == "X-1"
    assert values["主题分类"] == "综合政务\\政务公开"
    assert values["法定主动公开内容"].startswith("（一）")
    assert values["发布机构"] == district.dept_a.name
    # The export reads back as an import (same columns); the 索引号 are now taken.
    again = excel.read_catalog(excel.export_catalog(qs), today=TODAY)
    assert [e.message for e in again.errors] == ["索引号已被现有信息使用"]
    other = pub_selectors.console_list(district.officer_b)
    assert not other.exists()


def test_search_hears_of_each_imported_item_after_commit(
    district: Any, importer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from gongkai.publications.signals import publication_changed

    heard: list[int] = []

    def receiver(sender: Any, publication_id: int, **kwargs: Any) -> None:
        heard.append(publication_id)

    publication_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert run_import(district, importer, workbook(row("甲"), row("乙"))).ok
    finally:
        publication_changed.disconnect(receiver)
    assert set(heard) == set(Publication.objects.values_list("pk", flat=True))
