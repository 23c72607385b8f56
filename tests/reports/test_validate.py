"""validate(): every check of RULES.md §8 on hand-filled reports and on the published sample
reports in tests/fixtures/reports (figures as listed in SOURCES.md)."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.reports import rules
from gongkai.reports.findings import Finding, Severity, has_errors
from gongkai.reports.formats import (
    CARRIED_IN,
    CARRIED_OVER,
    OUTCOME_TOTAL,
    RECEIVED,
    SECTION_KEYS,
    SECTION_TITLE_VARIANTS,
    SECTION_TITLES,
    TABLE3_COLUMNS,
    TOTAL,
    FormatVersion,
)
from gongkai.reports.structure import StatutoryReport
from gongkai.reports.validate import CODES, validate
from tests.reports.test_rules import consistent_tables

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reports"
NP = TABLE3_COLUMNS.index("natural_person")
TOT = TABLE3_COLUMNS.index(TOTAL)
ARITHMETIC = {"table3.balance", "table3.outcome_sum", "table3.total_column"}
_ = None


def of(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == Severity.ERROR]


def simple(year: int = 2024) -> StatutoryReport:
    """A small consistent report: 自然人 21 received, 3 carried in, 20 answered, 4 carried over."""
    report = StatutoryReport.empty(year, "测试区人民政府")
    for cells in report.table3.values():
        cells[:] = [0] * 7
    report.table3[RECEIVED][NP] = 21
    report.table3[CARRIED_IN][NP] = 3
    report.table3["disclosed"][NP] = 12
    report.table3["partly_disclosed"][NP] = 8
    report.table3[OUTCOME_TOTAL][NP] = 20
    report.table3[CARRIED_OVER][NP] = 4
    for cells in report.table3.values():
        cells[TOT] = sum(cells[:TOT])
    report.table4 = [1, 0, 0, 1, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    return report


def test_codes_are_stable():
    """The finding codes are an interface: renaming one breaks stored findings."""
    assert set(CODES) == {
        "structure.format_version",
        "structure.table3_rows",
        "structure.table3_columns",
        "structure.table4_columns",
        "structure.table2_rows",
        "section.missing",
        "section.problems_short",
        "section.placeholder",
        "title.year",
        "title.leftover_year",
        "period.year",
        "publication.late",
        "table3.empty",
        "table3.blank_cells",
        "table3.negative",
        "table3.balance",
        "table3.outcome_sum",
        "table3.total_column",
        "table3.total_column_blank",
        "table4.empty",
        "table4.blank_cells",
        "table4.negative",
        "table4.total",
        "table2.not_integer",
        "table2.amount_precision",
        "table2.negative",
        "table2.in_force",
        "previous.year",
        "table3.carry_over",
        "narrative.mismatch",
        "narrative.outcome",
        "narrative.percentage",
        "fees.unexplained",
        "fees.amount",
        "text.copied",
        "government.accountability",
    }


def test_consistent_report_has_no_errors():
    assert errors(validate(simple())) == []


# --- table 三 ------------------------------------------------------------------------------


def test_balance_message_names_the_cells():
    """勾稽关系: 一+二=三+四, per column — the message names the rows and the column."""
    report = simple()
    report.table3[CARRIED_IN][NP] = 0
    report.table3[CARRIED_IN][TOT] = 0
    report.table3[CARRIED_OVER][NP] = 7
    report.table3[CARRIED_OVER][TOT] = 7
    (finding,) = of(validate(report), "table3.balance")[:1]
    assert finding.severity == Severity.ERROR
    assert finding.location == "table3.received.natural_person"
    assert finding.message == (
        "表三“一、本年新收”＋“二、上年结转”（自然人列）为 21，"
        "与“（七）总计”＋“四、结转下年度”之和 27 不符"
    )
    assert [f.location for f in of(validate(report), "table3.balance")] == [
        "table3.received.natural_person",
        "table3.received.total",
    ]


def test_outcome_total_is_the_sum_of_the_leaf_rows():
    """（七）总计 = Σ（一）…（六）, per column (RULES.md §2.4)."""
    report = simple()
    report.table3["withheld_process"][NP] = 1
    report.table3["withheld_process"][TOT] = 1
    found = of(validate(report), "table3.outcome_sum")
    assert [f.location for f in found] == [
        "table3.outcome_total.natural_person",
        "table3.outcome_total.total",
    ]
    assert "为 20，与各项办理结果之和 21 不符" in found[0].message


def test_total_column_is_the_sum_of_the_six_applicant_columns():
    """总计列 = 自然人+商业企业+科研机构+社会公益组织+法律服务机构+其他, per row."""
    report = simple()
    report.table3["disclosed"][TOT] = 13
    (found,) = of(validate(report), "table3.total_column")
    assert found.location == "table3.disclosed.total"
    assert found.message == "表三“（一）予以公开”行的“总计”为 13，与六类申请人之和 12 不符"


def test_negative_cell_is_an_error():
    """All table 三 cells are non-negative integers."""
    report = simple()
    report.table3["withheld_law"][1] = -2
    (found,) = of(validate(report), "table3.negative")
    assert found.location == "table3.withheld_law.commercial"
    assert "（三）不予公开 2.其他法律行政法规禁止公开" in found.message
    assert "商业企业列" in found.message


def test_empty_table3_is_one_warning():
    """A blank or unreadable table 三: one warning, no arithmetic findings."""
    report = simple()
    report.table3 = StatutoryReport.empty(2024, "x").table3
    findings = validate(report)
    (found,) = of(findings, "table3.empty")
    assert found.severity == Severity.WARNING
    assert found.message == "表三未填写或无法读取"
    assert not [f for f in findings if f.code.startswith("table3.") and f.code != "table3.empty"]


def test_partly_blank_table3_counts_blanks_once():
    """Blank cells next to filled ones count as 0, with one info finding."""
    report = simple()
    report.table3["withheld_query"] = [None] * 7
    report.table3[CARRIED_IN][3] = None
    findings = validate(report)
    (found,) = of(findings, "table3.blank_cells")
    assert found.severity == Severity.INFO
    assert "8 个单元格为空" in found.message
    assert errors(findings) == []


def test_2019_format_single_other_handling_row():
    """2019 format (国办公开办函〔2019〕60号): （六）其他处理 is a single row."""
    report = StatutoryReport.empty(2020, "测试区人民政府")
    assert report.format_version == FormatVersion.V2019
    for cells in report.table3.values():
        cells[:] = [0] * 7
    report.table3[RECEIVED][NP] = 20
    report.table3["other_handling"][NP] = 4
    report.table3["disclosed"][NP] = 16
    report.table3[OUTCOME_TOTAL][NP] = 20
    for cells in report.table3.values():
        cells[TOT] = sum(cells[:TOT])
    assert errors(validate(report)) == []
    report.table3["other_handling"][NP] = 5  # 2020 平潭: the rows add up to more than （七）
    report.table3["other_handling"][TOT] = 5
    assert {f.location for f in of(validate(report), "table3.outcome_sum")} == {
        "table3.outcome_total.natural_person",
        "table3.outcome_total.total",
    }


def test_2021_report_with_the_2019_other_handling_row():
    """The 2021 format needs （六）1–3; one （六） row is a structure error."""
    report = simple()
    for key in ("other_no_correction", "other_fee_unpaid", "other"):
        del report.table3[key]
    report.table3["other_handling"] = [0] * 7
    (found,) = of(validate(report), "structure.table3_rows")
    assert "缺少 （六）其他处理 1.申请人无正当理由逾期不补正" in found.message
    assert "多出 （六）其他处理" in found.message


def test_row_with_wrong_number_of_cells():
    report = simple()
    report.table3[RECEIVED] = [21, 0, 0, 0, 0, 21]
    assert of(validate(report), "structure.table3_columns")


# --- the 2019 Shanghai report (SOURCES.md) ----------------------------------------------------


def shanghai_2019() -> StatutoryReport:
    """2019_shanghai-bangongting.html, table 三 and 四 as printed: blank cells stay blank and
    the 总计 column is blank in every outcome row."""
    report = StatutoryReport.empty(2019, "上海市人民政府办公厅")
    rows = {
        RECEIVED: [821, 35, _, _, 2, 1, 859],
        CARRIED_IN: [18, _, _, _, _, _, 18],
        "disclosed": [258, 12, _, _, 1, 1, _],
        "partly_disclosed": [3, _, _, _, _, _, _],
        "withheld_state_secret": [14, _, _, _, _, _, _],
        "withheld_internal": [5, _, _, _, _, _, _],
        "withheld_process": [3, 1, _, _, _, _, _],
        "withheld_query": [10, 2, _, _, _, _, _],
        "unavailable_not_held": [252, 12, _, _, 1, _, _],
        "unavailable_needs_creation": [44, 3, _, _, _, _, _],
        "unavailable_unclear": [25, _, _, _, _, _, _],
        "not_processed_petition": [148, 1, _, _, _, _, _],
        "not_processed_repeated": [5, 4, _, _, _, _, _],
        OUTCOME_TOTAL: [767, 35, _, _, 2, 1, 805],
        CARRIED_OVER: [72, _, _, _, _, _, 72],
    }
    report.table3.update({key: list(cells) for key, cells in rows.items()})
    report.table4 = [5, _, _, 2, 7, 8, _, _, 1, 9, _, _, _, _, _]
    report.title = "2019年上海市人民政府办公厅政府信息公开工作年度报告"
    report.published_on = date(2020, 1, 31)
    text = html.unescape(re.sub(r"<[^>]+>", "", read("2019_shanghai-bangongting.html")))
    report.sections = split_sections(text, FormatVersion.V2019)
    return report


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def split_sections(text: str, version: FormatVersion) -> dict[str, str]:
    """Cut a report's text at the six section titles; the introduction joins 一、总体情况."""
    sections: dict[str, str] = {}
    cut, start, previous = 0, 0, "overview"
    for key, title in zip(SECTION_KEYS, SECTION_TITLES[version], strict=True):
        titles = (title, *SECTION_TITLE_VARIANTS.get(key, ()))
        found = min((i for t in titles if (i := text.find(t, cut)) != -1), default=-1)
        if found == -1:
            continue
        if key != "overview":
            sections[previous] = text[start:found]
            start = found
        previous, cut = key, found + 1
    sections[previous] = text[start:]
    return sections


