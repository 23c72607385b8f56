"""The report's tables as CSV, and the registry of output formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from gongkai.reports.formats import (
    TABLE2_BLOCKS,
    TABLE3_COLUMN_LABELS,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_COLUMN_LABELS,
    TABLE4_COLUMNS,
)
from gongkai.reports.parse import parse_file
from gongkai.reports.render import MEDIA_TYPES, RENDERERS, RenderUnavailable, render
from gongkai.reports.render.csv import full_label, render_csv
from gongkai.reports.structure import StatutoryReport

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reports"


@pytest.fixture(scope="module", params=["2024_pingtan.html", "2019_shanghai-bangongting.html"])
def report(request: pytest.FixtureRequest) -> StatutoryReport:
    return parse_file(FIXTURES / request.param).report


def sections(text: str) -> list[list[list[str]]]:
    """The CSV's tables, split at the blank lines."""
    out: list[list[list[str]]] = [[]]
    for row in csv.reader(io.StringIO(text)):
        if not row:
            out.append([])
        else:
            out[-1].append(row)
    return out


def count(text: str) -> int | None:
    return int(text) if text else None


def test_table3_round_trips(report: StatutoryReport) -> None:
    table3, _, _ = sections(render_csv(report))
    assert table3[0] == ["项目", *(TABLE3_COLUMN_LABELS[k] for k in TABLE3_COLUMNS)]
    rows = TABLE3_ROWS[report.format_version]
    assert len(table3) == 1 + len(rows)
    for row, line in zip(rows, table3[1:], strict=True):
        assert line[0] == full_label(row)
        assert [count(v) for v in line[1:]] == report.table3[row.key], row.key


def test_full_labels_name_the_group(report: StatutoryReport) -> None:
    table3, _, _ = sections(render_csv(report))
    labels = [line[0] for line in table3[1:]]
    assert "（三）不予公开·1.属于国家秘密" in labels
    assert "一、本年新收政府信息公开申请数量" in labels
    assert "（七）总计" in labels
    assert len(set(labels)) == len(labels)


def test_table4_and_table2(report: StatutoryReport) -> None:
    _, table4, table2 = sections(render_csv(report))
    assert table4[0] == ["项目", "数量"]
    assert [line[0] for line in table4[1:]] == [TABLE4_COLUMN_LABELS[k] for k in TABLE4_COLUMNS]
    assert [count(line[1]) for line in table4[1:]] == report.table4
    assert table2[0] == ["条款", "信息内容", "栏目", "数值"]
    expected = [
        [block.header, row_label, column_label, report.table2[row_key][key]]
        for block in TABLE2_BLOCKS[report.format_version]
        for row_key, row_label in block.rows
        for key, column_label in block.columns
    ]
    assert len(table2) - 1 == len(expected)
    for line, (header, row_label, column_label, value) in zip(table2[1:], expected, strict=True):
        assert line[:3] == [header, row_label, column_label]
        assert line[3] == ("" if value is None else format(value, "f"))


def test_blank_cells_stay_blank() -> None:
    report = StatutoryReport.empty(2020, "某某县人民政府")
    table3, table4, table2 = sections(render_csv(report))
    assert all(v == "" for line in table3[1:] for v in line[1:])
    assert all(line[1] == "" for line in table4[1:])
    assert all(line[3] == "" for line in table2[1:])
    assert any("第二十条第（九）项" in line[0] for line in table2)  # the 2019 format's blocks


def test_render_adds_a_bom_for_excel(report: StatutoryReport) -> None:
    data = render(report, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == render_csv(report)


# --- the registry ------------------------------------------------------------------------
def test_registry_formats() -> None:
    assert set(RENDERERS) == {"html", "csv", "json", "pdf", "docx"}
    assert set(MEDIA_TYPES) == set(RENDERERS)
    with pytest.raises(ValueError, match="不支持"):
        render(StatutoryReport.empty(2024, "某某县人民政府"), "xls")


def test_json_round_trips(report: StatutoryReport) -> None:
    text = RENDERERS["json"](report)
    assert isinstance(text, str)
    assert report.organization in text  # not \\u-escaped
    back = StatutoryReport.from_json(json.loads(render(report, "json").decode("utf-8")))
    assert back.to_json() == report.to_json()


def test_html_download_is_a_whole_document(report: StatutoryReport) -> None:
    data = render(report, "html")
    assert data.startswith(b"<!DOCTYPE html>")
    assert report.title.encode("utf-8") in data


def test_docx_is_loaded_on_demand() -> None:
    report = StatutoryReport.empty(2024, "某某县人民政府")
    try:
        data = render(report, "docx")
    except RenderUnavailable as exc:
        assert "Word" in str(exc)
    else:
        assert data.startswith(b"PK")  # a DOCX is a zip file
