"""The narrative draft states the table's figures (条例第五十条): whatever the tables hold, the
validator finds nothing in the draft's prose that disagrees with them; and the narrative checks
for outcome figures (予以公开 N 件) and shares (占比 N%) (RULES.md §8 check 7)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gongkai.reports import rules
from gongkai.reports.draft import draft_sections, percent
from gongkai.reports.formats import TABLE3_COLUMNS, TABLE4_COLUMNS, TOTAL
from gongkai.reports.structure import StatutoryReport
from gongkai.reports.validate import validate
from tests.reports.test_rules import consistent_tables
from tests.reports.test_validate import simple

NARRATIVE = {"narrative.mismatch", "narrative.outcome", "narrative.percentage"}
NP = TABLE3_COLUMNS.index("natural_person")
TOT = TABLE3_COLUMNS.index(TOTAL)


def _narrative_findings(report: StatutoryReport) -> list[str]:
    return [f.message for f in validate(report) if f.code in NARRATIVE]


def test_draft_states_the_figures_of_the_tables() -> None:
    report = simple()  # 21 received, 3 carried in, 20 answered (12 + 8), 4 carried over
    last_year = simple(2023)
    last_year.table3["received"][NP] = last_year.table3["received"][TOT] = 18
    text = draft_sections(report, last_year, is_government=True)
    assert "全年共受理政府信息公开申请21件，比上年增加3件" in text["requests"]
    assert "上年结转政府信息公开申请3件" in text["requests"]
    assert "本年度办结申请20件，其中予以公开12件，占比60%；部分公开8件，占比40%" in text["requests"]
    assert "结转下年度继续办理4件" in text["requests"]
    # Table 四 of simple(): 行政复议 2 (1 维持, 1 尚未审结), 未经复议直接起诉 1 (1 维持).
    assert "行政复议案件共2件，其中结果维持1件、尚未审结1件" in text["appeals"]
    assert "行政诉讼案件共1件，其中结果维持1件" in text["appeals"]
    assert "统计期限为2024年1月1日至2024年12月31日" in text["overview"]
    # A people's government reports 考核、评议、责任追究 (条例第五十条第（四）项).
    assert "责任追究" in text["other"]
    report.sections = text
    assert _narrative_findings(report) == []


def test_draft_says_fewer_or_the_same_as_last_year() -> None:
    report, last_year = simple(), simple(2023)
    assert "与上年持平" in draft_sections(report, last_year, is_government=False)["requests"]
    last_year.table3["received"][NP] = last_year.table3["received"][TOT] = 25
    assert "比上年减少4件" in draft_sections(report, last_year, is_government=False)["requests"]


def test_draft_without_appeals_says_so() -> None:
    report = simple()
    report.table4 = [0] * len(TABLE4_COLUMNS)
    assert (
        "未发生因政府信息公开引起的行政复议、行政诉讼案件"
        in draft_sections(report, is_government=False)["appeals"]
    )


@given(consistent_tables(), st.lists(st.integers(0, 30), min_size=15, max_size=15))
def test_the_draft_never_disagrees_with_its_tables(
    report: StatutoryReport, cells4: list[int]
) -> None:
    """For any consistent tables, the draft's figures pass every narrative check."""
    for group in ("reconsideration", "litigation_direct", "litigation_after"):
        start = TABLE4_COLUMNS.index(f"{group}_upheld")
        cells4[start + 4] = sum(cells4[start : start + 4])
    report.table4 = cells4
    report.sections = draft_sections(report, is_government=False)
    assert _narrative_findings(report) == []


# --- outcome figures and shares in the prose ----------------------------------------------


def _with_requests_text(text: str) -> StatutoryReport:
    report = simple()
    report.sections["requests"] = text
    return report


def test_outcome_figure_that_disagrees_is_an_error() -> None:
    report = _with_requests_text("本年度办结申请20件，其中予以公开15件，部分公开8件。")
    findings = [f for f in validate(report) if f.code == "narrative.outcome"]
    assert len(findings) == 1
    assert findings[0].severity == "error"
    assert "予以公开 15 件" in findings[0].message and "12" in findings[0].message
    assert findings[0].location == "section.requests"


def test_share_that_disagrees_is_a_warning() -> None:
    report = _with_requests_text(
        "本年度办结申请20件，其中予以公开12件，占比65%；部分公开8件，占比40%。"
    )
    (finding,) = [f for f in validate(report) if f.code == "narrative.percentage"]
    assert finding.severity == "warning"
    assert "65%" in finding.message and "60.0%" in finding.message


def test_shares_of_either_denominator_and_cut_decimals_are_accepted() -> None:
    # 12 of 20 answered = 60%; 12 of 21 received = 57.1%; 8/21 = 38.095… cut to 38.09.
    report = _with_requests_text(
        "其中予以公开12件，占57.1%；部分公开8件，占比38.09%。办结申请20件。"
    )
    assert _narrative_findings(report) == []


def test_combined_and_reason_qualified_figures_are_not_read_as_group_totals() -> None:
    report = _with_requests_text(
        "全年收到申请21件，予以公开及部分公开20件；因信息不存在无法提供1件；2023年予以公开30件。"
    )
    assert [f for f in validate(report) if f.code == "narrative.outcome"] == []


def test_outcome_figures_outside_applications_are_ignored() -> None:
    assert rules.outcome_figures("主动公开信息予以公开3件。") == []


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_the_printed_share_is_always_accepted(part: int, whole: int) -> None:
    part = min(part, whole)
    assert rules.share_matches(part, Decimal(percent(part, whole)), [whole])
