"""Reading reports from plain text (PDF extraction, flattened web pages) and Markdown: every
non-HTML sample in tests/fixtures/reports against the figures in SOURCES.md, the metadata and
section split, and the splitting of glued digits as a pure function."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.text import to_traditional
from gongkai.inforequests.constants import ApplicantType
from gongkai.reports.findings import Severity
from gongkai.reports.formats import (
    CARRIED_IN,
    CARRIED_OVER,
    OTHER_HANDLING_2019,
    OUTCOME_TOTAL,
    RECEIVED,
    RESULTS_LABEL,
    SECTION_KEYS,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TOTAL,
    FormatVersion,
    outcome_row_keys,
)
from gongkai.reports.parse import ParseResult, parse_file, read_text
from gongkai.reports.parse.labels import find_table3_labels, label_key, match_applicant_column
from gongkai.reports.parse.meta import extract_metadata, prepare, split_sections
from gongkai.reports.parse.text import (
    detect_format,
    parse_text,
    resolve_rows,
    split_glued,
    table3_constraints,
    table3_row_splits,
    table4_splits,
)

V2019, V2021 = FormatVersion.V2019, FormatVersion.V2021
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
OTHER = Path(__file__).resolve().parents[1] / "fixtures" / "other"
NATURAL, COMMERCIAL = ApplicantType.NATURAL_PERSON.value, ApplicantType.COMMERCIAL.value
LEGAL = ApplicantType.LEGAL_SERVICES.value
SUB_ROWS_6 = ("other_no_correction", "other_fee_unpaid", "other")

# file → (year, organisation contains one of, format version, detected format)
SAMPLES: dict[str, tuple[int, tuple[str, ...], FormatVersion, str]] = {
    "2017_binjiang.txt": (2017, ("滨江区",), V2019, "text"),
    "2018_pingtan.txt": (2018, ("平潭综合实验区",), V2019, "text"),
    "2019_yancheng_traditional.txt": (2019, ("盐城",), V2019, "text"),
    "2020_pingtan.txt": (2020, ("平潭综合实验区",), V2019, "text"),
    "2021_pingtan.txt": (2021, ("平潭综合实验区",), V2021, "text"),
    "2022_pingtan.txt": (2022, ("平潭综合实验区",), V2021, "text"),
    "2023_hongze.txt": (2023, ("洪泽区人民政府",), V2021, "text"),
    "2023_pingtan.txt": (2023, ("平潭综合实验区",), V2021, "text"),
    "2024_hongze.txt": (2024, ("洪泽区人民政府",), V2021, "text"),
    "2024_pingtan.txt": (2024, ("平潭综合实验区",), V2021, "text"),
    "2024_shanghai-kewei.md": (2024, ("上海市科委",), V2021, "markdown"),
    "2025_shanghai-bangongting.md": (2025, ("上海市人民政府办公厅",), V2021, "markdown"),
    # The OCR wrote 沭阳 as 沐阳; the name is kept as printed.
    "2025_shuyang.md": (2025, ("沭阳县人民政府", "沐阳县人民政府"), V2021, "markdown"),
}
# Sections that each sample has (with text under the heading).
SECTIONS: dict[str, set[str]] = {
    "2017_binjiang.txt": {"overview", "problems"},  # free-form: 基本情况, 问题及改进措施
    "2018_pingtan.txt": {"overview", "proactive", "requests", "appeals", "problems"},
    # starts inside section 一; the tables under 二 and 四 were lost, 六 is missing
    "2019_yancheng_traditional.txt": {"overview", "requests", "problems"},
    **{
        name: set(SECTION_KEYS)
        for name in SAMPLES
        if name[:4] >= "2020" and name != "2019_yancheng_traditional.txt"
    },
}
WITH_TABLES = [n for n in SAMPLES if n[:4] >= "2020"]


@cache
def parsed(name: str) -> ParseResult:
    return parse_text(read_text(FIXTURES / name), source=name)


def t3(name: str, row: str) -> list[int | None]:
    return parsed(name).report.table3[row]


def column(name: str, col: str) -> tuple[int | None, ...]:
    """(一 received, 二 carried in, （七） outcome total, 四 carried over) of one column."""
    report = parsed(name).report
    return tuple(
        report.cell(row, col) for row in (RECEIVED, CARRIED_IN, OUTCOME_TOTAL, CARRIED_OVER)
    )


def codes(name: str) -> set[str]:
    return {n.code for n in parsed(name).notes}


def test_every_text_sample_is_covered() -> None:
    files = {p.name for p in FIXTURES.iterdir() if p.suffix in (".txt", ".md")}
    assert files - {"SOURCES.md"} == set(SAMPLES)


# --- metadata, format, sections of every sample ------------------------------------------
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_metadata_and_format(name: str) -> None:
    year, orgs, version, detected = SAMPLES[name]
    result = parsed(name)
    report = result.report
    assert report.year == year
    assert any(org in report.organization for org in orgs), report.organization
    assert report.format_version == version
    assert result.detected_format == detected
    assert report.source == name
    # the parser only informs and warns; errors are the validator's business
    assert {n.severity for n in result.notes} <= {Severity.INFO, Severity.WARNING}
    assert all(n.code.startswith("parse.") for n in result.notes)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_sections(name: str) -> None:
    sections = split_sections(read_text(FIXTURES / name))
    assert set(sections) == set(SECTION_KEYS)
    assert {k for k, v in sections.items() if v} == SECTIONS[name]
    assert parsed(name).report.sections == sections
    # each section stops where the next one starts
    assert "政府信息公开行政复议" not in sections["requests"]
    assert "其他需要报告的事项" not in sections["problems"]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_extract_metadata_on_samples(name: str) -> None:
    year, orgs, _, _ = SAMPLES[name]
    meta = extract_metadata(read_text(FIXTURES / name), "")  # no help from the file name
    assert meta.year == year
    assert any(org in meta.organization for org in orgs)


def test_titles_and_dates() -> None:
    assert extract_metadata("正文\n2024 年上海市科委政府信息公开工作\n年度报告\n根据…").title == (
        "2024年上海市科委政府信息公开工作年度报告"
    )
    meta = extract_metadata("洪泽区人民政府\n2023 年政府信息公开工作年度报告\n本报告由…")
    assert (meta.year, meta.organization) == (2023, "洪泽区人民政府")
    meta = extract_metadata(
        "# 沐阳县人民政府 2025 年 政府信息公开工作年度报告\n\n(2026年1月23日)\n"
    )
    assert (meta.year, str(meta.published_on)) == (2025, "2026-01-23")
    meta = extract_metadata(
        "標題: 平潭綜合實驗區2021年度政府信息公開工作年度報告\n發布時間: 2022-02-08 16:34"
    )
    assert meta.year == 2021
    assert str(meta.published_on) == "2022-02-08"


def test_a_notice_cited_in_the_text_is_no_title() -> None:
    text = (
        "根据《福建省人民政府办公厅关于编制公布2021年政府信息公开工作年度报告有关事项的通知》"
        "等文件要求，我区编制完成了本报告。本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。"
    )
    meta = extract_metadata(text)
    assert (meta.year, meta.title) == (2021, "")
    assert "福建" not in meta.organization


def test_html_title_is_not_taken_with_its_markup() -> None:
    text = read_text(FIXTURES / "2024_pingtan.html")
    meta = extract_metadata(text, "2024_pingtan.html")
    assert (meta.year, meta.organization) == (2024, "平潭综合实验区")
    assert str(meta.published_on) == "2025-03-10"
    meta = extract_metadata(read_text(FIXTURES / "2019_shanghai-bangongting.html"))
    assert (meta.year, meta.organization) == (2019, "上海市人民政府办公厅")
    assert str(meta.published_on) == "2020-01-31"


def test_metadata_without_title() -> None:
    meta = extract_metadata(read_text(FIXTURES / "2017_binjiang.txt"))
    assert (meta.year, meta.organization, meta.title) == (2017, "滨江区政府", "")
    assert extract_metadata("没有年份的文字", "2016_somewhere.txt").year == 2016


def test_sections_mid_line_markdown_traditional_and_long_title() -> None:
    flat = (
        "本报告包括总体情况、主动公开政府信息情况等六个部分。一、总体情况2021年，我区……"
        "二、主动公开政府信息情况 第二十条……元三、收到和处理政府信息公开申请情况（本列…）"
        "四、政府信息公开行政复议、行政诉讼情况000000000000000"
        "五、政府信息公开工作存在的主要问题及改进情况（一）问题……六、其他需要报告的事项无。"
    )
    sections = split_sections(flat)
    assert sections["overview"].startswith("2021年")
    assert sections["requests"].startswith("(本列")  # half-width after normalisation
    assert sections["problems"].startswith("(一)问题")
    assert sections["other"] == "无。"
    md = "# 标题\n\n## 一、总体情况\n\n正文\n\n## 五、存在的主要问题及改进情况\n\n问题\n\n六、其他需要报告的事项\n\n无"
    assert split_sections(md) == {
        "overview": "正文",
        "proactive": "",
        "requests": "",
        "appeals": "",
        "problems": "问题",
        "other": "无",
    }
    traditional = to_traditional("一、总体情况\n很好\n二、主动公开政府信息情况\n表")
    assert split_sections(traditional)["proactive"] == "表"


def test_sections_lost_heading_five_found_by_its_subheading() -> None:
    text = "四、政府信息公开行政复议、行政诉讼情况\n| 1 | 0 |\n（一）主要问题\n人手不足\n五、其他需要报告的事项\n无"
    sections = split_sections(text)
    assert sections["problems"].startswith("(一)主要问题")
    assert sections["other"] == "无"


def test_prepare_removes_page_markers() -> None:
    prepared = prepare("甲\n-3-\n乙\n— 4 —\n丙\n第 5 页\n")
    assert prepared.text.split("\n")[:3] == ["甲", "乙", "丙"]
    assert len(prepared.markers) == 3


# --- table 三 ------------------------------------------------------------------------------
def test_2020_pingtan_published_numbers_are_kept_not_fixed() -> None:
    name = "2020_pingtan.txt"
    assert column(name, NATURAL) == (20, 0, 20, 0)
    assert column(name, ApplicantType.OTHER.value) == (1, 0, 1, 0)
    assert column(name, TOTAL) == (21, 0, 21, 0)
    assert t3(name, RECEIVED) == [20, 0, 0, 0, 0, 1, 21]  # "200 000121"
    assert t3(name, OUTCOME_TOTAL) == [20, 0, 0, 0, 0, 1, 21]  # "20 0 00 0 121"
    assert t3(name, OTHER_HANDLING_2019) == [4, 0, 0, 0, 0, 0, 4]  # the single 2019 row
    leaves = outcome_row_keys(V2019)
    report = parsed(name).report
    assert sum(report.cell(k, NATURAL) or 0 for k in leaves) == 26
    assert sum(report.cell(k, TOTAL) or 0 for k in leaves) == 27


def test_2021_pingtan_glued_rows() -> None:
    name = "2021_pingtan.txt"
    assert t3(name, RECEIVED) == [64, 0, 0, 2, 0, 4, 70]
    assert t3(name, OUTCOME_TOTAL) == [63, 0, 0, 2, 0, 4, 69]
    assert t3(name, CARRIED_OVER) == [1, 0, 0, 0, 0, 0, 1]
    # "220000325" reads 22/…/3/25 or 2/20/…/3/25; the columns decide
    assert t3(name, "unavailable_not_held") == [22, 0, 0, 0, 0, 3, 25]
    assert t3(name, "partly_disclosed") == [5, 0, 0, 0, 0, 0, 5]  # "500000 5"
    assert "parse.table3.glued" in codes(name)
    assert "parse.table3.ambiguous" not in codes(name)


def test_2022_pingtan() -> None:
    name = "2022_pingtan.txt"
    assert t3(name, RECEIVED) == [71, 3, 0, 0, 0, 0, 74]
    assert t3(name, CARRIED_IN) == [1, 0, 0, 0, 0, 0, 1]
    assert column(name, NATURAL) == (71, 1, 72, 0)
    assert column(name, COMMERCIAL) == (3, 0, 3, 0)
    assert column(name, TOTAL) == (74, 1, 75, 0)
    assert t3(name, "other") == [0, 2, 0, 0, 0, 0, 2]


def test_2023_and_2024_pingtan() -> None:
    assert column("2023_pingtan.txt", NATURAL) == (80, 0, 80, 0)
    assert column("2023_pingtan.txt", COMMERCIAL) == (1, 0, 1, 0)
    assert column("2023_pingtan.txt", TOTAL) == (81, 0, 81, 0)
    assert column("2024_pingtan.txt", NATURAL) == (217, 0, 217, 0)
    assert column("2024_pingtan.txt", TOTAL) == (218, 0, 218, 0)
    assert t3("2024_pingtan.txt", "disclosed") == [71, 0, 0, 0, 0, 0, 71]
    # "3200000326.属于四类…": the 6 belongs to the next label
    assert t3("2024_pingtan.txt", "withheld_internal") == [32, 0, 0, 0, 0, 0, 32]


def test_2023_hongze_cells_one_per_line() -> None:
    name = "2023_hongze.txt"
    assert column(name, NATURAL) == (21, 0, 21, 0)
    assert column(name, TOTAL) == (21, 0, 21, 0)
    assert t3(name, "partly_disclosed") == [4, 0, 0, 0, 0, 0, 4]
    assert t3(name, "unavailable_not_held") == [10, 0, 0, 0, 0, 0, 10]  # column-wise block
    report = parsed(name).report
    assert sum(report.cell(k, TOTAL) or 0 for k in outcome_row_keys(V2021)) == 21
    for key in SUB_ROWS_6:  # （六）其他处理 printed as one row of zeros
        assert t3(name, key) == [0] * 7
    assert {"parse.table3.by_order", "parse.table3.other_collapsed"} <= codes(name)


def test_2024_hongze_layout_text_with_page_footer() -> None:
    name = "2024_hongze.txt"
    assert column(name, NATURAL) == (95, 0, 95, 0)
    assert column(name, TOTAL) == (95, 0, 95, 0)
    assert t3(name, "disclosed") == [50, 0, 0, 0, 0, 0, 50]
    assert t3(name, "unavailable_not_held") == [31, 0, 0, 0, 0, 0, 31]  # just above "-3-"
    assert t3(name, "unavailable_needs_creation") == [1, 0, 0, 0, 0, 0, 1]  # just below
    assert t3(name, "withheld_law") == [0] * 7  # label misprinted "其他法律行政止公开"
    assert {"parse.page_footer", "parse.table3.other_collapsed"} <= codes(name)


def test_2024_kewei_broken_markdown() -> None:
    name = "2024_shanghai-kewei.md"
    assert column(name, NATURAL) == (32, 2, 33, 1)
    assert column(name, COMMERCIAL) == (2, 0, 2, 0)
    assert column(name, TOTAL) == (34, 2, 35, None)  # empty in the extraction
    # rows that lost their label, placed between labelled ones
    assert t3(name, "unavailable_not_held") == [4, 0, 0, 0, 0, 0, 4]
    assert t3(name, "withheld_internal") == [1, 0, 0, 0, 0, 0, 1]
    assert t3(name, "other_no_correction") == [8, 2, 0, 0, 0, 0, 10]
    assert {"parse.table3.placed", "parse.table3.blank_cells"} <= codes(name)


def test_2025_shanghai_bangongting() -> None:
    name = "2025_shanghai-bangongting.md"
    assert column(name, TOTAL) == (1295, 189, 1191, 293)
    assert column(name, NATURAL) == (1259, 170, 1139, 290)
    assert column(name, COMMERCIAL) == (36, 15, 48, 3)
    assert column(name, LEGAL) == (0, 4, 4, 0)
    assert t3(name, "other_no_correction") == [40, 1, 0, 0, 2, 0, 43]  # label cut in two
    assert t3(name, "other_fee_unpaid") == [0] * 7  # across the "— 5 —" marker
    assert "parse.page_footer" in codes(name)


def test_2025_shuyang_renamed_columns() -> None:
    name = "2025_shuyang.md"
    assert column(name, TOTAL) == (713, 36, 718, 31)
    assert column(name, NATURAL) == (705, 36, 710, 31)
    assert column(name, COMMERCIAL) == (3, 0, 3, 0)
    assert column(name, LEGAL) == (5, 0, 5, 0)
    assert t3(name, "other_fee_unpaid") == [7, 0, 0, 0, 0, 0, 7]  # under the wrong header
    messages = [n.message for n in parsed(name).notes if n.code == "parse.table3.columns"]
    assert any("数据1" in m for m in messages)
    assert any("表头" in m for m in messages)


@pytest.mark.parametrize("name", WITH_TABLES)
def test_rows_as_published(name: str) -> None:
    """Each row's six applicant cells add up to its 总计 in every sample (as published)."""
    for row, values in parsed(name).report.table3.items():
        assert all(v is not None for v in values[:6]), row
        if values[6] is not None:
            assert sum(v or 0 for v in values[:6]) == values[6], row