def test_shanghai_2019_passes_with_the_blank_total_column_warned_once():
    """勾稽关系 on the real 2019 report (blank = 0): 859 + 18 = 805 + 72. The 总计 column is
    blank in every outcome row: one warning, not one error per row."""
    findings = validate(shanghai_2019())
    assert errors(findings) == []
    (blank_total,) = of(findings, "table3.total_column_blank")
    assert blank_total.severity == Severity.WARNING
    assert codes(findings) == {
        "table3.blank_cells",
        "table3.total_column_blank",
        "table4.blank_cells",
    }


def test_shanghai_2019_narrative_figures_agree_with_the_tables():
    """Text versus table: 受理 859, 答复 805, 上年度结转 18, 复议 7, 诉讼 9 all match.

    The body's 予以公开及部分公开 258件 (table: 272 + 3) is an outcome-category figure, which
    the validator does not compare (SOURCES.md notes the discrepancy)."""
    report = shanghai_2019()
    assert "859件" in report.sections["overview"]
    assert of(validate(report), "narrative.mismatch") == []
    report.table3[RECEIVED][TOT] = 860
    report.table3[RECEIVED][NP] = 822
    (found,) = of(validate(report), "narrative.mismatch")
    assert found.location == "section.overview"
    assert "共受理政府信息公开申请859件" in found.message
    assert "与表三“一、本年新收”总计 860" in found.message


