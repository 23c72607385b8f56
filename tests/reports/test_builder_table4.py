"""Table 四 built from the 行政复议 and 行政诉讼 records (条例第五十条第（三）项; RULES.md §2.5):
each case counts in its year of filing with its result at the year's end, 总计 = 结果维持 +
结果纠正 + 其他结果 + 尚未审结 per group, and a consolidated report is the sum of its parts
(issue: 年度报告 — table 四 from appeals)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.appeals.constants import AppealResult, LitigationRoute
from gongkai.appeals.models import Litigation, Reconsideration
from gongkai.appeals.rules import table4_cell, table4_group
from gongkai.reports.builder import build_all, build_report, consolidate
from gongkai.reports.findings import Severity
from gongkai.reports.formats import TABLE4_COLUMNS, TABLE4_GROUPS
from gongkai.reports.validate import validate
from tests.conftest import District

YEAR = 2024
DECIDED = [AppealResult.UPHELD, AppealResult.CORRECTED, AppealResult.OTHER]

# (filed, days until decided or None, decided result, route (None: 行政复议), in dept_a)
Row = tuple[date, int | None, str, str | None, bool]
case = st.tuples(
    st.dates(date(2022, 6, 1), date(2025, 6, 30)),
    st.one_of(st.none(), st.integers(0, 500)),
    st.sampled_from(DECIDED),
    st.sampled_from([None, *LitigationRoute.values]),
    st.booleans(),
)


def _create(district: District, rows: list[Row]) -> None:
    Litigation.objects.all().delete()
    Reconsideration.objects.all().delete()
    reconsiderations, litigations = [], []
    for filed, days, result, route, in_a in rows:
        fields: dict[str, Any] = {
            "organization": district.dept_a if in_a else district.dept_b,
            "applicant_name": "测试",
            "filed_on": filed,
            "decided_on": filed + timedelta(days=days) if days is not None else None,
            "result": result if days is not None else AppealResult.PENDING,
        }
        if route is None:
            reconsiderations.append(Reconsideration(body="测试区人民政府", **fields))
        else:
            litigations.append(Litigation(court="测试区人民法院", route=route, **fields))
    Reconsideration.objects.bulk_create(reconsiderations)
    Litigation.objects.bulk_create(litigations)


def _expected(rows: list[Row], year: int, in_a: set[bool] | None = None) -> list[int]:
    """Table 四 computed case by case with the pure rule (appeals.rules.table4_cell)."""
    cells: Counter[str] = Counter()
    for filed, days, result, route, a in rows:
        if in_a is not None and a not in in_a:
            continue
        decided = filed + timedelta(days=days) if days is not None else None
        column = table4_cell(filed, decided, result if decided else AppealResult.PENDING, year)
        if column is not None:
            group = table4_group(route)
            cells[f"{group}_{column}"] += 1
            cells[f"{group}_total"] += 1
    return [cells[c] for c in TABLE4_COLUMNS]


def _table4_errors(report: Any) -> list[str]:
    return [
        f.code
        for f in validate(report)
        if f.code.startswith("table4.") and f.severity != Severity.INFO
    ]


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(case, max_size=40))
def test_built_table4_follows_the_rule_and_its_totals(district: District, rows: list[Row]) -> None:
    """总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结 in each group, for any set of cases, and
    every cell is what the counting rule gives case by case."""
    _create(district, rows)
    report = build_report([district.dept_a.pk, district.dept_b.pk], YEAR, "测试区")
    assert _table4_errors(report) == []
    assert report.table4 == _expected(rows, YEAR)
    for start in range(0, len(TABLE4_COLUMNS), 5):
        assert report.table4[start + 4] == sum(report.table4[start : start + 4])  # type: ignore[arg-type]


@pytest.mark.django_db
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(case, max_size=30))
def test_build_all_and_consolidate_sum_table4(district: District, rows: list[Row]) -> None:
    """One pass for every organisation equals one organisation at a time, and consolidating
    the parts gives the report of the whole, cell by cell."""
    _create(district, rows)
    names = {district.dept_a.pk: "A", district.dept_b.pk: "B", district.street.pk: "S"}
    everyone = build_all(YEAR, names)
    for pk, name in names.items():
        assert everyone[pk].table4 == build_report([pk], YEAR, name).table4
    assert everyone[district.dept_a.pk].table4 == _expected(rows, YEAR, {True})
    assert everyone[district.street.pk].table4 == [0] * len(TABLE4_COLUMNS)
    whole = consolidate(everyone.values(), YEAR, "全区")
    assert whole.table4 == build_report(list(names), YEAR, "全区").table4
    assert whole.table4 == [
        a + b  # type: ignore[operator]
        for a, b in zip(
            everyone[district.dept_a.pk].table4, everyone[district.dept_b.pk].table4, strict=True
        )
    ]
    assert _table4_errors(whole) == []


@pytest.mark.django_db
def test_pending_at_year_end_and_year_of_filing(district: District) -> None:
    """A case decided after 31 December is 尚未审结 in its year of filing and is not counted
    again in the year of the decision; one filed earlier is not in this year's table."""
    _create(
        district,
        [
            (date(2024, 3, 1), 30, AppealResult.UPHELD, None, True),  # 复议 维持
            (date(2024, 12, 1), 30, AppealResult.CORRECTED, None, True),  # decided 2024-12-31
            (date(2024, 12, 10), 40, AppealResult.CORRECTED, None, True),  # decided 2025-01-19
            (date(2024, 5, 1), None, "", LitigationRoute.DIRECT, True),  # still open
            (date(2024, 7, 1), 10, AppealResult.OTHER, LitigationRoute.DIRECT, True),
            (
                date(2024, 8, 1),
                10,
                AppealResult.UPHELD,
                LitigationRoute.AFTER_RECONSIDERATION,
                True,
            ),
            (date(2023, 11, 1), 100, AppealResult.UPHELD, None, True),  # filed 2023
        ],
    )
    report = build_report([district.dept_a.pk], 2024, "A")
    assert report.table4 == [1, 1, 0, 1, 3, 0, 0, 1, 1, 2, 1, 0, 0, 0, 1]
    last = build_report([district.dept_a.pk], 2023, "A")
    assert last.table4 == [0, 0, 0, 1, 1, *[0] * 10]  # decided in 2024: pending at 2023's end
    following = build_report([district.dept_a.pk], 2025, "A")
    assert following.table4 == [0] * len(TABLE4_COLUMNS)