@pytest.mark.parametrize("name", ["2017_binjiang.txt", "2018_pingtan.txt"])
def test_old_format_reports(name: str) -> None:
    report = parsed(name).report
    assert not report.has_table3
    assert all(v is None for v in report.table4)
    assert {
        "parse.old_format",
        "parse.table2.missing",
        "parse.table3.missing",
        "parse.table4.missing",
    } <= codes(name)


def test_traditional_report_with_lost_tables() -> None:
    name = "2019_yancheng_traditional.txt"
    report = parsed(name).report
    assert not report.has_table3
    assert {"parse.table2.empty", "parse.table3.empty", "parse.table4.empty"} <= codes(name)
    assert "按期答复率100%" in report.sections["overview"]  # simplified


def test_not_a_report() -> None:
    result = parse_text(read_text(OTHER / "2020_putuo_practice_article.txt"), "article.txt")
    assert "parse.not_report" in {n.code for n in result.notes}
    assert not result.report.has_table3


def test_parse_file_dispatches_text_and_markdown() -> None:
    assert parse_file(FIXTURES / "2025_shuyang.md").detected_format == "markdown"
    assert parse_file(FIXTURES / "2024_hongze.txt").detected_format == "text"
    assert detect_format("| a | b |\n|---|---|\n| 1 | 2 |") == "markdown"
    assert detect_format("一、总体情况\n正文") == "text"