def test_shanghai_2019_litigation_mismatch_names_both_groups():
    report = shanghai_2019()
    report.table4[9], report.table4[5] = 10, 9
    (found,) = of(validate(report), "narrative.mismatch")
    assert "所述行政诉讼 9 件，与表四行政诉讼总计 10（未经复议直接起诉 10，复议后起诉 0）" in (
        found.message
    )


# --- the prose against the tables on the other sample reports ---------------------------------


def totals(year: int, received: int, carried_in: int, answered: int, carried_over: int):
    report = StatutoryReport.empty(year, "示例")
    for row, number in zip(
        (RECEIVED, CARRIED_IN, OUTCOME_TOTAL, CARRIED_OVER),
        (received, carried_in, answered, carried_over),
        strict=True,
    ):
        report.table3[row][TOT] = number
    return report


SAMPLES = [
    # file, (一, 二, （七）, 四 in the 总计 column), table 四 or None (from SOURCES.md)
    ("2020_pingtan.txt", (21, 0, 21, 0), None),
    ("2021_pingtan.txt", (70, 0, 69, 1), None),
    ("2022_pingtan.txt", (74, 1, 75, 0), None),  # "收到…申请75件" = 一 + 二
    ("2023_pingtan.txt", (81, 0, 81, 0), [1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2]),
    ("2023_hongze.txt", (21, 0, 21, 0), None),
    ("2024_pingtan.txt", (218, 0, 218, 0), [2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19]),
    ("2024_shanghai-kewei.md", (34, 2, 35, 1), None),
    (
        "2025_shanghai-bangongting.md",
        (1295, 189, 1191, 293),
        [40, 0, 10, 5, 55, 2, 0, 4, 6, 12, 6, 0, 9, 7, 22],
    ),
    ("2025_shuyang.md", (713, 36, 718, 31), [27, 10, 9, 15, 61, 3, 0, 0, 0, 3, 8, 0, 1, 1, 10]),
]


