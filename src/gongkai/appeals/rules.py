"""How a 行政复议 or 行政诉讼 case is counted in table 四 of the annual report
(条例第五十条第（三）项; 国办公开办函〔2021〕30号, the same table in the 2019 trial format;
RULES.md §2.5).

The builder (`reports.builder.table4_counts`) implements `table4_cell` as GROUP BY queries;
a test checks that both agree on random cases.
"""

from __future__ import annotations

from datetime import date

from gongkai.appeals.constants import AppealResult, LitigationRoute

RECONSIDERATION = "reconsideration"
LITIGATION_DIRECT = "litigation_direct"
LITIGATION_AFTER = "litigation_after"

# Table 四 group (reports.formats.TABLE4_GROUPS) of a litigation route.
GROUP_FOR_ROUTE: dict[str, str] = {
    LitigationRoute.DIRECT: LITIGATION_DIRECT,
    LitigationRoute.AFTER_RECONSIDERATION: LITIGATION_AFTER,
}


def table4_group(route: str | None) -> str:
    """The group of table 四 a case belongs to: 行政复议 (`route` None, a reconsideration),
    未经复议直接起诉 or 复议后起诉 (a litigation, by its route)."""
    return RECONSIDERATION if route is None else GROUP_FOR_ROUTE[route]


def result_at_year_end(decided_on: date | None, result: str, year: int) -> AppealResult:
    """A case's result as known on 31 December of `year`: its result when it was decided
    by then, else 尚未审结."""
    if decided_on is not None and decided_on <= date(year, 12, 31):
        return AppealResult(result)
    return AppealResult.PENDING


def table4_cell(
    filed_on: date, decided_on: date | None, result: str, year: int
) -> AppealResult | None:
    """The result column in which a case counts in the report for `year`, or None when it
    does not count in that year.

    Reading (the national format, 国办公开办函〔2021〕30号, does not define it): a case counts
    once, in the report of the year in which it was filed (the 复议申请 was lodged or the
    lawsuit was filed), and its column is its result as known at the end of that year —
    decided on or before 31 December → 结果维持 / 结果纠正 / 其他结果 as decided, otherwise
    尚未审结. Each group's 总计 is then the number of cases filed in the year, and
    总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结 holds by construction.

    A case filed in an earlier year and decided in `year` is not counted again in `year`:
    it stays in the report of its year of filing, as 尚未审结 there. This follows the common
    practice of local reports (table 四 reports the cases of the year; unlike table 三 it has
    no 上年结转 row to carry a case into the next year) and keeps a report reproducible: a
    later decision never changes a past year's figures.
    """
    if filed_on.year != year:
        return None
    return result_at_year_end(decided_on, result, year)