# --- table 四 ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2020_pingtan.txt", [0] * 15),
        ("2021_pingtan.txt", [1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0]),
        ("2022_pingtan.txt", [0, 1, 1, 0, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]),
        ("2023_pingtan.txt", [1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2]),
        ("2024_pingtan.txt", [2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19]),
        ("2024_hongze.txt", [1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3]),
        ("2024_shanghai-kewei.md", [1, 0, 0, 0, 1] + [0] * 10),
        (
            "2025_shanghai-bangongting.md",
            [40, 0, 10, 5, 55, 2, 0, 4, 6, 12, 6, 0, 9, 7, 22],
        ),
        ("2025_shuyang.md", [27, 10, 9, 15, 61, 3, 0, 0, 0, 3, 8, 0, 1, 1, 10]),
    ],
)
def test_table4(name: str, expected: list[int]) -> None:
    assert parsed(name).report.table4 == expected


def test_table4_in_unknown_order_is_left_blank() -> None:
    # 2023 洪泽: 15 numbers one per line that do not add up: their columns are unknown
    name = "2023_hongze.txt"
    assert parsed(name).report.table4 == [None] * 15
    assert "parse.table4.cells" in codes(name)


# --- table 二 ------------------------------------------------------------------------------
def t2(name: str, row: str) -> dict[str, Decimal | None]:
    return parsed(name).report.table2[row]