@pytest.mark.parametrize(("name", "table3", "table4"), SAMPLES)
def test_narrative_agrees_with_tables_on_sample_reports(name, table3, table4):
    """Text versus table (RULES.md §8 check 7): no false alarm on real published text, with
    the whole text (tables included, as extracted) in one section."""
    report = totals(int(name[:4]), *table3)
    if table4:
        report.table4 = table4
    report.sections["overview"] = read(name)
    assert of(validate(report), "narrative.mismatch") == []


def test_narrative_mismatch_in_hongze_2024():
    """2024_hongze.txt says the 区政府办 received 17 applications for the 区政府; its table 三
    says 95. The validator quotes the sentence."""
    report = totals(2024, 95, 0, 95, 0)
    report.sections["overview"] = read("2024_hongze.txt")
    (found,) = of(validate(report), "narrative.mismatch")
    assert found.severity == Severity.ERROR
    assert "受理政府 信息公开申请 17 件" in found.message
    assert (
        "所述收到申请 17 件，与表三“一、本年新收”总计 95（加上年结转为 95）均不符" in found.message
    )


def test_narrative_received_may_include_carried_in():
    """ "受理…N件" counts either 一 alone or 一 + 二 (2025 沭阳: 713 + 36 = 749)."""
    report = totals(2025, 713, 36, 718, 31)
    report.sections["requests"] = "全县全年共受理政府信息公开申请 749 件。"
    assert of(validate(report), "narrative.mismatch") == []
    report.sections["requests"] = "全县全年共受理政府信息公开申请 750 件。"
    assert of(validate(report), "narrative.mismatch")


def test_narrative_carried_over_and_reconsideration_mismatch():
    report = simple()
    report.sections["requests"] = "本年收到政府信息公开申请21件，另有5件结转下年度继续办理。"
    report.sections["appeals"] = "本年度发生行政复议3件。"
    found = of(validate(report), "narrative.mismatch")
    assert [f.location for f in found] == ["section.requests", "section.appeals"]
    assert "所述结转下年度 5 件，与表三“四、结转下年度继续办理”总计 4 不符" in found[0].message
    assert "所述行政复议 3 件，与表四“行政复议·总计” 2 不符" in found[1].message


def test_narrative_not_checked_against_blank_tables():
    report = StatutoryReport.empty(2024, "示例")
    report.sections["overview"] = "本年收到政府信息公开申请21件，因政府信息公开引起行政复议3件。"
    assert of(validate(report), "narrative.mismatch") == []


# --- table 四 ------------------------------------------------------------------------------


def test_table4_each_total_is_the_sum_of_its_four():
    """Table 四: 总计 = 结果维持+结果纠正+其他结果+尚未审结, for each of the three groups."""
    report = simple()
    report.table4[4] = 3
    report.table4[14] = 1
    found = of(validate(report), "table4.total")
    assert [f.location for f in found] == [
        "table4.reconsideration_total",
        "table4.litigation_after_total",
    ]
    assert found[0].message == (
        "表四“行政复议·总计”为 3，与结果维持、结果纠正、其他结果、尚未审结之和 2 不符"
    )


