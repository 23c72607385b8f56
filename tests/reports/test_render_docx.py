"""The Word rendering of a report: the published samples are read, rendered, written to disk and
read back with the DOCX reader, and the layout of the result is inspected with python-docx
(merged cells share one `<w:tc>` element in every slot they cover)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from gongkai.reports.formats import (
    OUTCOME_GROUPS,
    RESULTS_LABEL,
    SECTION_KEYS,
    SECTION_TITLES,
    TABLE2_BLOCKS,
    TABLE3_BALANCE_NOTE,
    TABLE3_ROWS,
    TABLE4_RESULT_LABELS,
    FormatVersion,
)
from gongkai.reports.parse import parse_file
from gongkai.reports.parse.docx import parse_docx
from gongkai.reports.render.docx import render_docx
from gongkai.reports.structure import StatutoryReport

FIXTURES = Path(__file__).parent.parent / "fixtures" / "reports"
SAMPLES = {
    FormatVersion.V2021: "2024_pingtan.html",
    FormatVersion.V2019: "2019_shanghai-bangongting.html",
}
V2019, V2021 = FormatVersion.V2019, FormatVersion.V2021


@pytest.fixture(scope="module")
def originals() -> dict[FormatVersion, StatutoryReport]:
    return {v: parse_file(FIXTURES / name).report for v, name in SAMPLES.items()}


@pytest.fixture(scope="module")
def rendered(originals: dict[FormatVersion, StatutoryReport]) -> dict[FormatVersion, bytes]:
    return {v: render_docx(report) for v, report in originals.items()}


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


Slots = list[tuple[_Cell, ...]]


def slots(table: Table) -> Slots:
    """Every grid slot of the table; the list keeps the cell proxies (and so the identity of
    their elements) alive while the test compares them."""
    return [row.cells for row in table.rows]


def span(grid: Slots, row: int, col: int) -> tuple[int, int]:
    """(rows, columns) covered by the cell in a slot; asserts the cell is a rectangle."""
    tc = grid[row][col]._tc
    covered = [(i, j) for i, cells in enumerate(grid) for j, c in enumerate(cells) if c._tc is tc]
    rows = {i for i, _ in covered}
    cols = {j for _, j in covered}
    assert len(covered) == len(rows) * len(cols)
    assert (min(rows), min(cols)) == (row, col)
    return len(rows), len(cols)


def text(grid: Slots, row: int, col: int) -> str:
    return grid[row][col].text


def east_asia(paragraph: Paragraph) -> set[str | None]:
    out = set()
    for run in paragraph.runs:
        rpr = run._r.rPr
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        out.add(fonts.get(qn("w:eastAsia")) if fonts is not None else None)
    return out


# --- round trip --------------------------------------------------------------------------
@pytest.mark.parametrize("version", [V2021, V2019])
def test_round_trip_through_the_docx_reader(
    version: FormatVersion,
    originals: dict[FormatVersion, StatutoryReport],
    rendered: dict[FormatVersion, bytes],
    tmp_path: Path,
) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(rendered[version])
    result = parse_docx(path)
    original, back = originals[version], result.report
    assert result.notes == []
    assert back.year == original.year
    assert back.organization == original.organization
    assert back.title == original.title
    assert back.format_version == version
    assert back.table3 == original.table3
    assert back.table4 == original.table4
    assert back.table2 == original.table2


@pytest.mark.parametrize("version", [V2021, V2019])
def test_narrative_survives(
    version: FormatVersion,
    originals: dict[FormatVersion, StatutoryReport],
    rendered: dict[FormatVersion, bytes],
    tmp_path: Path,
) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(rendered[version])
    back = parse_docx(path).report

    def prose(report: StatutoryReport, key: str) -> list[str]:
        return [line for line in report.sections[key].splitlines() if not line.startswith("|")]

    for key in SECTION_KEYS:
        assert prose(back, key) == prose(originals[version], key), key


def test_document_order(rendered: dict[FormatVersion, bytes]) -> None:
    """Title, then each heading with its text; tables 二, 三, 四 after the text of their sections."""
    document = open_docx(rendered[V2021])
    order: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            order.append(f"table:{item.rows[0].cells[0].text[:6]}")
        elif item.style is not None and item.style.name in ("Report Title", "Report Heading"):
            order.append(item.text)
    titles = SECTION_TITLES[V2021]
    assert order == [
        "平潭综合实验区2024年度政府信息公开工作年度报告",
        titles[0],
        titles[1],
        "table:第二十条第（",
        titles[2],
        f"table:{TABLE3_BALANCE_NOTE[:6]}",
        titles[3],
        "table:行政复议",
        titles[4],
        titles[5],
    ]
    paragraphs = document.paragraphs
    heading = next(i for i, p in enumerate(paragraphs) if p.text == titles[0])
    assert paragraphs[heading + 1].text.startswith("2024年")


# --- table 三 ----------------------------------------------------------------------------
def test_table3_header_merges(rendered: dict[FormatVersion, bytes]) -> None:
    grid = slots(open_docx(rendered[V2021]).tables[1])
    assert len(grid[0]) == 10
    assert span(grid, 0, 0) == (3, 3)
    assert text(grid, 0, 0) == TABLE3_BALANCE_NOTE
    assert span(grid, 0, 3) == (1, 7)
    assert text(grid, 0, 3) == "申请人情况"
    assert span(grid, 1, 3) == (2, 1)
    assert text(grid, 1, 3) == "自然人"
    assert span(grid, 1, 4) == (1, 5)
    assert text(grid, 1, 4) == "法人或其他组织"
    assert span(grid, 1, 9) == (2, 1)
    assert text(grid, 1, 9) == "总计"
    assert [text(grid, 2, j) for j in range(4, 9)] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]


@pytest.mark.parametrize(("version", "results"), [(V2021, 22), (V2019, 20)])
def test_table3_row_label_merges(
    version: FormatVersion, results: int, rendered: dict[FormatVersion, bytes]
) -> None:
    grid = slots(open_docx(rendered[version]).tables[1])
    rows = TABLE3_ROWS[version]
    assert len(grid) == 3 + len(rows)
    at = {row.key: i for i, row in enumerate(rows, start=3)}
    # 三、本年度办理结果: one cell in the first label column, down over every result row.
    assert span(grid, at["disclosed"], 0) == (results, 1)
    assert text(grid, at["disclosed"], 0) == RESULTS_LABEL
    assert all(grid[i][0]._tc is grid[at["disclosed"]][0]._tc for i in range(5, 5 + results))
    # 一、二、四 across all three label columns.
    for key in ("received", "carried_in", "carried_over"):
        assert span(grid, at[key], 0) == (1, 3)
    # （一）（二）（七） across label columns 2–3.
    for key in ("disclosed", "partly_disclosed", "outcome_total"):
        assert span(grid, at[key], 1) == (1, 2)
    # Group cells down their numbered sub-rows.
    expected = {V2021: (8, 3, 5, 3), V2019: (8, 3, 5)}[version]
    for group, down in zip(OUTCOME_GROUPS, expected, strict=False):
        first = next(i for i, row in enumerate(rows, start=3) if row.group == group)
        assert span(grid, first, 1) == (down, 1)
        assert text(grid, first, 1) == group
        assert span(grid, first, 2) == (1, 1)
    if version == V2019:
        assert span(grid, at["other_handling"], 1) == (1, 2)
        assert text(grid, at["other_handling"], 1) == OUTCOME_GROUPS[-1]
    # Each data cell is its own cell, blank when the report leaves it blank.
    assert all(span(grid, at["received"], j) == (1, 1) for j in range(3, 10))


def test_table3_blank_cells_stay_empty(rendered: dict[FormatVersion, bytes]) -> None:
    grid = slots(open_docx(rendered[V2019]).tables[1])
    received = 3  # 一、本年新收 (Shanghai: 821 35 _ _ 2 1 859)
    assert [text(grid, received, j) for j in range(3, 10)] == ["821", "35", "", "", "2", "1", "859"]


# --- table 四 ----------------------------------------------------------------------------
def test_table4_three_level_header(rendered: dict[FormatVersion, bytes]) -> None:
    grid = slots(open_docx(rendered[V2021]).tables[2])
    assert (len(grid), len(grid[0])) == (4, 15)
    assert span(grid, 0, 0) == (1, 5)
    assert text(grid, 0, 0) == "行政复议"
    assert span(grid, 0, 5) == (1, 10)
    assert text(grid, 0, 5) == "行政诉讼"
    assert span(grid, 1, 5) == (1, 5)
    assert text(grid, 1, 5) == "未经复议直接起诉"
    assert span(grid, 1, 10) == (1, 5)
    assert text(grid, 1, 10) == "复议后起诉"
    for j, label in enumerate(TABLE4_RESULT_LABELS):
        assert span(grid, 1, j) == (2, 1)
        assert text(grid, 1, j) == label
        assert text(grid, 2, 5 + j) == text(grid, 2, 10 + j) == label
    assert [text(grid, 3, j) for j in range(15)] == [
        "2",
        "1",
        "3",
        "1",
        "7",
        "0",
        "0",
        "0",
        "0",
        "0",
        "13",
        "2",
        "4",
        "0",
        "19",
    ]


# --- table 二 ----------------------------------------------------------------------------
def test_table2_blocks_2021(rendered: dict[FormatVersion, bytes]) -> None:
    grid = slots(open_docx(rendered[V2021]).tables[0])
    assert len(grid[0]) == 4
    heads = [i for i, row in enumerate(grid) if row[0].text.startswith("第二十条")]
    assert [grid[i][0].text for i in heads] == [b.header for b in TABLE2_BLOCKS[V2021]]
    assert all(span(grid, i, 0) == (1, 4) for i in heads)
    # （一）: three columns; （五）（六）（八）: one value across three columns.
    assert [text(grid, 1, j) for j in range(4)] == [
        "信息内容",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
    ]
    assert [text(grid, 3, j) for j in range(4)] == ["行政规范性文件", "62", "33", "440"]
    for head in heads[1:]:
        assert span(grid, head + 1, 1) == (1, 3)
        assert span(grid, head + 2, 1) == (1, 3)
    fees = heads[3] + 2
    assert (text(grid, fees, 0), text(grid, fees, 1)) == ("行政事业性收费", "18651.06")


def test_table2_blocks_2019(rendered: dict[FormatVersion, bytes]) -> None:
    """Blocks of three and of two columns share one table: six sub-columns, two or three each."""
    grid = slots(open_docx(rendered[V2019]).tables[0])
    assert len(grid[0]) == 7
    heads = [i for i, row in enumerate(grid) if row[0].text.startswith("第二十条")]
    assert len(heads) == 5
    assert all(span(grid, i, 0) == (1, 7) for i in heads)
    assert [span(grid, heads[0] + 2, j) for j in (1, 3, 5)] == [(1, 2)] * 3
    procurement = heads[4] + 2
    assert [span(grid, procurement, j) for j in (1, 4)] == [(1, 3)] * 2
    assert [text(grid, procurement, j) for j in (0, 1, 4)] == ["政府集中采购", "6", "251000"]


# --- type and page -----------------------------------------------------------------------
def test_page_setup(rendered: dict[FormatVersion, bytes]) -> None:
    section = open_docx(rendered[V2021]).sections[0]
    measured = (
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    )
    assert [round(length.mm, 1) for length in measured if length is not None] == [
        210,
        297,
        37,
        35,
        28,
        26,
    ]


def test_page_number_field_in_the_footer(rendered: dict[FormatVersion, bytes]) -> None:
    footer = open_docx(rendered[V2021]).sections[0].footer.paragraphs[0]
    instructions = [t.text for t in footer._p.iter(qn("w:instrText"))]
    assert [i.strip() for i in instructions] == ["PAGE"]
    assert footer.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert footer.text.startswith("—") and footer.text.endswith("—")


def test_east_asian_fonts(rendered: dict[FormatVersion, bytes]) -> None:
    document = open_docx(rendered[V2021])
    title = document.paragraphs[0]
    assert east_asia(title) == {"方正小标宋简体"}
    assert title.runs[0].font.size == Pt(22)
    assert title.style is not None
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    headings = [p for p in document.paragraphs if p.text in SECTION_TITLES[V2021]]
    assert len(headings) == 6
    assert all(east_asia(p) == {"黑体"} for p in headings)
    assert all(p.runs[0].font.size == Pt(16) for p in headings)
    body = [p for p in document.paragraphs if p.style is not None and p.style.name == "Report Body"]
    assert body
    assert all("仿宋_GB2312" in east_asia(p) for p in body)
    assert all(run.font.size == Pt(16) for p in body for run in p.runs)
    style = body[0].style
    assert style is not None
    fmt = style.paragraph_format
    assert fmt.line_spacing == Pt(28)
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    ind = style.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    cell = document.tables[1].rows[5].cells[3].paragraphs[0]
    assert east_asia(cell) == {"仿宋_GB2312"}
    assert cell.runs[0].font.size == Pt(10.5)


def test_sub_headings_in_kaiti(rendered: dict[FormatVersion, bytes]) -> None:
    document = open_docx(rendered[V2021])
    paragraph = next(p for p in document.paragraphs if p.text.startswith("(一)主动公开方面"))
    assert paragraph.runs[0].text == "(一)主动公开方面。"
    assert east_asia(paragraph) == {"楷体_GB2312", "仿宋_GB2312"}


def test_font_substitutes_are_declared(rendered: dict[FormatVersion, bytes]) -> None:
    document = open_docx(rendered[V2021])
    with zipfile.ZipFile(io.BytesIO(rendered[V2021])) as archive:
        fonts = archive.read("word/fontTable.xml").decode()
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts
    assert document.core_properties.author == "平潭综合实验区"
    assert document.core_properties.comments == ""


def test_tables_have_borders_and_centred_numbers(rendered: dict[FormatVersion, bytes]) -> None:
    for table in open_docx(rendered[V2021]).tables:
        assert table.style is not None and table.style.name == "Table Grid"
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        edges = {child.tag.split("}")[1]: child.get(qn("w:val")) for child in borders}
        assert edges == dict.fromkeys(
            ("top", "left", "bottom", "right", "insideH", "insideV"), "single"
        )
    number = open_docx(rendered[V2021]).tables[1].rows[3].cells[3].paragraphs[0]
    assert number.text == "217"
    assert number.alignment in (None, WD_ALIGN_PARAGRAPH.CENTER)
    assert number.style is not None
    assert number.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


# --- other reports -----------------------------------------------------------------------
def test_blank_report_renders_every_table(tmp_path: Path) -> None:
    report = StatutoryReport.empty(2023, "示例区人民政府")
    path = tmp_path / "blank.docx"
    path.write_bytes(render_docx(report))
    back = parse_docx(path).report
    assert back.title == "示例区人民政府2023年度政府信息公开工作年度报告"
    assert (back.year, back.organization) == (2023, "示例区人民政府")
    assert back.table3 == report.table3
    assert back.table4 == report.table4
    assert back.table2 == report.table2
    assert len(docx.Document(str(path)).tables) == 3


def test_narrative_lines_transcripts_and_control_characters(tmp_path: Path) -> None:
    report = StatutoryReport.empty(2022, "示例县人民政府")
    report.sections["overview"] = "第一段。\r\n\n（一）主动公开\n第二段\x0b含控制符。"
    report.sections["proactive"] = "| 第二十条第(一)项 |\n本年主动公开信息。"
    document = open_docx(render_docx(report))
    body = [p.text for p in document.paragraphs if p.style and p.style.name == "Report Body"]
    assert body == ["第一段。", "（一）主动公开", "第二段含控制符。", "本年主动公开信息。"]
    heading = next(p for p in document.paragraphs if p.text == "（一）主动公开")
    assert east_asia(heading) == {"楷体_GB2312"}