def test_table2_2021_format() -> None:
    d = Decimal
    assert t2("2024_hongze.txt", "normative_documents") == {
        "issued": d(3),
        "repealed": d(0),
        "in_force": d(8),
    }
    assert t2("2024_hongze.txt", "licensing") == {"decisions": d(9487)}
    assert t2("2024_hongze.txt", "fees") == {"amount": d(7545)}
    # one cell per line, the number printed before its label
    assert t2("2023_hongze.txt", "licensing") == {"decisions": d(550)}
    assert t2("2023_hongze.txt", "fees") == {"amount": d("7730.28")}
    assert t2("2023_hongze.txt", "penalty") == {"decisions": d(4119)}
    assert t2("2024_shanghai-kewei.md", "normative_documents")["in_force"] == d(55)
    assert t2("2025_shuyang.md", "penalty") == {"decisions": d(693957)}
    assert t2("2025_shuyang.md", "fees") == {"amount": d("4068.208")}
    assert t2("2022_pingtan.txt", "licensing") == {"decisions": d(10690)}
    assert t2("2022_pingtan.txt", "regulations") == dict.fromkeys(
        ("issued", "repealed", "in_force"), d(0)
    )  # "000"


def test_table2_unreadable_rows_are_blank_with_a_note() -> None:
    # "行政规范性文件8855698": 88/55/698 or 8/855/698 …, nothing tells
    assert set(t2("2022_pingtan.txt", "normative_documents").values()) == {None}
    notes = [n for n in parsed("2022_pingtan.txt").notes if n.code == "parse.table2.cells"]
    assert notes and "8855698" in notes[0].message
    # 上海 2025: the 规章 row shows two of its three numbers
    assert set(t2("2025_shanghai-bangongting.md", "regulations").values()) == {None}