def test_table4_negative_empty_and_wrong_width():
    report = simple()
    report.table4[6] = -1
    (found,) = of(validate(report), "table4.negative")
    assert found.location == "table4.litigation_direct_corrected"
    report.table4 = [None] * 15
    (empty,) = of(validate(report), "table4.empty")
    assert empty.severity == Severity.WARNING and empty.message == "表四未填写或无法读取"
    report.table4 = []
    assert of(validate(report), "table4.empty")
    report.table4 = [0] * 10
    assert of(validate(report), "structure.table4_columns")


# --- table 二 ------------------------------------------------------------------------------


def test_table2_counts_whole_and_amounts_two_decimals():
    """Table 二: counts are whole numbers; 本年收费金额（万元） has at most two decimals."""
    report = simple()
    report.table2["licensing"]["decisions"] = Decimal("12.5")
    report.table2["fees"]["amount"] = Decimal("1.234")
    report.table2["penalty"]["decisions"] = Decimal(-1)
    findings = validate(report)
    (whole,) = of(findings, "table2.not_integer")
    assert whole.location == "table2.licensing.decisions"
    assert "“行政许可”的“本年处理决定数量”是件数，应为整数，实为 12.5" in whole.message
    (precision,) = of(findings, "table2.amount_precision")
    assert precision.location == "table2.fees.amount"
    assert of(findings, "table2.negative")[0].location == "table2.penalty.decisions"
    report.table2["fees"]["amount"] = Decimal("1.23")
    assert not of(validate(report), "table2.amount_precision")


def test_table2_2019_change_may_be_negative():
    """2019 format: 本年增/减 is a signed change."""
    report = StatutoryReport.empty(2019, "示例")
    report.table2["licensing"]["change"] = Decimal(-3)
    assert not of(validate(report), "table2.negative")


def test_table2_in_force_cross_year_is_a_warning():
    """上年现行有效 + 本年制发 − 本年废止 vs 本年现行有效: a heuristic, warning only."""
    last, this = simple(2023), simple(2024)
    last.table2["normative_documents"]["in_force"] = Decimal(40)
    this.table2["normative_documents"].update(
        issued=Decimal(6), repealed=Decimal(2), in_force=Decimal(45)
    )
    (found,) = of(validate(this, last), "table2.in_force")
    assert found.severity == Severity.WARNING
    assert found.location == "table2.normative_documents.in_force"
    assert "为 44，与本年“现行有效件数” 45 不一致" in found.message
    this.table2["normative_documents"]["in_force"] = Decimal(44)
    assert not of(validate(this, last), "table2.in_force")


def test_table2_block_of_the_other_format():
    """A 第二十条第（九）项 (政府集中采购) row in a 2021+ report."""
    report = simple()
    report.table2["procurement"] = {"projects": Decimal(6), "amount": Decimal(25)}
    (found,) = of(validate(report), "structure.table2_rows")
    assert "政府集中采购" in found.message


# --- across years ---------------------------------------------------------------------------


def test_carry_over_from_last_years_report():
    """Cross-year: 二、上年结转 = last year's 四、结转下年度继续办理, per column."""
    last, this = simple(2023), simple(2024)
    last.table3[CARRIED_OVER] = [3, 0, 0, 0, 0, 0, 3]
    assert not of(validate(this, last), "table3.carry_over")
    last.table3[CARRIED_OVER][NP] = 5
    last.table3[CARRIED_OVER][TOT] = 5
    found = of(validate(this, last), "table3.carry_over")
    assert [f.location for f in found] == [
        "table3.carried_in.natural_person",
        "table3.carried_in.total",
    ]
    assert found[0].message == (
        "表三“二、上年结转”（自然人列）为 3，与上一年度报告“四、结转下年度继续办理” 5 不符"
    )


def test_carry_over_skipped_when_either_table_is_blank_or_years_are_not_consecutive():
    last, this = StatutoryReport.empty(2023, "示例"), simple(2024)
    assert not of(validate(this, last), "table3.carry_over")
    two_years_ago = simple(2022)
    two_years_ago.table3[CARRIED_OVER][NP] = 9
    findings = validate(this, two_years_ago)
    assert of(findings, "previous.year") and not of(findings, "table3.carry_over")


