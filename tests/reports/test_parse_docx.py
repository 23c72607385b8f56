"""Reading reports published as Word documents. No sample .docx is kept: each test builds one
with python-docx the way Word lays out the official tables (merged header cells, a group
label merged down its sub-rows) and reads it back."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.table import Table

from gongkai.reports.findings import Severity
from gongkai.reports.formats import (
    OUTCOME_GROUPS,
    RESULTS_LABEL,
    SECTION_KEYS,
    SECTION_TITLES,
    TABLE3_BALANCE_NOTE,
    TABLE3_COLUMN_LABELS,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_RESULT_LABELS,
    FormatVersion,
)
from gongkai.reports.parse import ParseResult, UnreadableReport, parse_file
from gongkai.reports.parse.docx import _grid, parse_docx
from gongkai.reports.parse.grid import grid_from_repeated

V2019, V2021 = FormatVersion.V2019, FormatVersion.V2021
TITLE = "示例区人民政府2023年度政府信息公开工作年度报告"
TOP_ROWS = ("received", "carried_in", "carried_over")
SPANNING_ROWS = ("disclosed", "partly_disclosed", "outcome_total", "other_handling")


def values_for(version: FormatVersion) -> dict[str, list[int | None]]:
    """Distinct numbers per row: the first column is the row's position, 总计 its sum."""
    out: dict[str, list[int | None]] = {}
    for n, row in enumerate(TABLE3_ROWS[version], start=1):
        cells: list[int | None] = [n, n % 3, 0, None, 1, 0]
        out[row.key] = [*cells, sum(c or 0 for c in cells)]
    return out


class Layout:
    """Texts and merges of one table, written in two passes: python-docx looks cells up by a
    scan of the whole table, so the texts go in through one snapshot of the unmerged rows."""

    def __init__(self, rows: int, cols: int) -> None:
        self.size = (rows, cols)
        self.texts: dict[tuple[int, int], str] = {}
        self.merges: list[tuple[int, int, int, int]] = []

    def put(self, row: int, col: int, text: str) -> None:
        self.texts[(row, col)] = text

    def merge(self, top: int, left: int, bottom: int, right: int, text: str) -> None:
        self.merges.append((top, left, bottom, right))
        self.put(top, left, text)

    def add_to(self, document: docx.document.Document) -> Table:
        table = document.add_table(rows=self.size[0], cols=self.size[1])
        cells = [row.cells for row in table.rows]
        for (i, j), text in self.texts.items():
            cells[i][j].text = text
        for top, left, bottom, right in self.merges:
            table.cell(top, left).merge(table.cell(bottom, right))
        return table


def add_table3(document: docx.document.Document, version: FormatVersion, values: dict) -> None:
    rows = TABLE3_ROWS[version]
    t = Layout(3 + len(rows), 10)
    t.merge(0, 0, 2, 2, TABLE3_BALANCE_NOTE)
    t.merge(0, 3, 0, 9, "申请人情况")
    t.merge(1, 3, 2, 3, TABLE3_COLUMN_LABELS["natural_person"])
    t.merge(1, 4, 1, 8, "法人或其他组织")
    t.merge(1, 9, 2, 9, "总计")
    for j, key in enumerate(TABLE3_COLUMNS[1:6], start=4):
        t.put(2, j, TABLE3_COLUMN_LABELS[key])
    results = [i for i, row in enumerate(rows, start=3) if row.key not in TOP_ROWS]
    t.merge(results[0], 0, results[-1], 0, RESULTS_LABEL)
    for group in OUTCOME_GROUPS:
        members = [i for i, row in enumerate(rows, start=3) if row.group == group]
        if members:
            t.merge(members[0], 1, members[-1], 1, group)
    for i, row in enumerate(rows, start=3):
        if row.key in TOP_ROWS:
            t.merge(i, 0, i, 2, row.label)
        elif row.key in SPANNING_ROWS:
            t.merge(i, 1, i, 2, row.label)
        else:
            t.put(i, 2, row.label)
        for j, value in enumerate(values[row.key], start=3):
            t.put(i, j, "" if value is None else str(value))
    t.add_to(document)


def add_table4(document: docx.document.Document, numbers: list[str]) -> None:
    t = Layout(4, 15)
    t.merge(0, 0, 0, 4, "行政复议")
    t.merge(0, 5, 0, 14, "行政诉讼")
    for j, label in enumerate(TABLE4_RESULT_LABELS):
        t.merge(1, j, 2, j, label)
        t.put(2, 5 + j, label)
        t.put(2, 10 + j, label)
    t.merge(1, 5, 1, 9, "未经复议直接起诉")
    t.merge(1, 10, 1, 14, "复议后起诉")
    for j, number in enumerate(numbers):
        t.put(3, j, number)
    t.add_to(document)


def add_table2(document: docx.document.Document) -> None:
    t = Layout(14, 4)
    t.merge(0, 0, 0, 3, "第二十条第（一）项")
    for j, label in enumerate(("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")):
        t.put(1, j, label)
    for i, (label, nums) in enumerate((("规章", "1 0 3"), ("行政规范性文件", "12 4 87")), start=2):
        t.put(i, 0, label)
        for j, n in enumerate(nums.split(), start=1):
            t.put(i, j, n)
    blocks = [
        (4, "第二十条第（五）项", "本年处理决定数量", [("行政许可", "1,234")]),
        (7, "第二十条第（六）项", "本年处理决定数量", [("行政处罚", "56"), ("行政强制", "0")]),
        (11, "第二十条第（八）项", "本年收费金额（单位：万元）", [("行政事业性收费", "1.5")]),
    ]
    for top, head, column, data in blocks:
        t.merge(top, 0, top, 3, head)
        t.put(top + 1, 0, "信息内容")
        t.merge(top + 1, 1, top + 1, 3, column)
        for k, (label, value) in enumerate(data, start=top + 2):
            t.put(k, 0, label)
            t.merge(k, 1, k, 3, value)
    t.add_to(document)