def test_table2_2019_format() -> None:
    name = "2020_pingtan.txt"
    assert t2(name, "regulations") == {"made": 0, "published": 0, "total_public": 7}  # "007"
    assert set(t2(name, "normative_documents").values()) == {None}  # "7777166"


# --- labels ----------------------------------------------------------------------------------
def test_row_labels_in_running_text() -> None:
    text = prepare(
        "1.属于国家秘密00000002.其他法律行政止公开 0 0\n（二）部分公开（区分处理的，只计这一情 形，不\n计其他情形）"
    ).text
    hits = find_table3_labels(text)
    assert [h.key for h in hits] == ["withheld_state_secret", "withheld_law", "partly_disclosed"]
    assert not hits[1].exact  # found by its keyword despite the misprint
    assert label_key("（三）不4.保护第三方合法权益") == "withheld_third_party"
    assert label_key("缴纳费用、行政机关不再处理其政") == "other_fee_unpaid"
    assert label_key("行政机关不再处理其政府信息公") is None  # two rows share these words
    assert match_applicant_column("数据3") == ApplicantType.RESEARCH.value
    assert match_applicant_column("社会公益") == ApplicantType.PUBLIC_INTEREST.value


# --- glued digits -----------------------------------------------------------------------
def test_split_glued_examples() -> None:
    assert table3_row_splits("640020470") == [(64, 0, 0, 2, 0, 4, 70)]
    assert table3_row_splits("713000074") == [(71, 3, 0, 0, 0, 0, 74)]
    assert sorted(table3_row_splits("220000325")) == [
        (2, 20, 0, 0, 0, 3, 25),
        (22, 0, 0, 0, 0, 3, 25),
    ]
    assert table3_row_splits("200 000121") == [(20, 0, 0, 0, 0, 1, 21)]  # spaces split
    assert table3_row_splits("20 0 00 0 121") == [(20, 0, 0, 0, 0, 1, 21)]
    assert table3_row_splits("12345") == []
    assert table4_splits("21317000001324019") == [(2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19)]
    assert table4_splits("10203120001200000") == [(1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0)]
    assert split_glued("1005", 2) == [(100, 5)]  # "1|005", "10|05" have leading zeros
    assert split_glued("10 05", 3) == [(10, 0, 5)]