def test_copied_text_from_last_year():
    """内容雷同 (国办公开办函〔2021〕30号): sections 一 and 五 nearly identical to last year."""
    problems = (
        "一是政策解读形式较为单一，图解、视频等解读方式运用不多；二是依申请公开办理的规范化"
        "水平有待提高，答复文书的说理不够充分；三是政务新媒体更新不够及时。下一步，我们将丰富"
        "解读形式，加强业务培训，健全政务新媒体管理制度。"
    )
    last, this = simple(2023), simple(2024)
    last.sections["problems"] = problems.replace("2024", "2023")
    this.sections["problems"] = problems + "另外，加强督查。"
    (found,) = of(validate(this, last), "text.copied")
    assert found.location == "section.problems"
    assert "“五、存在的主要问题及改进情况”与上一年度报告的相似度为" in found.message
    this.sections["problems"] = "本年度发现的问题主要是网站栏目设置不合理。" * 6
    assert not of(validate(this, last), "text.copied")
    this.sections["problems"] = last.sections["problems"] = "问题较少。"  # too short to judge
    assert not of(validate(this, last), "text.copied")


# --- structure, sections, year --------------------------------------------------------------


def test_format_version_must_match_the_year():
    """2021 and later use the 2021 format (国办公开办函〔2021〕30号); 2019–2020 the trial format."""
    (found,) = of(
        validate(StatutoryReport.empty(2024, "x", FormatVersion.V2019)), "structure.format_version"
    )
    assert found.message == "2021年及以后的年报应使用2021年版格式"
    assert of(
        validate(StatutoryReport.empty(2020, "x", FormatVersion.V2021)), "structure.format_version"
    )
    assert not of(validate(StatutoryReport.empty(2021, "x")), "structure.format_version")


def test_missing_sections_name_the_official_title():
    report = simple()
    report.sections = dict.fromkeys(SECTION_KEYS, "有内容的段落，" * 10)
    report.sections["other"] = "   "
    (found,) = of(validate(report), "section.missing")
    assert found.location == "section.other"
    assert found.message == "缺少“六、其他需要报告的事项”部分或该部分没有内容"


def test_section_five_too_short():
    """Section 五 must name concrete problems and improvements (RULES.md §8 check 9)."""
    report = simple()
    report.sections["problems"] = "无。"
    (found,) = of(validate(report), "section.problems_short")
    assert found.severity == Severity.WARNING and found.location == "section.problems"


def test_title_must_contain_the_report_year():
    report = simple(2024)
    report.title = "测试区人民政府2024年政府信息公开工作年度报告"
    assert not codes(validate(report)) & {"title.year", "title.leftover_year"}
    report.title = "测试区人民政府二〇二四年政府信息公开工作年度报告"
    assert not of(validate(report), "title.year")
    report.title = "测试区人民政府政府信息公开工作年度报告"
    (found,) = of(validate(report), "title.year")
    assert found.location == "title" and "没有报告年度 2024 年" in found.message


def test_title_with_last_years_year_is_a_leftover():
    report = simple(2025)
    report.title = "测试区人民政府2024年度政府信息公开工作年度报告"
    (found,) = of(validate(report), "title.leftover_year")
    assert "写的是2024年度，而本报告是2025年度的" in found.message
    assert not of(validate(report), "title.year")


def test_statistics_period_with_another_year():
    """The period sentence must read YYYY年1月1日至12月31日 for the report's year."""
    report = simple(2024)
    report.sections["overview"] = "本报告所列数据统计期限为2023年1月1日至2023年12月31日。"
    (found,) = of(validate(report), "period.year")
    assert found.location == "section.overview"
    assert "应为2024年1月1日至12月31日" in found.message
    report.sections["overview"] = "本报告所列数据统计期限为2024年1月1日至12月31日。"
    assert not of(validate(report), "period.year")


