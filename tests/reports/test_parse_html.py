"""Reading reports published as HTML: the two samples with real <table> markup
(tests/fixtures/reports/SOURCES.md) and small pages for the edge cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.reports.findings import Severity
from gongkai.reports.formats import (
    OTHER_HANDLING_2019,
    SECTION_KEYS,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_COLUMNS,
    FormatVersion,
)
from gongkai.reports.parse import ParseResult, parse_file
from gongkai.reports.parse.grid import SourceCell, build_grid, classify, parse_amount, parse_count
from gongkai.reports.parse.html import parse_html

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reports"


def codes(result: ParseResult) -> set[str]:
    return {note.code for note in result.notes}


# --- 2024 平潭 (full web page, 2021 format) ------------------------------------------------
@pytest.fixture(scope="module")
def pingtan() -> ParseResult:
    return parse_file(FIXTURES / "2024_pingtan.html")


def test_pingtan_metadata(pingtan: ParseResult) -> None:
    report = pingtan.report
    assert pingtan.detected_format == "html"
    assert report.year == 2024
    assert report.organization == "平潭综合实验区"
    assert report.title == "平潭综合实验区2024年度政府信息公开工作年度报告"
    assert report.format_version == FormatVersion.V2021
    assert report.source == "2024_pingtan.html"


def test_pingtan_reads_cleanly(pingtan: ParseResult) -> None:
    assert pingtan.notes == []


def test_pingtan_sections_present_and_free_of_site_navigation(pingtan: ParseResult) -> None:
    sections = pingtan.report.sections
    assert list(sections) == list(SECTION_KEYS)
    assert all(sections[key] for key in SECTION_KEYS)
    assert "全年办理政府信息公开申请218件" in sections["overview"]
    assert "无收取信息处理费情况" in sections["other"]
    assert "新媒体矩阵" not in "".join(sections.values())


def test_pingtan_table3(pingtan: ParseResult) -> None:
    t3 = pingtan.report.table3
    assert set(t3) == {row.key for row in TABLE3_ROWS[FormatVersion.V2021]}
    assert t3["received"] == [217, 1, 0, 0, 0, 0, 218]
    assert t3["carried_in"] == [0] * 7
    assert t3["outcome_total"] == [217, 1, 0, 0, 0, 0, 218]
    assert t3["carried_over"] == [0] * 7
    assert t3["disclosed"] == [71, 0, 0, 0, 0, 0, 71]
    assert t3["partly_disclosed"] == [29, 0, 0, 0, 0, 0, 29]
    assert t3["withheld_state_secret"] == [4, 0, 0, 0, 0, 0, 4]
    assert t3["withheld_internal"] == [32, 0, 0, 0, 0, 0, 32]
    assert t3["unavailable_not_held"] == [75, 0, 0, 0, 0, 0, 75]
    assert t3["not_processed_repeated"] == [1, 0, 0, 0, 0, 0, 1]
    # The three sub-rows of （六）其他处理.
    assert t3["other_no_correction"] == [1, 0, 0, 0, 0, 0, 1]
    assert t3["other_fee_unpaid"] == [0] * 7
    assert t3["other"] == [1, 1, 0, 0, 0, 0, 2]
    assert OTHER_HANDLING_2019 not in t3


def test_pingtan_table3_rows_add_up(pingtan: ParseResult) -> None:
    t3 = pingtan.report.table3
    leaves = [r.key for r in TABLE3_ROWS[FormatVersion.V2021]][2:-2]
    for col in range(len(TABLE3_COLUMNS)):
        assert sum(t3[key][col] or 0 for key in leaves) == t3["outcome_total"][col]


def test_pingtan_table4(pingtan: ParseResult) -> None:
    assert pingtan.report.table4 == [2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19]


def test_pingtan_table2(pingtan: ParseResult) -> None:
    t2 = pingtan.report.table2
    assert t2["regulations"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert t2["normative_documents"] == {"issued": 62, "repealed": 33, "in_force": 440}
    assert t2["licensing"] == {"decisions": 4529}
    assert t2["penalty"] == {"decisions": 1100}
    assert t2["enforcement"] == {"decisions": 65}
    assert t2["fees"] == {"amount": Decimal("18651.06")}


# --- 2019 上海市人民政府办公厅 (fragment, 2019 trial format, blank cells) ------------------
@pytest.fixture(scope="module")
def shanghai() -> ParseResult:
    return parse_file(FIXTURES / "2019_shanghai-bangongting.html")


def test_shanghai_metadata(shanghai: ParseResult) -> None:
    report = shanghai.report
    assert report.year == 2019
    assert report.organization == "上海市人民政府办公厅"
    assert report.title == "2019年上海市人民政府办公厅政府信息公开工作年度报告"
    assert report.published_on == date(2020, 1, 31)
    assert report.format_version == FormatVersion.V2019
    assert shanghai.notes == []


def test_shanghai_sections(shanghai: ParseResult) -> None:
    sections = shanghai.report.sections
    assert all(sections[key] for key in SECTION_KEYS)
    assert sections["other"].startswith("无")


def test_shanghai_table3_blank_cells_are_none(shanghai: ParseResult) -> None:
    t3 = shanghai.report.table3
    assert set(t3) == {row.key for row in TABLE3_ROWS[FormatVersion.V2019]}
    assert t3["received"] == [821, 35, None, None, 2, 1, 859]
    assert t3["carried_in"] == [18, None, None, None, None, None, 18]
    assert t3["outcome_total"] == [767, 35, None, None, 2, 1, 805]
    assert t3["carried_over"] == [72, None, None, None, None, None, 72]
    assert t3["disclosed"] == [258, 12, None, None, 1, 1, None]
    assert t3["unavailable_not_held"] == [252, 12, None, None, 1, None, None]
    assert t3["not_processed_petition"] == [148, 1, None, None, None, None, None]
    # The 2019 format's single （六）其他处理 row, blank here.
    assert t3[OTHER_HANDLING_2019] == [None] * 7
    assert "other_no_correction" not in t3


def test_shanghai_applicant_columns_add_up(shanghai: ParseResult) -> None:
    t3 = shanghai.report.table3
    leaves = [r.key for r in TABLE3_ROWS[FormatVersion.V2019]][2:-2]
    for col in range(6):
        assert sum(t3[key][col] or 0 for key in leaves) == (t3["outcome_total"][col] or 0)


def test_shanghai_table4(shanghai: ParseResult) -> None:
    t4 = dict(zip(TABLE4_COLUMNS, shanghai.report.table4, strict=True))
    assert [t4[f"reconsideration_{r}"] for r in ("upheld", "corrected", "other", "pending")] == [
        5,
        None,
        None,
        2,
    ]
    assert t4["reconsideration_total"] == 7
    assert shanghai.report.table4[5:10] == [8, None, None, 1, 9]
    assert shanghai.report.table4[10:] == [None] * 5


def test_shanghai_table2_2019_blocks(shanghai: ParseResult) -> None:
    t2 = shanghai.report.table2
    assert t2["regulations"] == {"made": 13, "published": 13, "total_public": 524}
    assert t2["normative_documents"] == {"made": 60, "published": 60, "total_public": 368}
    assert t2["licensing"] == {"previous_items": 0, "change": 0, "decisions": 0}
    assert t2["other_services"] == {"previous_items": 0, "change": 0, "decisions": 0}
    assert t2["fees"] == {"previous_items": 0, "change": 0}
    # Written "251000元" in the file; the 2019 column has no unit of its own.
    assert t2["procurement"] == {"projects": 6, "amount": Decimal("251000")}


# --- small pages ---------------------------------------------------------------------------
HEADER_2021 = """
<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>
<td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td><p>商业</p><p>企业</p></td><td>科研<br/>机构</td><td>社会&nbsp;公益组织</td>
<td>法律服务机构</td><td>其他</td></tr>
"""


def _row(label_cells: str, values: list[str]) -> str:
    return "<tr>" + label_cells + "".join(f"<td>{v}</td>" for v in values) + "</tr>"


def _page(year: int, table3_rows: str, header: str = HEADER_2021, extra: str = "") -> str:
    return (
        f"<html><head><title>测试局{year}年度政府信息公开工作年度报告_首页</title></head><body>"
        "<div class='nav'><a>首页</a><a>机构概况</a></div>"
        f"<div class='content'><p>一、总体情况</p><p>本年度工作概述。</p>"
        f"<p>三、收到和处理政府信息公开申请情况</p><table>{header}{table3_rows}</table>"
        f"{extra}</div></body></html>"
    )


ZERO = ["0"] * 7


def _rows_2019_layout() -> str:
    rows = [
        _row(
            '<td colspan="3">一、本年新收政府信息公开申请数量</td>',
            ["３", "", "", "", "", "", "３"],
        ),
        _row('<td colspan="3">二、上年结转政府信息公开申请数量</td>', ZERO),
        _row(
            '<td rowspan="6">三、本年度办理结果</td><td colspan="2">（一）予以公开</td>',
            ["2"] + ["0"] * 5 + ["2"],
        ),
        _row('<td colspan="2">（二）部分公开</td>', ZERO),
        _row('<td colspan="2">（六）其他处理</td>', ["1"] + ["0"] * 5 + ["1"]),
        _row('<td colspan="2">（七）总计</td>', ["3"] + ["0"] * 5 + ["3"]),
        _row('<td colspan="3">四、结转下年度继续办理</td>', ZERO),
    ]
    return "".join(rows)


def test_layout_wins_over_year_with_a_note() -> None:
    result = parse_html(_page(2021, _rows_2019_layout()), source="x.html")
    report = result.report
    assert report.year == 2021
    assert report.organization == "测试局"
    assert report.format_version == FormatVersion.V2019
    assert report.table3[OTHER_HANDLING_2019] == [1, 0, 0, 0, 0, 0, 1]
    assert report.table3["received"] == [3, None, None, None, None, None, 3]  # full-width 3
    mismatch = [n for n in result.notes if n.code == "parse.format_mismatch"]
    assert len(mismatch) == 1
    assert mismatch[0].severity == Severity.WARNING
    assert "2021" in mismatch[0].message


def test_missing_rows_and_tables_are_noted() -> None:
    result = parse_html(_page(2019, _rows_2019_layout()))
    assert result.report.format_version == FormatVersion.V2019
    assert "parse.format_mismatch" not in codes(result)
    assert {"parse.table3.missing_rows", "parse.table2.missing", "parse.table4.missing"} <= codes(
        result
    )
    assert result.report.table4 == [None] * len(TABLE4_COLUMNS)


def test_unknown_row_labels_are_listed() -> None:
    rows = _rows_2019_layout() + _row('<td colspan="3">五、本年度收取信息处理费</td>', ZERO)
    result = parse_html(_page(2020, rows))
    unknown = [n for n in result.notes if n.code == "parse.table3.unknown_rows"]
    assert len(unknown) == 1
    assert "五、本年度收取信息处理费" in unknown[0].message


def test_unreadable_cells_are_noted() -> None:
    rows = _rows_2019_layout().replace("<td>2</td>", "<td>约2</td>", 1)
    result = parse_html(_page(2020, rows))
    assert result.report.table3["disclosed"][0] is None
    assert "parse.table3.cells" in codes(result)


def test_unrecognised_columns_fall_back_to_the_official_order() -> None:
    header = (
        '<tr><td colspan="3">项目</td><td>甲</td><td>乙</td><td>丙</td><td>丁</td>'
        "<td>戊</td><td>己</td><td>庚</td></tr>"
    )
    rows = _row(
        '<td colspan="3">一、本年新收政府信息公开申请数量</td>', ["5", "1", "0", "0", "0", "0", "6"]
    )
    result = parse_html(_page(2022, rows, header=header))
    assert "parse.table3.columns" in codes(result)
    assert result.report.table3["received"] == [5, 1, 0, 0, 0, 0, 6]


def test_no_table_at_all() -> None:
    result = parse_html("<p>某县2023年度政府信息公开工作年度报告</p><p>一、总体情况</p><p>无。</p>")
    assert result.report.year == 2023
    assert not result.report.has_table3
    assert {"parse.table2.missing", "parse.table3.missing", "parse.table4.missing"} <= codes(result)
    assert all(n.severity == Severity.ERROR for n in result.notes if n.code.endswith(".missing"))


def test_table3_continued_in_a_second_table() -> None:
    first = "".join(
        [
            _row(
                '<td colspan="3">一、本年新收政府信息公开申请数量</td>', ["4"] + ["0"] * 5 + ["4"]
            ),
            _row('<td colspan="3">二、上年结转政府信息公开申请数量</td>', ZERO),
        ]
    )
    second = (
        "<table>"
        + "".join(
            [
                _row('<td colspan="3">（七）总计</td>', ["4"] + ["0"] * 5 + ["4"]),
                _row('<td colspan="3">四、结转下年度继续办理</td>', ZERO),
            ]
        )
        + "</table>"
    )
    result = parse_html(_page(2023, first, extra=second))
    assert result.report.table3["received"] == [4, 0, 0, 0, 0, 0, 4]
    assert result.report.table3["outcome_total"] == [4, 0, 0, 0, 0, 0, 4]


def test_report_inside_a_layout_table() -> None:
    inner = _page(2023, _rows_2019_layout())
    body = inner.split("<body>")[1].split("</body>")[0]
    page = (
        "<html><body><table><tr><td>导航</td><td><div>测试局2023年度政府信息公开工作年度报告</div>"
        f"{body}</td></tr></table></body></html>"
    )
    result = parse_html(page)
    assert result.report.year == 2023
    assert result.report.table3["outcome_total"] == [3, 0, 0, 0, 0, 0, 3]
    assert "导航" not in "".join(result.report.sections.values())


def test_table2_columns_that_do_not_match_the_format_are_noted() -> None:
    table2 = (
        "<table><tr><td colspan='4'>第二十条第（一）项</td></tr>"
        "<tr><td>信息内容</td><td>甲</td><td>乙</td><td>丙</td></tr>"
        "<tr><td>规章</td><td>1</td><td>2</td><td>3</td></tr>"
        "<tr><td>行政规范性文件</td><td>4</td><td>５</td><td>6</td></tr></table>"
    )
    result = parse_html(f"<p>测试局2023年度政府信息公开工作年度报告</p>{table2}")
    assert result.report.table2["normative_documents"] == {
        "issued": 4,
        "repealed": 5,
        "in_force": 6,
    }
    assert "parse.table2.headers" in codes(result)


def test_table2_fee_in_yuan_is_converted_to_wan_yuan() -> None:
    table2 = (
        "<table><tr><td colspan='4'>第二十条第（八）项</td></tr>"
        "<tr><td>信息内容</td><td colspan='3'>本年收费金额（单位：万元）</td></tr>"
        "<tr><td>行政事业性收费</td><td colspan='3'>380元</td></tr></table>"
    )
    result = parse_html(f"<p>测试局2023年度政府信息公开工作年度报告</p>{table2}")
    assert result.report.format_version == FormatVersion.V2021
    assert result.report.table2["fees"] == {"amount": Decimal("0.038")}
    assert "parse.table2.unit" in codes(result)


# --- grid and cells ------------------------------------------------------------------------
def test_build_grid_repeats_merged_cells_and_marks_origins() -> None:
    grid = build_grid(
        [
            [SourceCell("A", rowspan=2, colspan=2), SourceCell("B")],
            [SourceCell("C")],
            [SourceCell("D"), SourceCell("E", colspan=2)],
        ]
    )
    assert [[s.text for s in row] for row in grid.rows] == [
        ["A", "A", "B"],
        ["A", "A", "C"],
        ["D", "E", "E"],
    ]
    assert [[s.origin for s in row] for row in grid.rows] == [
        [True, False, True],
        [False, False, True],
        [True, True, False],
    ]
    assert len({s.cell for row in grid.rows[:2] for s in row[:2]}) == 1


def test_build_grid_pads_short_rows_and_clips_long_rowspans() -> None:
    grid = build_grid([[SourceCell("A", rowspan=9), SourceCell("B")], [SourceCell("C", colspan=2)]])
    assert len(grid.rows) == 2
    assert [s.text for s in grid.rows[1]] == ["A", "C", "C"]
    assert [s.text for s in grid.rows[0]] == ["A", "B", ""]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", (0, True)),
        ("\xa0", (None, True)),
        ("", (None, True)),
        ("１２", (12, True)),
        (" 1 2 ", (12, True)),
        ("1,024", (1024, True)),
        ("—", (None, True)),
        ("7件", (7, True)),
        ("约7", (None, False)),
    ],
)
def test_parse_count(text: str, expected: tuple[int | None, bool]) -> None:
    assert parse_count(text) == expected


def test_parse_amount() -> None:
    assert parse_amount("251000元") == (Decimal("251000"), "元", True)
    assert parse_amount("18651.06") == (Decimal("18651.06"), "", True)
    assert parse_amount("-3") == (Decimal("-3"), "", True)
    assert parse_amount("&") == (None, "", False)


def test_classify_by_content_not_position() -> None:
    t4 = build_grid([[SourceCell("行政复议", colspan=5), SourceCell("行政诉讼", colspan=10)]])
    t2 = build_grid([[SourceCell("第二十条第（一）项", colspan=4)]])
    other = build_grid([[SourceCell("联系人"), SourceCell("电话")]])
    assert classify(t4) == "table4"
    assert classify(t2) == "table2"
    assert classify(other) is None


def test_tables_outside_the_usual_content_area_are_still_found() -> None:
    page = _page(2020, _rows_2019_layout()).replace(
        "<div class='content'><p>一、总体情况</p><p>本年度工作概述。</p>",
        "<div class='content'><div class='TRS_Editor'><p>一、总体情况</p><p>本年度工作概述。</p></div>",
    )
    result = parse_html(page)
    assert result.report.table3["outcome_total"] == [3, 0, 0, 0, 0, 0, 3]
    assert "本年度工作概述" in result.report.sections["overview"]
