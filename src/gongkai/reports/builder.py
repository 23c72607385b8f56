"""Build statutory reports from the records (条例第四十九、五十条).

Table 三 comes from the applications: four GROUP BY queries for the year — for one
organisation, or for every organisation of a province at once (`build_all`), so the cost does
not grow with the number of organisations. A consolidated report is the cell-wise sum of its
parts (`consolidate`). Tables 二 and 四 stay blank until the publications and appeals records
exist; the narrative is written in the console.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from gongkai.inforequests.constants import Outcome
from gongkai.inforequests.models import InfoRequest
from gongkai.reports.formats import (
    CARRIED_IN,
    CARRIED_OVER,
    OUTCOME_TOTAL,
    RECEIVED,
    TABLE3_COLUMNS,
    FormatVersion,
    format_for_year,
    row_for_outcome,
)
from gongkai.reports.structure import StatutoryReport

# organisation id → row key → column key → count
Counts = dict[int, dict[str, dict[str, int]]]


def table3_counts(requests: QuerySet[InfoRequest], year: int, version: FormatVersion) -> Counts:
    """Count applications per organisation into the rows of table 三.

    Each application counts once (件), in its applicant's column: 一 received in the year;
    二 received before it and not closed before it (上年结转); an outcome row for those closed
    in the year; 四 received by the year's end and still open then (结转下年度). Hence
    一 + 二 = （七） + 四 by construction.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    still_open = Q(closed_on__isnull=True)
    counts: Counts = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    groups = {
        RECEIVED: requests.filter(received_on__range=(start, end)),
        CARRIED_IN: requests.filter(received_on__lt=start).filter(
            still_open | Q(closed_on__gte=start)
        ),
        CARRIED_OVER: requests.filter(received_on__lte=end).filter(
            still_open | Q(closed_on__gt=end)
        ),
    }
    for key, qs in groups.items():
        for org, applicant, n in _grouped(qs, "applicant_type"):
            counts[org][key][applicant] += n
    closed = requests.filter(closed_on__range=(start, end))
    for org, applicant, outcome, n in _grouped(closed, "applicant_type", "outcome"):
        counts[org][row_for_outcome(Outcome(outcome), version)][applicant] += n
        counts[org][OUTCOME_TOTAL][applicant] += n
    return counts


def _grouped(qs: QuerySet[InfoRequest], *fields: str) -> list[tuple[Any, ...]]:
    return list(qs.values_list("organization_id", *fields).annotate(n=Count("id")).order_by())


def _fill(report: StatutoryReport, rows: dict[str, dict[str, int]]) -> StatutoryReport:
    for key in report.table3:
        cells = [rows.get(key, {}).get(column, 0) for column in TABLE3_COLUMNS[:-1]]
        report.table3[key] = [*cells, sum(cells)]
    return report


def build_report(organization_ids: Iterable[int], year: int, name: str) -> StatutoryReport:
    """The report of the organisations `organization_ids` taken together (one organisation,
    or a district with the departments and streets it chooses to include)."""
    version = format_for_year(year)
    ids = list(organization_ids)
    counts = table3_counts(InfoRequest.objects.filter(organization_id__in=ids), year, version)
    merged: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for rows in counts.values():
        for key, cells in rows.items():
            for column, n in cells.items():
                merged[key][column] += n
    return _fill(StatutoryReport.empty(year, name, version), merged)


def build_all(year: int, names: dict[int, str]) -> dict[int, StatutoryReport]:
    """Every organisation's own report for `year` (`names`: id → name), in four queries."""
    version = format_for_year(year)
    counts = table3_counts(InfoRequest.objects.all(), year, version)
    return {
        org: _fill(StatutoryReport.empty(year, name, version), counts.get(org, {}))
        for org, name in names.items()
    }


def consolidate(parts: Iterable[StatutoryReport], year: int, name: str) -> StatutoryReport:
    """The cell-wise sum of reports of the same year (a government's consolidated report)."""
    total = StatutoryReport.empty(year, name, format_for_year(year))
    for part in parts:
        for key, cells in part.table3.items():
            total.table3[key] = [
                (a or 0) + (b or 0) for a, b in zip(total.table3[key], cells, strict=True)
            ]
    return total