def test_late_publication():
    """Publication deadline: a given (local) deadline, or 条例第四十九条 by the kind of body."""
    report = simple(2024)
    report.published_on = date(2025, 2, 10)
    assert not of(validate(report), "publication.late")  # nothing to compare with
    (found,) = of(validate(report, deadline=date(2025, 1, 31)), "publication.late")
    assert found.severity == Severity.WARNING
    assert found.message == "年报发布于 2025-02-10，晚于发布期限 2025-01-31"
    assert of(validate(report, is_government=False), "publication.late")  # 1月31日
    assert not of(validate(report, is_government=True), "publication.late")  # 3月31日


# --- fees and government extras -------------------------------------------------------------


def test_fee_notices_without_explanation_in_section_six():
    """Fees: table 三 （六）2 > 0 means fee notices were sent; section 六 must explain fees."""
    report = simple()
    report.table3["other_fee_unpaid"][NP] = 1
    report.table3["disclosed"][NP] = 11
    report.table3["other_fee_unpaid"][TOT] = 1
    report.table3["disclosed"][TOT] = 11
    report.sections["other"] = "无。"
    findings = validate(report)
    assert errors(findings) == []
    (found,) = of(findings, "fees.unexplained")
    assert found.location == "section.other"
    assert "为 1 件" in found.message
    report.sections["other"] = "本年度发出收费通知1份，申请人未缴纳，未实际收取信息处理费。"
    assert not of(validate(report), "fees.unexplained")


def test_fees_charged_in_the_text_but_not_in_section_six():
    report = simple()
    report.sections["requests"] = "本年度收取信息处理费共计380元。"
    report.sections["other"] = "无。"
    assert of(validate(report), "fees.unexplained")
    report.sections["other"] = "全年收取信息处理费共计380元。"
    findings = validate(report)
    assert not of(findings, "fees.unexplained") and not of(findings, "fees.amount")


def test_fee_amount_not_from_the_tiers():
    """Every 109号 rate is a multiple of 10 元."""
    report = simple()
    report.sections["other"] = "全年收取信息处理费共计385元。"
    (found,) = of(validate(report), "fees.amount")
    assert "385 元不是 10 元的整数倍" in found.message


def test_government_report_must_cover_appraisal_evaluation_accountability():
    """条例第五十条第（四）项: people's governments report 考核、评议和责任追究结果."""
    report = simple()
    report.sections["problems"] = "存在的问题是政策解读不够深入。下一步将加强培训。" * 3
    report.sections["other"] = "无。"
    assert not of(validate(report), "government.accountability")
    assert not of(validate(report, is_government=False), "government.accountability")
    (found,) = of(validate(report, is_government=True), "government.accountability")
    assert found.severity == Severity.WARNING
    report.sections["other"] = "本年度将政务公开纳入绩效考核，未发生责任追究情形。"
    assert not of(validate(report, is_government=True), "government.accountability")


def test_every_finding_uses_the_registered_severity():
    report = shanghai_2019()
    report.title = "2018年度政府信息公开工作年度报告"
    report.table3[RECEIVED][NP] = -1
    findings = validate(report, StatutoryReport.empty(2017, "x"), is_government=True)
    assert findings and has_errors(findings)
    for finding in findings:
        assert finding.severity == CODES[finding.code]


# --- properties -------------------------------------------------------------------------------


@given(consistent_tables())
def test_property_consistent_table_has_no_arithmetic_error(report):
    """勾稽关系 etc.: a table built to satisfy 一+二=三+四, （七）=Σ leaves and 总计=Σ six
    columns yields no table 三 error, in both formats."""
    findings = validate(report)
    assert [f for f in findings if f.code.startswith("table3.")] == []
    assert errors(findings) == []


@given(consistent_tables(), st.data())
def test_property_one_changed_cell_is_caught(report, data):
    """勾稽关系: changing any single cell by ±k gives an arithmetic error naming its row or
    column."""
    row = data.draw(st.sampled_from(rules.table3_row_keys(report.format_version)))
    column = data.draw(st.integers(0, len(TABLE3_COLUMNS) - 1))
    delta = data.draw(st.integers(1, 100)) * data.draw(st.sampled_from([1, -1]))
    report.table3[row][column] += delta
    named = [
        f
        for f in validate(report)
        if f.code in ARITHMETIC
        and f.severity == Severity.ERROR
        and {row, TABLE3_COLUMNS[column]} & set(f.location.split("."))
    ]
    assert named