@pytest.mark.django_db
def test_no_cases_gives_zeros_not_blanks(district: District) -> None:
    """A built report states 0 cases: table 四 is filled, not missing."""
    report = build_report([district.dept_a.pk], YEAR, "A")
    assert report.table4 == [0] * len(TABLE4_COLUMNS)
    assert "table4.empty" not in [f.code for f in validate(report)]


@pytest.mark.django_db
def test_build_all_needs_a_fixed_number_of_queries(
    district: District, django_assert_num_queries: Any
) -> None:
    _create(
        district, [(date(2024, 3, 1), None, "", r, a) for r in (None, "direct") for a in (1, 0)]
    )
    names = {district.dept_a.pk: "A", district.dept_b.pk: "B", district.street.pk: "S"}
    with django_assert_num_queries(7):  # four for table 三, two for table 四, one for table 二
        reports = build_all(YEAR, names)
    assert reports[district.dept_b.pk].table4[3] == 1


def test_consolidate_sums_parsed_reports_with_blank_cells() -> None:
    from gongkai.reports.structure import StatutoryReport

    a = StatutoryReport.empty(YEAR, "A")
    a.table4 = [1, None, 0, 2, 3, *[0] * 10]
    b = StatutoryReport.empty(YEAR, "B")  # all blank
    c = StatutoryReport.empty(YEAR, "C")
    c.table4 = []  # no table 四 at all
    total = consolidate([a, b, c], YEAR, "全区")
    assert total.table4 == [1, 0, 0, 2, 3, *[0] * 10]
    assert consolidate([c], YEAR, "全区").table4 == [None] * len(TABLE4_COLUMNS)
    assert {g for g, _ in TABLE4_GROUPS} == {
        "reconsideration",
        "litigation_direct",
        "litigation_after",
    }
