"""The report as HTML: the official layout of tables 二/三/四, proved by reading the rendered page
back with the HTML parser, and the accessibility of the tables (every number reachable from its
row and column headers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

from gongkai.reports.findings import Severity
from gongkai.reports.formats import (
    CARRIED_IN,
    CARRIED_OVER,
    OTHER_HANDLING_2019,
    OUTCOME_GROUPS,
    OUTCOME_TOTAL,
    RECEIVED,
    RESULTS_LABEL,
    SECTION_KEYS,
    SECTION_TITLES,
    TABLE2_BLOCKS,
    TABLE3_BALANCE_NOTE,
    TABLE3_COLUMN_LABELS,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    TABLE4_RESULT_LABELS,
    FormatVersion,
)
from gongkai.reports.parse import parse_file
from gongkai.reports.parse.html import parse_html
from gongkai.reports.render import RENDERERS
from gongkai.reports.render.html import paragraphs, render_html
from gongkai.reports.structure import StatutoryReport

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reports"
SAMPLES = {
    "2024_pingtan.html": (FormatVersion.V2021, 22),
    "2019_shanghai-bangongting.html": (FormatVersion.V2019, 20),
}


@pytest.fixture(scope="module", params=sorted(SAMPLES))
def sample(request: pytest.FixtureRequest) -> tuple[str, StatutoryReport]:
    return request.param, parse_file(FIXTURES / request.param).report


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def tables(html: str) -> dict[str, Tag]:
    soup = soup_of(html)
    found = {}
    for n in (2, 3, 4):
        table = soup.find("table", class_=f"report-table{n}")
        assert isinstance(table, Tag)
        found[f"table{n}"] = table
    return found


def th(table: Tag, text: str) -> Tag:
    cells = [c for c in table.find_all("th") if c.get_text() == text]
    assert len(cells) == 1, (text, len(cells))
    return cells[0]


def find(node: Tag, *args: Any, **kwargs: Any) -> Tag:
    """The first matching element, which must exist."""
    found = node.find(*args, **kwargs)
    assert isinstance(found, Tag), (args, kwargs)
    return found


def span(cell: Tag, name: str) -> int:
    return int(str(cell.get(name, "1")))


# --- the layout, proved by reading it back -----------------------------------------------
def test_samples_are_parsed_as_expected(sample: tuple[str, StatutoryReport]) -> None:
    name, report = sample
    assert report.format_version == SAMPLES[name][0]
    assert report.has_table3 and any(v is not None for v in report.table4)


@pytest.mark.parametrize("standalone", [False, True])
def test_tables_round_trip_through_the_parser(
    sample: tuple[str, StatutoryReport], standalone: bool
) -> None:
    _, report = sample
    result = parse_html(render_html(report, standalone=standalone), source="rendered.html")
    back = result.report
    assert back.table3 == report.table3
    assert back.table4 == report.table4
    assert back.table2 == report.table2
    assert back.format_version == report.format_version
    assert (back.year, back.organization, back.title) == (
        report.year,
        report.organization,
        report.title,
    )
    assert not [n for n in result.notes if n.severity != Severity.INFO], result.notes


def test_narrative_round_trips(sample: tuple[str, StatutoryReport]) -> None:
    _, report = sample
    back = parse_html(render_html(report)).report
    for key in SECTION_KEYS:
        assert paragraphs(back.sections[key]) == paragraphs(report.sections[key]), key
    assert paragraphs(report.sections["overview"])  # the samples do have narrative


def test_blank_report_round_trips_as_blank() -> None:
    for year in (2020, 2024):
        report = StatutoryReport.empty(year, "某某县人民政府")
        back = parse_html(render_html(report)).report
        assert back.format_version == report.format_version
        assert back.table3 == report.table3
        assert back.table4 == report.table4 == [None] * len(TABLE4_COLUMNS)
        assert back.table2 == report.table2


# --- table 三 ----------------------------------------------------------------------------
def test_table3_header(sample: tuple[str, StatutoryReport]) -> None:
    _, report = sample
    table = tables(render_html(report))["table3"]
    head = table.find("thead")
    assert isinstance(head, Tag)
    rows = head.find_all("tr")
    assert len(rows) == 3
    note = find(rows[0], "td")
    assert note.get_text() == TABLE3_BALANCE_NOTE
    assert (span(note, "colspan"), span(note, "rowspan")) == (3, 3)
    applicants = th(table, "申请人情况")
    assert (span(applicants, "colspan"), applicants["scope"]) == (7, "colgroup")
    natural = th(table, TABLE3_COLUMN_LABELS["natural_person"])
    assert (span(natural, "rowspan"), natural["scope"]) == (2, "col")
    organizations = th(table, "法人或其他组织")
    assert (span(organizations, "colspan"), organizations["scope"]) == (5, "colgroup")
    total = next(c for c in rows[1].find_all("th") if c.get_text() == "总计")
    assert span(total, "rowspan") == 2
    assert [c.get_text() for c in rows[2].find_all("th")] == [
        TABLE3_COLUMN_LABELS[k] for k in TABLE3_COLUMNS[1:-1]
    ]
    assert all(c["scope"] == "col" for c in rows[2].find_all("th"))
    caption = table.find("caption")
    assert isinstance(caption, Tag) and caption.get_text() == "收到和处理政府信息公开申请情况"


def test_table3_row_labels_and_spans(sample: tuple[str, StatutoryReport]) -> None:
    name, report = sample
    version, results_span = SAMPLES[name]
    table = tables(render_html(report))["table3"]
    body = table.find("tbody")
    assert isinstance(body, Tag)
    assert len(body.find_all("tr")) == len(TABLE3_ROWS[version])

    assert span(th(table, RESULTS_LABEL), "rowspan") == results_span
    spans = {g: span(th(table, g), "rowspan") for g in OUTCOME_GROUPS[:3]}
    assert spans == {"（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5}
    other = th(table, OUTCOME_GROUPS[3])
    if version == FormatVersion.V2021:
        assert (span(other, "rowspan"), span(other, "colspan")) == (3, 1)
    else:  # a single data row spanning the two inner label columns
        assert (span(other, "rowspan"), span(other, "colspan")) == (1, 2)
        assert str(other["id"]).endswith(f"-r-{OTHER_HANDLING_2019}")

    for row in TABLE3_ROWS[version]:
        if row.key in (RECEIVED, CARRIED_IN, CARRIED_OVER):
            assert span(th(table, row.label), "colspan") == 3, row.label
        elif not row.group:  # （一）（二）（七）, and the 2019 （六）
            assert span(th(table, row.label), "colspan") == 2, row.label
    assert span(th(table, "（七）总计"), "colspan") == 2


def test_table3_cells_follow_the_official_order(sample: tuple[str, StatutoryReport]) -> None:
    _, report = sample
    table = tables(render_html(report))["table3"]
    body = table.find("tbody")
    assert isinstance(body, Tag)
    for row, tr in zip(TABLE3_ROWS[report.format_version], body.find_all("tr"), strict=True):
        values = [td.get_text() for td in tr.find_all("td")]
        expected = ["" if v is None else str(v) for v in report.table3[row.key]]
        assert values == expected, row.key


# --- accessibility -----------------------------------------------------------------------
def header_ids(cell: Tag) -> list[str]:
    value = cell.get("headers")  # BeautifulSoup splits this attribute into a list
    if value is None:
        return []
    return value.split() if isinstance(value, str) else list(value)


def header_labels(table: Tag, cell: Tag) -> list[tuple[str, str]]:
    """(scope, text) of the header cells a data cell names in `headers`, in order."""
    out = []
    for ident in header_ids(cell):
        header = table.find(id=ident)
        assert isinstance(header, Tag) and header.name == "th", ident
        out.append((str(header.get("scope", "")), header.get_text()))
    return out


def test_every_number_is_tied_to_its_headers(sample: tuple[str, StatutoryReport]) -> None:
    _, report = sample
    for name, table in tables(render_html(report)).items():
        assert table.find("caption") is not None, name
        assert table.find("th", scope="col") is not None, name
        for td in table.find_all("td"):
            if "balance-note" in (td.get("class") or []):
                continue
            assert td.get("headers"), (name, td)
            scopes = [scope for scope, _ in header_labels(table, td)]
            assert "col" in scopes, (name, td)
            if name != "table4":  # table 四 has a single row of numbers and no row label
                tr = td.find_parent("tr")
                assert tr is not None and tr.find("th", scope="row") is not None, (name, td)
                assert "row" in scopes, (name, td)


def test_table3_headers_say_which_number_it_is(sample: tuple[str, StatutoryReport]) -> None:
    """What a screen reader announces with a number identifies the official row and column."""
    _, report = sample
    table = tables(render_html(report))["table3"]
    by_label = {row.label: row.key for row in TABLE3_ROWS[report.format_version]}
    assert len(by_label) == len(TABLE3_ROWS[report.format_version])
    by_column = {label: key for key, label in TABLE3_COLUMN_LABELS.items()}
    seen = 0
    for td in table.find_all("td", class_="num"):
        labels = header_labels(table, td)
        row_label = [text for scope, text in labels if scope == "row"][-1]
        column_label = [text for scope, text in labels if scope == "col"][-1]
        row_key, column = by_label[row_label], by_column[column_label]
        assert td.get_text() == ("" if (v := report.cell(row_key, column)) is None else str(v))
        if row_key not in (RECEIVED, CARRIED_IN, CARRIED_OVER):
            assert labels[0] == ("row", RESULTS_LABEL)
        assert ("colgroup", "申请人情况") in labels
        seen += 1
    assert seen == len(TABLE3_ROWS[report.format_version]) * len(TABLE3_COLUMNS)
    totals = [
        td
        for td in table.find_all("td")
        if any(i.endswith(f"-r-{OUTCOME_TOTAL}") for i in header_ids(td))
    ]
    assert len(totals) == len(TABLE3_COLUMNS)


def test_table4_headers(sample: tuple[str, StatutoryReport]) -> None:
    _, report = sample
    table = tables(render_html(report))["table4"]
    head = table.find("thead")
    assert isinstance(head, Tag)
    rows = head.find_all("tr")
    assert [(c.get_text(), span(c, "colspan")) for c in rows[0].find_all("th")] == [
        (TABLE4_GROUPS[0][1], 5),
        ("行政诉讼", 10),
    ]
    assert [span(c, "rowspan") for c in rows[1].find_all("th")][:5] == [2] * 5
    assert [c.get_text() for c in rows[1].find_all("th")][5:] == [g[1] for g in TABLE4_GROUPS[1:]]
    assert [c.get_text() for c in rows[2].find_all("th")] == list(TABLE4_RESULT_LABELS) * 2
    cells = find(table, "tbody").find_all("td")
    assert len(cells) == len(TABLE4_COLUMNS) == 15
    for td, value, key in zip(cells, report.table4, TABLE4_COLUMNS, strict=True):
        assert td.get_text() == ("" if value is None else str(value))
        labels = [text for _, text in header_labels(table, td)]
        group = next(label for k, label in TABLE4_GROUPS if key.startswith(k))
        assert group in labels and labels[-1] in TABLE4_RESULT_LABELS
        assert ("行政诉讼" in labels) == key.startswith("litigation")


def test_table2_blocks(sample: tuple[str, StatutoryReport]) -> None:
    _, report = sample
    table = tables(render_html(report))["table2"]
    bodies = table.find_all("tbody")
    blocks = TABLE2_BLOCKS[report.format_version]
    assert len(bodies) == len(blocks)
    width = 4 if report.format_version == FormatVersion.V2021 else 7
    for body, block in zip(bodies, blocks, strict=True):
        rows = body.find_all("tr")
        header = find(rows[0], "th")
        assert header.get_text() == block.header
        assert (span(header, "colspan"), header["scope"]) == (width, "rowgroup")
        columns = rows[1].find_all("th")
        assert [c.get_text() for c in columns] == ["信息内容", *(lab for _, lab in block.columns)]
        assert sum(span(c, "colspan") for c in columns) == width
        if report.format_version == FormatVersion.V2021 and len(block.columns) == 1:
            assert span(columns[1], "colspan") == 3
        assert [find(r, "th", scope="row").get_text() for r in rows[2:]] == [
            label for _, label in block.rows
        ]


# --- the document ------------------------------------------------------------------------
def test_fragment_has_no_inline_style(sample: tuple[str, StatutoryReport]) -> None:
    _, report = sample
    html = render_html(report)
    assert "style=" not in html
    assert "<style" not in html
    assert "<html" not in html
    soup = soup_of(html)
    assert len(soup.find_all("h1")) == 1
    assert [h.get_text() for h in soup.find_all("h2")] == list(
        SECTION_TITLES[report.format_version]
    )
    ids = [el["id"] for el in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))


def test_standalone_document_for_print(sample: tuple[str, StatutoryReport]) -> None:
    _, report = sample
    html = render_html(report, standalone=True)
    assert html.lstrip().startswith("<!DOCTYPE html>")
    soup = soup_of(html)
    root = soup.find("html")
    assert isinstance(root, Tag) and root["lang"] == "zh-Hans"
    assert soup.title is not None and soup.title.get_text() == report.title
    style = soup.find("style")
    assert style is not None
    css = style.get_text()
    for needle in ("size: A4", '"FangSong"', '"仿宋"', '"Noto Serif CJK SC"', '"SimHei"', '"黑体"'):
        assert needle in css, needle
    assert "border" in css
    assert RENDERERS["html"](report) == html


def test_title_default_escaping_and_paragraphs() -> None:
    report = StatutoryReport.empty(2023, "某县<script>人民政府")
    report.sections["overview"] = "第一段。\n\n| 表 | 格 |\n  第二段 <b>粗</b>&  "
    html = render_html(report)
    soup = soup_of(html)
    assert find(soup, "h1").get_text() == "某县<script>人民政府2023年政府信息公开工作年度报告"
    assert "<script>" not in html and "<b>" not in html
    overview = find(soup, "section")
    assert [p.get_text() for p in overview.find_all("p")] == ["第一段。", "第二段 <b>粗</b>&"]
    report.title = "某县人民政府2023年度政府信息公开工作年度报告"
    assert find(soup_of(render_html(report)), "h1").get_text() == report.title


def test_id_prefix_keeps_two_reports_apart() -> None:
    a = render_html(StatutoryReport.empty(2023, "甲"), id_prefix="a")
    b = render_html(StatutoryReport.empty(2023, "乙"), id_prefix="b b")
    ids = [el["id"] for el in soup_of(a + b).find_all(id=True)]
    assert len(ids) == len(set(ids))
    assert 'id="b-b-t3-results"' in b
