"""Table 三 built from the records satisfies every 勾稽关系, and a consolidated report is the sum
of its parts (issue: 年度报告 — builder and aggregation)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.inforequests.channels import Channel
from gongkai.inforequests.constants import ApplicantType, Outcome, Status
from gongkai.inforequests.models import InfoRequest
from gongkai.reports.builder import build_all, build_report, consolidate
from gongkai.reports.findings import Severity
from gongkai.reports.formats import CARRIED_IN, CARRIED_OVER, OUTCOME_TOTAL, RECEIVED
from gongkai.reports.validate import validate
from tests.conftest import District

YEAR = 2024
_numbers = itertools.count(1)

application = st.tuples(
    st.dates(date(2022, 6, 1), date(2025, 6, 30)),  # received
    st.one_of(st.none(), st.integers(0, 400)),  # days until closed, or still open
    st.sampled_from(list(ApplicantType)),
    st.sampled_from(list(Outcome)),
    st.booleans(),  # which department
)


def _create(district: District, rows: list[tuple[date, int | None, str, str, bool]]) -> None:
    InfoRequest.objects.all().delete()
    InfoRequest.objects.bulk_create(
        InfoRequest(
            organization=district.dept_a if in_a else district.dept_b,
            number=f"T-{next(_numbers)}",
            tracking_code="ABCDEFGH",
            channel=Channel.ONLINE,
            received_on=received,
            applicant_type=applicant,
            applicant_name="测试",
            id_document="resident_id",
            id_number="11010519491231002X",
            phone="13812345678",
            subject="测试信息",
            provision_form="electronic",
            delivery_way="email",
            status=Status.CLOSED if days is not None else Status.IN_PROGRESS,
            outcome=outcome if days is not None else "",
            closed_on=received + timedelta(days=days) if days is not None else None,
        )
        for received, days, applicant, outcome, in_a in rows
    )


ARITHMETIC = {"table3.balance", "table3.outcome_sum", "table3.total_column", "table3.negative"}


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(application, max_size=40))
def test_built_table_satisfies_every_balance_rule(district: District, rows: list) -> None:  # type: ignore[type-arg]
    """勾稽关系 (国办公开办函〔2021〕30号): 一+二=（七）+四 per column, （七）= Σ leaf rows,
    总计 = Σ applicant columns — for any set of applications."""
    _create(district, rows)
    report = build_report([district.dept_a.pk, district.dept_b.pk], YEAR, "测试区")
    errors = [f for f in validate(report) if f.severity == Severity.ERROR and f.code in ARITHMETIC]
    assert errors == []
    received = sum(1 for r in rows if r[0].year == YEAR)
    assert report.cell(RECEIVED, "total") == received
    open_at_end = sum(
        1
        for r in rows
        if r[0] <= date(YEAR, 12, 31)
        and (r[1] is None or r[0] + timedelta(days=r[1]) > date(YEAR, 12, 31))
    )
    assert report.cell(CARRIED_OVER, "total") == open_at_end


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(application, max_size=30))
def test_consolidated_report_is_the_sum_of_its_parts(district: District, rows: list) -> None:  # type: ignore[type-arg]
    _create(district, rows)
    a = build_report([district.dept_a.pk], YEAR, "A")
    b = build_report([district.dept_b.pk], YEAR, "B")
    both = build_report([district.dept_a.pk, district.dept_b.pk], YEAR, "A+B")
    for key, cells in both.table3.items():
        assert cells == [x + y for x, y in zip(a.table3[key], b.table3[key], strict=True)]  # type: ignore[operator]


@pytest.mark.django_db
def test_carried_over_last_year_is_carried_in_this_year(district: District) -> None:
    """Cross-year: this year's 二、上年结转 = last year's 四、结转下年度继续办理."""
    _create(
        district,
        [
            (date(2023, 12, 20), 20, "natural_person", "disclosed", True),  # closed 2024-01-09
            (date(2023, 12, 28), None, "commercial", "", True),  # still open
            (date(2023, 5, 1), 5, "natural_person", "disclosed", True),  # closed in 2023
        ],
    )
    last = build_report([district.dept_a.pk], 2023, "A")
    this = build_report([district.dept_a.pk], 2024, "A")
    assert this.table3[CARRIED_IN] == last.table3[CARRIED_OVER] == [1, 1, 0, 0, 0, 0, 2]
    assert this.cell(OUTCOME_TOTAL, "total") == 1
    assert not [f for f in validate(this, last) if f.code == "table3.carry_over"]


@pytest.mark.django_db
def test_2019_format_counts_other_handling_in_one_row(district: District) -> None:
    _create(district, [(date(2020, 3, 2), 3, "natural_person", Outcome.OTHER_FEE_UNPAID, True)])
    report = build_report([district.dept_a.pk], 2020, "A")
    assert report.format_version == "2019"
    assert report.table3["other_handling"][0] == 1


@pytest.mark.django_db
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(application, max_size=30))
def test_build_all_and_consolidate_agree_with_build_report(district: District, rows: list) -> None:  # type: ignore[type-arg]
    """One pass for every organisation gives the same reports as one organisation at a time,
    and consolidating the parts gives the report of the whole."""
    _create(district, rows)
    names = {district.dept_a.pk: "A", district.dept_b.pk: "B", district.street.pk: "S"}
    everyone = build_all(YEAR, names)
    for pk, name in names.items():
        assert everyone[pk].table3 == build_report([pk], YEAR, name).table3
    whole = consolidate(everyone.values(), YEAR, "全区")
    assert whole.table3 == build_report(list(names), YEAR, "全区").table3