def _table(
    rows: Mapping[str, tuple[int, ...]], layout: list[str]
) -> dict[str, list[tuple[int, ...]]]:
    return {k: table3_row_splits("".join(map(str, rows[k]))) for k in layout}


def test_resolve_rows_uses_the_columns_and_admits_ambiguity() -> None:
    layout = [r.key for r in TABLE3_ROWS[V2019]]
    zero = (0,) * 7
    rows = dict.fromkeys(layout, zero)
    rows[RECEIVED] = rows[OUTCOME_TOTAL] = (23, 0, 0, 0, 0, 3, 26)
    rows["disclosed"] = (1, 0, 0, 0, 0, 0, 1)
    rows["unavailable_not_held"] = (22, 0, 0, 0, 0, 3, 25)
    candidates = _table(rows, layout)
    assert len(candidates["unavailable_not_held"]) == 2
    assert len(candidates[OUTCOME_TOTAL]) == 1
    result = resolve_rows(candidates, table3_constraints(layout))
    assert result.values["unavailable_not_held"] == (22, 0, 0, 0, 0, 3, 25)
    assert not result.ambiguous
    # Two glued rows that can swap their readings: both stay open.
    rows[RECEIVED] = rows[OUTCOME_TOTAL] = (24, 20, 0, 0, 0, 6, 50)
    rows["unavailable_not_held"] = (22, 0, 0, 0, 0, 3, 25)
    rows["disclosed"] = (2, 20, 0, 0, 0, 3, 25)
    result = resolve_rows(_table(rows, layout), table3_constraints(layout))
    assert set(result.ambiguous) == {"unavailable_not_held", "disclosed"}
    assert result.values["disclosed"] is None


