"""Build statutory reports from the records (条例第四十九、五十条).

Table 三 comes from the applications: four GROUP BY queries for the year; table 四 from the
行政复议 and 行政诉讼 records: two more (appeals.rules.table4_cell states how a case counts).
Both work for one organisation or for every organisation of a province at once
(`build_all`), so the cost does not grow with the number of organisations. A consolidated
report is the cell-wise sum of its parts (`consolidate`). `build_all` also counts table 二's
规章 / 行政规范性文件 rows from the publications records, in one more query
(publications.selectors.table2_counts_all); the other rows of table 二 are entered by hand per
stored report and stay blank here, as does the narrative.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When

from gongkai.appeals.constants import AppealResult
from gongkai.appeals.models import Litigation, Reconsideration
from gongkai.appeals.rules import RECONSIDERATION, table4_group
from gongkai.inforequests.constants import Outcome
from gongkai.inforequests.models import InfoRequest
from gongkai.publications.selectors import TABLE2_ROWS, table2_counts_all
from gongkai.reports.formats import (
    CARRIED_IN,
    CARRIED_OVER,
    OUTCOME_TOTAL,
    RECEIVED,
    TABLE3_COLUMNS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    TOTAL,
    FormatVersion,
    format_for_year,
    row_for_outcome,
)
from gongkai.reports.structure import StatutoryReport

# organisation id → row key → column key → count
Counts = dict[int, dict[str, dict[str, int]]]
# organisation id → table 四 column key (TABLE4_COLUMNS, without the 总计 columns) → count
Table4Counts = dict[int, dict[str, int]]


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


def table4_counts(
    reconsiderations: QuerySet[Reconsideration], litigations: QuerySet[Litigation], year: int
) -> Table4Counts:
    """Count 行政复议 and 行政诉讼 cases per organisation into the cells of table 四.

    The rule of appeals.rules.table4_cell, as one GROUP BY query per model: the cases filed
    in the year, each in the column of its result as known on 31 December (decided by then →
    its result, otherwise 尚未审结).
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    at_year_end = Case(
        When(decided_on__lte=end, then=F("result")),
        default=Value(AppealResult.PENDING.value),
        output_field=CharField(),
    )
    counts: Table4Counts = defaultdict(lambda: defaultdict(int))
    filed = Q(filed_on__range=(start, end))
    for org, result, n in (
        reconsiderations.filter(filed)
        .annotate(column=at_year_end)
        .values_list("organization_id", "column")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[org][f"{RECONSIDERATION}_{result}"] += n
    for org, route, result, n in (
        litigations.filter(filed)
        .annotate(column=at_year_end)
        .values_list("organization_id", "route", "column")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[org][f"{table4_group(route)}_{result}"] += n
    return counts


def _grouped(qs: QuerySet[InfoRequest], *fields: str) -> list[tuple[Any, ...]]:
    return list(qs.values_list("organization_id", *fields).annotate(n=Count("id")).order_by())


def _fill(
    report: StatutoryReport, rows: dict[str, dict[str, int]], cells4: dict[str, int]
) -> StatutoryReport:
    for key in report.table3:
        cells = [rows.get(key, {}).get(column, 0) for column in TABLE3_COLUMNS[:-1]]
        report.table3[key] = [*cells, sum(cells)]
    values = {column: cells4.get(column, 0) for column in TABLE4_COLUMNS}
    for group, _label in TABLE4_GROUPS:
        values[f"{group}_{TOTAL}"] = sum(values[f"{group}_{r}"] for r in AppealResult.values)
    report.table4 = [values[column] for column in TABLE4_COLUMNS]
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
    counts4 = table4_counts(
        Reconsideration.objects.filter(organization_id__in=ids),
        Litigation.objects.filter(organization_id__in=ids),
        year,
    )
    merged4: dict[str, int] = defaultdict(int)
    for cells4 in counts4.values():
        for column, n in cells4.items():
            merged4[column] += n
    return _fill(StatutoryReport.empty(year, name, version), merged, merged4)


def _fill_table2(report: StatutoryReport, counted: dict[str, dict[str, int]]) -> None:
    """Table 二's counted cells (those the report's format has); the rest stay blank."""
    for row, columns in counted.items():
        cells = report.table2.get(row, {})
        for column, n in columns.items():
            if column in cells:
                cells[column] = Decimal(n)


def build_all(year: int, names: dict[int, str]) -> dict[int, StatutoryReport]:
    """Every organisation's own report for `year` (`names`: id → name), in seven queries.

    Table 二's 规章 / 行政规范性文件 rows are counted for the organisations that keep their
    catalog here (as reports.sources.table2_publication_counts does for one report) and left
    blank for the others."""
    version = format_for_year(year)
    counts = table3_counts(InfoRequest.objects.all(), year, version)
    counts4 = table4_counts(Reconsideration.objects.all(), Litigation.objects.all(), year)
    counts2 = table2_counts_all(year)
    reports = {}
    for org, name in names.items():
        report = _fill(
            StatutoryReport.empty(year, name, version), counts.get(org, {}), counts4.get(org, {})
        )
        _fill_table2(report, counts2.get(org, {}))
        reports[org] = report
    return reports


def consolidate(parts: Iterable[StatutoryReport], year: int, name: str) -> StatutoryReport:
    """The cell-wise sum of reports of the same year (a government's consolidated report).

    Tables 三 and 四 count blanks as 0. Table 二's 规章 / 行政规范性文件 rows are summed over
    the parts that have them and stay blank only when every part leaves them blank; its
    other rows are hand-entered per stored report and are not summed here."""
    total = StatutoryReport.empty(year, name, format_for_year(year))
    for part in parts:
        for row in TABLE2_ROWS.values():
            sums = total.table2.get(row, {})
            for column, value in part.table2.get(row, {}).items():
                if value is not None and column in sums:
                    sums[column] = (sums[column] or 0) + value
        for key, cells in part.table3.items():
            total.table3[key] = [
                (a or 0) + (b or 0) for a, b in zip(total.table3[key], cells, strict=True)
            ]
        if part.table4:
            total.table4 = [
                (a or 0) + (b or 0) for a, b in zip(total.table4, part.table4, strict=True)
            ]
    return total