TABLE4 = ["3", "1", "0", "1", "5", "2", "0", "1", "0", "3", "", "", "", "", ""]


def build(
    path: Path,
    *,
    version: FormatVersion = V2021,
    title: str = TITLE,
    tables: bool = True,
    table2: bool = True,
) -> Path:
    document = docx.Document()
    document.add_heading(title, level=1)
    document.add_paragraph("本报告根据《中华人民共和国政府信息公开条例》要求编制。")
    for n, heading in enumerate(SECTION_TITLES[version]):
        document.add_paragraph(heading)
        if tables and table2 and n == 1:
            add_table2(document)
        elif tables and n == 2:
            add_table3(document, version, values_for(version))
        elif tables and n == 3:
            add_table4(document, TABLE4)
        else:
            document.add_paragraph(f"第{n + 1}部分的正文。\n第二行。")
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def report_2021(tmp_path_factory: pytest.TempPathFactory) -> ParseResult:
    return parse_file(build(tmp_path_factory.mktemp("docx") / "report.docx"))


def test_metadata_and_sections(report_2021: ParseResult) -> None:
    report = report_2021.report
    assert report_2021.detected_format == "docx"
    assert report.year == 2023
    assert report.organization == "示例区人民政府"
    assert report.title == TITLE
    assert report.source == "report.docx"
    assert report.format_version == V2021
    assert all(report.sections[key] for key in SECTION_KEYS)
    assert "第1部分的正文" in report.sections["overview"]
    assert "第二行" in report.sections["overview"]
    assert "第2部分" not in report.sections["overview"]
    assert "本年新收政府信息公开申请数量" in report.sections["requests"]


def test_reads_cleanly(report_2021: ParseResult) -> None:
    assert report_2021.notes == []


def test_table3_with_merged_cells(report_2021: ParseResult) -> None:
    assert report_2021.report.table3 == values_for(V2021)


def test_table4_with_three_level_header(report_2021: ParseResult) -> None:
    assert report_2021.report.table4 == [3, 1, 0, 1, 5, 2, 0, 1, 0, 3, None, None, None, None, None]


def test_table2_blocks(report_2021: ParseResult) -> None:
    t2 = report_2021.report.table2
    assert t2["regulations"] == {"issued": 1, "repealed": 0, "in_force": 3}
    assert t2["normative_documents"] == {"issued": 12, "repealed": 4, "in_force": 87}
    assert t2["licensing"] == {"decisions": 1234}
    assert t2["penalty"] == {"decisions": 56}
    assert t2["enforcement"] == {"decisions": 0}
    assert t2["fees"] == {"amount": Decimal("1.5")}


def test_merged_cells_are_recognised_by_their_element(tmp_path: Path) -> None:
    document = docx.Document(str(build(tmp_path / "r.docx")))
    table3 = document.tables[1]
    grid = _grid(table3)
    assert grid.width == 10
    caption = {s.cell for row in grid.rows[:3] for s in row[:3]}
    assert len(caption) == 1
    assert [s.origin for s in grid.rows[0][:4]] == [True, False, False, True]
    results = [row[0] for row in grid.rows if row[0].text == RESULTS_LABEL]
    assert len(results) == 22
    assert sum(s.origin for s in results) == 1


def test_2019_layout_in_a_2021_report_is_read_as_2019_with_a_note(tmp_path: Path) -> None:
    path = build(tmp_path / "r.docx", version=V2019)
    result = parse_docx(path)
    assert result.report.format_version == V2019
    assert result.report.table3 == values_for(V2019)
    notes = [n for n in result.notes if n.code == "parse.format_mismatch"]
    assert len(notes) == 1
    assert notes[0].severity == Severity.WARNING


def test_2019_layout_in_a_2019_report(tmp_path: Path) -> None:
    title = "示例区人民政府2019年政府信息公开工作年度报告"
    path = build(tmp_path / "r.docx", version=V2019, title=title, table2=False)
    result = parse_docx(path)
    assert result.report.year == 2019
    assert result.report.format_version == V2019
    assert result.report.table3["other_handling"] == values_for(V2019)["other_handling"]
    assert [n.code for n in result.notes] == ["parse.table2.missing"]


def test_document_without_tables(tmp_path: Path) -> None:
    result = parse_docx(build(tmp_path / "r.docx", tables=False))
    codes = {n.code for n in result.notes}
    assert {"parse.table2.missing", "parse.table3.missing", "parse.table4.missing"} <= codes
    assert all(result.report.sections[key] for key in SECTION_KEYS)


def test_not_a_word_document(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_text("这不是 Word 文档", encoding="utf-8")
    with pytest.raises(UnreadableReport):
        parse_file(path)


def test_repeated_cells_with_a_row_starting_late() -> None:
    grid = grid_from_repeated(
        [[("a", "甲"), ("a", "甲"), ("b", "乙")], [("a", "甲"), ("c", "丙")]], [0, 1]
    )
    assert [[s.text for s in row] for row in grid.rows] == [["甲", "甲", "乙"], ["", "甲", "丙"]]
    assert [[s.origin for s in row] for row in grid.rows] == [
        [True, False, True],
        [True, False, True],
    ]