_cells = st.one_of(st.just(0), st.just(0), st.integers(0, 9), st.integers(10, 400))


@st.composite
def consistent_tables(
    draw: st.DrawFn, version: FormatVersion = V2021
) -> dict[str, tuple[int, ...]]:
    """A table 三 whose every row and column rule holds."""
    keys = [r.key for r in TABLE3_ROWS[version]]
    leaves = [k for k in keys if k not in (RECEIVED, CARRIED_IN, OUTCOME_TOTAL, CARRIED_OVER)]
    rows: dict[str, tuple[int, ...]] = {}

    def with_total(six: list[int]) -> tuple[int, ...]:
        return (*six, sum(six))

    for key in leaves:
        rows[key] = with_total(draw(st.lists(_cells, min_size=6, max_size=6)))
    total = [sum(rows[k][c] for k in leaves) for c in range(6)]
    over = draw(st.lists(_cells, min_size=6, max_size=6))
    carried_in = [draw(st.integers(0, total[c] + over[c])) for c in range(6)]
    rows[OUTCOME_TOTAL] = with_total(total)
    rows[CARRIED_OVER] = with_total(over)
    rows[CARRIED_IN] = with_total(carried_in)
    rows[RECEIVED] = with_total([total[c] + over[c] - carried_in[c] for c in range(6)])
    return {k: rows[k] for k in keys}


@given(st.lists(_cells, min_size=6, max_size=6))
def test_glued_row_contains_the_truth(six: list[int]) -> None:
    row = (*six, sum(six))
    readings = table3_row_splits("".join(map(str, row)))
    assert row in readings
    assert all(sum(r[:6]) == r[6] for r in readings)


@given(consistent_tables())
@settings(max_examples=60, deadline=None)
def test_resolution_is_never_wrong(rows: dict[str, tuple[int, ...]]) -> None:
    layout = list(rows)
    candidates = _table(rows, layout)
    result = resolve_rows(candidates, table3_constraints(layout))
    for key, truth in rows.items():
        got = result.values[key]
        assert got is None or got == truth, key
        assert (got is None) == (key in result.ambiguous)
        if len(candidates[key]) == 1:
            assert got == truth


@given(st.lists(_cells, min_size=12, max_size=12))
def test_glued_table4_is_never_wrong(twelve: list[int]) -> None:
    values: list[int] = []
    for g in range(3):
        four = twelve[g * 4 : g * 4 + 4]
        values += [*four, sum(four)]
    readings = table4_splits("".join(map(str, values)))
    assert tuple(values) in readings
    assert all(r[g + 4] == sum(r[g : g + 4]) for r in readings for g in range(0, 15, 5))


def flattened_report(
    rows: Mapping[str, tuple[int, ...]],
    version: FormatVersion = V2021,
    *,
    year: int | None = None,
    table2: str = "信息内容……",
) -> str:
    """A report as the 平潭 web pages give it: every table flattened into one line, the digits of
    each row glued together and to the next label."""
    year = year or (2023 if version == V2021 else 2020)
    parts = [
        f"标题: 平潭综合实验区{year}年度政府信息公开工作年度报告\n",
        f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        f"一、总体情况 全年依法办理申请。二、主动公开政府信息情况 第二十条第（一）项{table2}",
        "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，"
        "等于第三项加第四项之和）申请人情况自然人法人或其他组织总计商业企业科研机构"
        "社会公益组织法律服务机构其他",
    ]
    group = ""
    for row in TABLE3_ROWS[version]:
        if row.key == "disclosed":
            parts.append(RESULTS_LABEL)
        if row.group and row.group != group:
            parts.append(row.group)
            group = row.group
        parts.append(row.label + "".join(map(str, rows[row.key])))
    parts.append(" 四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正")
    parts.append("其他结果尚未审结总计000000000000000五、存在的主要问题及改进情况无。")
    parts.append("六、其他需要报告的事项无。")
    return "".join(parts)


