"""Table 二's 规章 / 行政规范性文件 rows (条例第二十条第（一）项) when every organisation's report is
built at once, and in a consolidated report (issue: 年度报告 — builder and aggregation)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.publications.constants import Kind, NormativeKind, Status, Validity
from gongkai.publications.models import Publication
from gongkai.reports.builder import build_all, consolidate
from gongkai.reports.sources import PublicationCounts, table2_publication_counts
from gongkai.reports.structure import StatutoryReport
from tests.conftest import District

YEAR = 2024
_numbers = itertools.count(1)
ROWS = ("regulations", "normative_documents")

publication = st.tuples(
    st.sampled_from([0, 1, 2]),  # which organisation (dept_a, dept_b, street)
    st.sampled_from(list(NormativeKind)),
    st.sampled_from([Status.PUBLISHED, Status.PUBLISHED, Status.DRAFT, Status.WITHDRAWN]),
    st.sampled_from(list(Kind)),
    st.one_of(st.none(), st.dates(date(2022, 1, 1), date(2025, 12, 31))),  # 成文日期
    st.dates(date(2022, 1, 1), date(2025, 12, 31)),  # 发布日期
    st.one_of(st.none(), st.integers(0, 900)),  # days until repealed, or never
)


def _create(district: District, rows: list) -> None:  # type: ignore[type-arg]
    Publication.objects.all().delete()
    orgs = (district.dept_a, district.dept_b, district.street)
    items = []
    for which, normative, status, kind, written, published, ceased_after in rows:
        n = next(_numbers)
        ceased = published + timedelta(days=ceased_after) if ceased_after is not None else None
        items.append(
            Publication(
                organization=orgs[which],
                kind=kind,
                title=f"测试文件{n}",
                index_number=f"T-{n}" if status == Status.PUBLISHED else None,
                written_on=written,
                published_on=published,
                normative_kind=normative,
                validity=Validity.REPEALED if ceased else Validity.VALID,
                ceased_on=ceased,
                status=status,
                withdrawal_reason="撤回" if status == Status.WITHDRAWN else "",
            )
        )
    Publication.objects.bulk_create(items)


def _table2(report: StatutoryReport) -> dict[str, dict[str, Decimal | None]]:
    return {row: report.table2[row] for row in ROWS}


def _expected(counts: PublicationCounts | None) -> dict[str, dict[str, Decimal | None]]:
    """What the report shows: the counts, or blanks for the officer when there is no catalog."""
    columns = ("issued", "repealed", "in_force")
    if counts is None:
        return {row: dict.fromkeys(columns, None) for row in ROWS}
    return {row: {c: Decimal(counts[row][c]) for c in columns} for row in ROWS}


@pytest.mark.django_db
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(publication, max_size=25))
def test_build_all_counts_table_two_like_one_report_at_a_time(
    district: District,
    rows: list,  # type: ignore[type-arg]
) -> None:
    """Every organisation's 规章 / 行政规范性文件 counts equal those of its own report, and the
    consolidated report's equal those counted over all its parts together."""
    _create(district, rows)
    names = {district.dept_a.pk: "A", district.dept_b.pk: "B", district.street.pk: "S"}
    everyone = build_all(YEAR, names)
    for pk in names:
        assert _table2(everyone[pk]) == _expected(table2_publication_counts([pk], YEAR))
    whole = consolidate(everyone.values(), YEAR, "全区")
    assert _table2(whole) == _expected(table2_publication_counts(list(names), YEAR))


@pytest.mark.django_db
def test_hand_entered_rows_of_table_two_are_not_built_or_summed(district: District) -> None:
    """Licences, penalties and fees come from other systems: entered per stored report."""
    _create(
        district,
        [(0, NormativeKind.RULE, Status.PUBLISHED, Kind.DOCUMENT, None, date(YEAR, 5, 1), None)],
    )
    report = build_all(YEAR, {district.dept_a.pk: "A"})[district.dept_a.pk]
    assert report.table2["regulations"] == {
        "issued": Decimal(1),
        "repealed": Decimal(0),
        "in_force": Decimal(1),
    }
    report.table2["licensing"]["decisions"] = Decimal(7)
    whole = consolidate([report, report], YEAR, "全区")
    assert whole.table2["regulations"]["issued"] == 2
    assert whole.table2["licensing"]["decisions"] is None
