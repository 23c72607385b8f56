"""The arithmetic and text rules of the annual report (RULES.md §2.4, §2.5, §3, §8), as pure
functions over hand-filled reports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gongkai.reports import rules
from gongkai.reports.formats import (
    CARRIED_IN,
    CARRIED_OVER,
    OUTCOME_TOTAL,
    RECEIVED,
    TABLE3_COLUMNS,
    TABLE4_COLUMNS,
    TOTAL,
    FormatVersion,
    outcome_row_keys,
)
from gongkai.reports.structure import StatutoryReport

NP = TABLE3_COLUMNS.index("natural_person")
TOT = TABLE3_COLUMNS.index(TOTAL)


def only_totals(report: StatutoryReport, **totals: int) -> StatutoryReport:
    for row, number in totals.items():
        report.table3[row][TOT] = number
    return report


# The worked example of RULES.md §2.4 (a Hangzhou-style 2025 report, totals column).
HANGZHOU_LEAVES = [5548, 2168, 13, 30, 11, 51, 104, 85, 286, 150, 3222, 180, 19]
HANGZHOU_LEAVES += [203, 148, 0, 101, 5, 318, 203, 965]


def hangzhou() -> StatutoryReport:
    report = StatutoryReport.empty(2025, "杭州示例")
    for key, number in zip(outcome_row_keys(FormatVersion.V2021), HANGZHOU_LEAVES, strict=True):
        report.table3[key][TOT] = number
    return only_totals(
        report, received=14069, carried_in=560, outcome_total=13810, carried_over=819
    )


def test_balance_worked_example():
    """勾稽关系: 一+二=三+四 — 14069 + 560 = 13810 + 819 (RULES.md §2.4)."""
    balance = dict((c, (left, right)) for c, left, right in rules.table3_balance(hangzhou()))
    assert balance[TOTAL] == (14629, 14629)
    assert balance["natural_person"] == (0, 0)


def test_outcome_sum_worked_example():
    """（七）总计 = sum of the 21 leaf rows (2021 format): 13810."""
    sums = {c: (total, leaves) for c, total, leaves in rules.table3_outcome_sums(hangzhou())}
    assert sums[TOTAL] == (13810, 13810)


def test_outcome_rows_2019_format_single_other_handling_row():
    """2019 format: （六）其他处理 is one leaf row, so 19 leaves add up to （七）."""
    report = StatutoryReport.empty(2020, "示例")
    leaves = outcome_row_keys(FormatVersion.V2019)
    assert len(leaves) == 19 and leaves[-1] == "other_handling"
    report.table3["other_handling"][TOT] = 4
    report.table3["disclosed"][TOT] = 3
    report.table3[OUTCOME_TOTAL][TOT] = 7
    sums = {c: (total, leaves) for c, total, leaves in rules.table3_outcome_sums(report)}
    assert sums[TOTAL] == (7, 7)


def test_total_column_keeps_blank_total_cells():
    """总计列 = 六类申请人之和; a blank 总计 cell is returned as None, not 0."""
    report = StatutoryReport.empty(2024, "示例")
    report.table3[RECEIVED] = [3, 1, None, None, None, None, None]
    rows = {row: (cell, applicants) for row, cell, applicants in rules.table3_total_column(report)}
    assert rows[RECEIVED] == (None, 4)
    assert rows[CARRIED_IN] == (None, 0)


def test_total_column_blank_only_when_every_outcome_total_is_blank():
    """The 2019 Shanghai report leaves 总计 blank in every outcome row."""
    report = StatutoryReport.empty(2019, "示例")
    assert not rules.table3_total_column_blank(report)  # nothing at all: nothing to say
    report.table3["disclosed"][NP] = 5
    assert rules.table3_total_column_blank(report)
    report.table3["disclosed"][TOT] = 5
    assert not rules.table3_total_column_blank(report)


def test_blank_and_negative_cells():
    report = StatutoryReport.empty(2024, "示例")  # 2021 format: 25 rows with numbers
    assert rules.table3_blank_count(report) == (25 * 7, 25 * 7)
    report.table3[CARRIED_OVER][NP] = -1
    assert rules.table3_blank_count(report) == (25 * 7 - 1, 25 * 7)
    assert rules.table3_negative_cells(report) == [(CARRIED_OVER, "natural_person", -1)]


def test_missing_rows_and_short_rows_read_as_blank():
    report = StatutoryReport.empty(2024, "示例")
    del report.table3[CARRIED_IN]
    report.table3[RECEIVED] = [1, 2]
    assert rules.table3_row(report, CARRIED_IN) == [None] * 7
    assert rules.table3_row(report, RECEIVED) == [1, 2, None, None, None, None, None]


def test_column_total_falls_back_to_the_applicant_sum():
    report = StatutoryReport.empty(2024, "示例")
    assert rules.column_total(report, RECEIVED) is None
    report.table3[RECEIVED][NP] = 32
    report.table3[RECEIVED][1] = 2
    assert rules.column_total(report, RECEIVED) == 34
    report.table3[RECEIVED][TOT] = 35  # the printed cell wins; the sum check reports it
    assert rules.column_total(report, RECEIVED) == 35


def test_carry_over_pairs():
    """Cross-year: 二、上年结转 (this year) = 四、结转下年度 (last year), per column."""
    last, this = StatutoryReport.empty(2023, "示例"), StatutoryReport.empty(2024, "示例")
    last.table3[CARRIED_OVER] = [2, 1, 0, 0, 0, 0, 3]
    this.table3[CARRIED_IN] = [2, 0, 0, 0, 0, 0, 2]
    pairs = {c: (a, b) for c, a, b in rules.carry_over(this, last)}
    assert pairs["natural_person"] == (2, 2)
    assert pairs["commercial"] == (0, 1)
    assert pairs[TOTAL] == (2, 3)


def test_table4_totals_real_example():
    """Table 四: each 总计 = 结果维持+结果纠正+其他结果+尚未审结 (2024 平潭: 2/1/3/1/7 |
    0/0/0/0/0 | 13/2/4/0/19)."""
    report = StatutoryReport.empty(2024, "平潭")
    report.table4 = [2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19]
    assert rules.table4_totals(report) == [
        ("reconsideration", 7, 7),
        ("litigation_direct", 0, 0),
        ("litigation_after", 19, 19),
    ]
    assert rules.table4_group_total(report, "litigation_after") == 19


def test_table4_group_total_from_parts_and_blank():
    report = StatutoryReport.empty(2019, "示例")
    assert rules.table4_group_total(report, "reconsideration") is None
    report.table4[0], report.table4[3] = 5, 2
    assert rules.table4_group_total(report, "reconsideration") == 7
    assert rules.table4_blank_count(report) == (13, 15)
    report.table4 = []  # an unreadable table
    assert rules.table4_cell(report, TABLE4_COLUMNS[0]) is None


def test_table2_units():
    """Table 二: counts are whole numbers; 万元 has at most two decimals (RULES.md §2.3)."""
    assert rules.is_whole(Decimal("12")) and rules.is_whole(Decimal("12.00"))
    assert not rules.is_whole(Decimal("12.5"))
    assert rules.decimal_places(Decimal("1.50")) == 1
    assert rules.decimal_places(Decimal("1.234")) == 3
    assert rules.decimal_places(Decimal("100")) == 0


def test_table2_in_force_projection():
    """Table 二 heuristic: last year's 现行有效 + 本年制发 − 本年废止 ≈ this year's 现行有效."""
    last, this = StatutoryReport.empty(2023, "示例"), StatutoryReport.empty(2024, "示例")
    last.table2["regulations"]["in_force"] = Decimal(10)
    this.table2["regulations"].update(issued=Decimal(3), repealed=Decimal(1), in_force=Decimal(13))
    this.table2["normative_documents"]["in_force"] = Decimal(5)  # incomplete: left out
    assert rules.table2_in_force(this, last) == [("regulations", 12, 13)]


def test_fee_by_applications_tiers():
    """国办函〔2020〕109号 Art. 4: 1–10 free, 11–30 at 100 元, then +100 元 per band of 10."""
    assert rules.fee_by_applications(10) == 0
    assert rules.fee_by_applications(11) == 100
    assert rules.fee_by_applications(30) == 2000
    assert rules.fee_by_applications(35) == 3000  # 20×100 + 5×200 (RULES.md §3)
    assert rules.fee_by_applications(41) == 2000 + 10 * 200 + 300


def test_fee_by_pages_tiers():
    """国办函〔2020〕109号 Art. 5: 30 pages free, then 10 / 20 / 40 元 per page."""
    assert rules.fee_by_pages(30) == 0
    assert rules.fee_by_pages(31) == 10
    assert rules.fee_by_pages(150) == 1700  # 70×10 + 50×20 (RULES.md §3)
    assert rules.fee_by_pages(250) == 700 + 2000 + 50 * 40


@given(st.integers(0, 300), st.integers(0, 3000))
def test_every_fee_is_a_multiple_of_ten(applications, pages):
    """Every 109号 tier rate is a multiple of 10 元, so every fee passes fee_plausible()."""
    assert rules.fee_plausible(Decimal(rules.fee_by_applications(applications)))
    assert rules.fee_plausible(Decimal(rules.fee_by_pages(pages)))


def test_fee_plausible():
    assert rules.fee_plausible(Decimal(380))
    assert not rules.fee_plausible(Decimal(385))
    assert not rules.fee_plausible(Decimal("380.5"))


def test_statutory_deadline():
    """条例第四十九条: departments by 31 January, governments by 31 March."""
    assert rules.statutory_deadline(2024, is_government=False) == date(2025, 1, 31)
    assert rules.statutory_deadline(2024, is_government=True) == date(2025, 3, 31)


def test_similarity():
    text = "本机关政务公开工作仍存在不足，政策解读形式较为单一，" * 5
    assert rules.similarity(text, text) == 1.0
    assert rules.similarity(text, "") == 0.0
    assert rules.similarity(text, text.replace("单一", "多样")) > 0.9
    assert rules.similarity(text, "完全不同的内容" * 10) < 0.5


def test_chinese_numbers():
    assert rules.chinese_number("两") == 2
    assert rules.chinese_number("十二") == 12
    assert rules.chinese_number("二十") == 20
    assert rules.chinese_number("一百零五") == 105
    assert rules.chinese_number("三百二十一") == 321
    assert rules.chinese_number("一一") is None
    assert rules.chinese_number("余") is None


# --- narrative figures (RULES.md §8 check 7), on sentences from the sample reports -------------


def figures(text: str, year: int | None = None, **kw: bool) -> list[tuple[str, int]]:
    return [(f.kind, f.value) for f in rules.narrative_figures(text, year, **kw)]


def test_narrative_received_answered_carried_shanghai_2019():
    """2019_shanghai-bangongting.html: 受理 859, 答复 805, 上年度结转 18; 复议 7, 诉讼 9."""
    text = (
        "市政府办公厅代表市政府共受理政府信息公开申请859件，申请数量较去年回落12.3%；"
        "答复政府信息公开申请805件（含上年度结转申请18件，另有72件申请按照《条例》顺延到"
        "下年度答复），均在法定期限内予以答复。信息公开类行政复议7件，诉讼9件，均获维持。"
    )
    assert figures(text, 2019) == [
        ("received", 859),
        ("carried_in", 18),
        ("answered", 805),
        ("reconsideration", 7),
        ("litigation", 9),
    ]


def test_narrative_number_before_the_phrase_pingtan_2021():
    """2021_pingtan.txt: "共收到70件申请，…办结69件，1件结转下年度继续办理"."""
    text = "本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理。"
    assert figures(text, 2021) == [("received", 70), ("carried_over", 1), ("answered", 69)]


def test_narrative_broken_lines_kewei_2024():
    """2024_shanghai-kewei.md: the PDF line break inside "上年结转政府信息公开\\n申请 2 件"."""
    text = "全年收到政府信息公开申请 34 件，上年结转政府信息公开\n申请 2 件，所有申请均已按要求办理完成。"
    assert figures(text, 2024) == [("received", 34), ("carried_in", 2)]


def test_narrative_outcome_counts_are_not_answered_totals():
    """ "同意公开答复 9 件" is one outcome, not the number answered."""
    text = "所有办结的信息公开申请中同意公开答复 9 件，部分公开答复 0 件，不予公开答复 2 件。"
    assert figures(text, 2024) == []


def test_narrative_appeals_need_disclosure_context():
    """行政复议/行政诉讼 figures count only in section 四 or when the sentence is about 信息公开."""
    text = "全年办理行政复议案件35件，行政诉讼12件。"
    assert figures(text, 2024) == []
    assert figures(text, 2024, about_appeals=True) == [
        ("reconsideration", 35),
        ("litigation", 12),
    ]
    pingtan = "因政府信息公开引起的行政复议案件2件、行政诉讼案件7件。"
    assert figures(pingtan, 2023) == [("reconsideration", 2), ("litigation", 7)]


def test_narrative_combined_appeals_figure_is_not_litigation():
    text = "全县政府信息公开相关行政复议、行政诉讼案件74件。"
    assert figures(text, 2025) == []


def test_narrative_skips_other_years_comparisons_and_cumulative_figures():
    assert figures("2023年受理政府信息公开申请21件。", 2024) == []
    assert figures("2024年受理政府信息公开申请21件。", 2024) == [("received", 21)]
    assert figures("较去年受理政府信息公开申请800件有所下降。", 2024) == []
    assert figures("2017年以来，区本级共受理依申请公开事项164 件。", 2017) == []
    assert figures("收到群众诉求348件。", 2020) == []
    part = "全区共受理政府信息公开申请95件，其中区政府办受理政府信息公开申请17件。"
    assert figures(part, 2024) == [("received", 95)]


def test_narrative_chinese_numerals():
    assert figures("本年度收到政府信息公开申请两件。", 2024) == [("received", 2)]
    assert figures("与行政诉讼一起处理。", 2024, about_appeals=True) == []


def test_narrative_ignores_table_labels():
    """Flattened table text: the label is followed by 数量, not by a number of 件."""
    text = "一、本年新收政府信息公开申请数量82135  21859二、上年结转政府信息公开申请数量18     18"
    assert figures(text, 2019) == []


def test_statistics_periods():
    """The period sentence "统计期限为YYYY年1月1日至12月31日" (RULES.md §2.2)."""
    assert rules.statistics_periods("本年度报告中所列数据统计期限从2019年1月1日到12月31日止。") == [
        (2019, 2019, "本年度报告中所列数据统计期限从2019年1月1日到12月31日止")
    ]
    hongze = "报告中所列数据统计期限自 2024 年 1 月 1 日\n起至 2024 年 12 月 31 日止。"
    assert [p[:2] for p in rules.statistics_periods(hongze)] == [(2024, 2024)]
    assert [p[:2] for p in rules.statistics_periods("统计时限为2023年1月1日至2024年12月31日")] == [
        (2023, 2024)
    ]


def test_fee_mentions():
    """2025_shuyang.md reports 380 元 of 信息处理费; 2023_hongze.txt reports 0 元."""
    shuyang = "全县行政机关在办理2025年度信息公开申请中收取信息处理费共计380元，其中民政局1件。"
    assert [a for a, _ in rules.fee_mentions(shuyang)] == [Decimal(380)]
    hongze = "全年收取政府信息公开信息处理费 0 元。"
    assert [a for a, _ in rules.fee_mentions(hongze)] == [Decimal(0)]
    assert rules.fee_mentions("本年度未收取信息处理费，涉及金额0元。") == []
    assert rules.fee_mentions("收取行政事业性收费共计1.2万元。") == []
    assert rules.mentions_fees("本年度未收取信息处理费。")
    assert not rules.mentions_fees("无。")


# --- properties -------------------------------------------------------------------------


@st.composite
def consistent_tables(draw: st.DrawFn) -> StatutoryReport:
    """A table 三 built to satisfy every rule: leaves random, （七） their sum, 四 random, 二
    random but at most （七）+四, 一 chosen so that 一+二 = （七）+四, 总计 = sum of the six."""
    year = draw(st.sampled_from([2019, 2020, 2021, 2024]))
    report = StatutoryReport.empty(year, "测试区人民政府")
    counts = st.integers(0, 500)
    for i in range(6):
        leaves = 0
        for key in outcome_row_keys(report.format_version):
            report.table3[key][i] = draw(counts)
            leaves += report.table3[key][i]
        carried_over = draw(counts)
        carried_in = min(draw(counts), leaves + carried_over)
        report.table3[OUTCOME_TOTAL][i] = leaves
        report.table3[CARRIED_OVER][i] = carried_over
        report.table3[CARRIED_IN][i] = carried_in
        report.table3[RECEIVED][i] = leaves + carried_over - carried_in
    for cells in report.table3.values():
        cells[TOT] = sum(cells[:TOT])
    return report


@given(consistent_tables())
def test_consistent_tables_satisfy_all_three_sums(report):
    """勾稽关系: 一+二=三+四; （七）= Σ leaves; 总计 = Σ six columns — on any consistent table."""
    assert all(left == right for _, left, right in rules.table3_balance(report))
    assert all(total == leaves for _, total, leaves in rules.table3_outcome_sums(report))
    assert all(cell == applicants for _, cell, applicants in rules.table3_total_column(report))
    assert rules.table3_negative_cells(report) == []
    assert rules.table3_blank_count(report)[0] == 0