@given(consistent_tables())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_parser_on_glued_text_is_never_wrong(rows: dict[str, tuple[int, ...]]) -> None:
    result = parse_text(flattened_report(rows), "generated.txt")
    report = result.report
    assert report.format_version == V2021
    ambiguous = {n.location for n in result.notes if n.code == "parse.table3.ambiguous"}
    for key, truth in rows.items():
        got = report.table3[key]
        if got == [None] * 7:
            assert f"table3.{key}" in ambiguous
        else:
            assert tuple(got) == truth, key
    assert report.table4 == [0] * 15


def test_parser_leaves_an_undecidable_row_blank() -> None:
    layout = [r.key for r in TABLE3_ROWS[V2021]]
    rows = dict.fromkeys(layout, (0,) * 7)
    rows[RECEIVED] = rows[OUTCOME_TOTAL] = (24, 20, 0, 0, 0, 6, 50)
    rows["unavailable_not_held"] = (22, 0, 0, 0, 0, 3, 25)
    rows["disclosed"] = (2, 20, 0, 0, 0, 3, 25)
    result = parse_text(flattened_report(rows), "generated.txt")
    assert result.report.table3["disclosed"] == [None] * 7
    assert result.report.table3["unavailable_not_held"] == [None] * 7
    assert result.report.table3[RECEIVED] == [24, 20, 0, 0, 0, 6, 50]
    notes = [n for n in result.notes if n.code == "parse.table3.ambiguous"]
    assert {n.location for n in notes} == {"table3.disclosed", "table3.unavailable_not_held"}
    assert all(n.severity == Severity.WARNING for n in notes)


def test_parser_2019_layout_from_the_single_other_row() -> None:
    layout = [r.key for r in TABLE3_ROWS[V2019]]
    rows = dict.fromkeys(layout, (0,) * 7)
    rows[RECEIVED] = rows[OUTCOME_TOTAL] = rows[OTHER_HANDLING_2019] = (3, 0, 0, 0, 0, 0, 3)
    report = parse_text(flattened_report(rows, V2019), "generated.txt").report
    assert report.format_version == V2019
    assert report.table3[OTHER_HANDLING_2019] == [3, 0, 0, 0, 0, 0, 3]
    assert list(report.table3) == layout
    assert len(TABLE3_COLUMNS) == 7


def test_layout_that_contradicts_the_year() -> None:
    """A 2023 report printed with the single 2019 （六） row (and nothing else telling the
    format) is read in the 2019 format, with a note."""
    layout = [r.key for r in TABLE3_ROWS[V2019]]
    rows = dict.fromkeys(layout, (0,) * 7)
    rows[RECEIVED] = rows[OUTCOME_TOTAL] = rows[OTHER_HANDLING_2019] = (3, 0, 0, 0, 0, 0, 3)
    result = parse_text(flattened_report(rows, V2019, year=2023), "generated.txt")
    assert result.report.format_version == V2019
    assert "parse.format_mismatch" in {n.code for n in result.notes}
    # the 2021 table 二 headers contradict the single row: the year decides, sub-rows blank
    table2 = "信息内容本年制发件数本年废止件数现行有效件数规章000"
    result = parse_text(flattened_report(rows, V2019, year=2023, table2=table2), "g.txt")
    assert result.report.format_version == V2021
    assert result.report.table3["other"] == [None] * 7
    assert result.report.table2["regulations"] == dict.fromkeys(
        ("issued", "repealed", "in_force"), Decimal(0)
    )
    notes = [n for n in result.notes if n.code == "parse.table3.other_collapsed"]
    assert notes and notes[0].severity == Severity.WARNING


def test_2019_report_printed_with_the_2021_sub_rows() -> None:
    layout = [r.key for r in TABLE3_ROWS[V2021]]
    rows = dict.fromkeys(layout, (0,) * 7)
    rows[RECEIVED] = rows[OUTCOME_TOTAL] = (3, 0, 0, 0, 0, 0, 3)
    rows["other_no_correction"] = (1, 0, 0, 0, 0, 0, 1)
    rows["other"] = (2, 0, 0, 0, 0, 0, 2)
    table2 = "信息内容本年新制作数量本年新公开数量对外公开总数量规章007"
    result = parse_text(flattened_report(rows, year=2020, table2=table2), "generated.txt")
    report = result.report
    assert report.format_version == V2019
    assert report.table3[OTHER_HANDLING_2019] == [3, 0, 0, 0, 0, 0, 3]
    assert report.table2["regulations"]["total_public"] == Decimal(7)
