"""Build an organisation's statutory report from the records (条例第四十九、五十条).

Table 三 comes from the applications: four GROUP BY queries over the year, whatever the
number of applications. Tables 二 and 四 stay blank until the publications and appeals
records exist; the narrative is written in the console.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Q, QuerySet

from gongkai.inforequests.constants import Outcome
from gongkai.inforequests.models import InfoRequest
from gongkai.reports.formats import (
    CARRIED_IN,
    CARRIED_OVER,
    OUTCOME_TOTAL,
    RECEIVED,
    TABLE3_COLUMNS,
    TOTAL,
    format_for_year,
    outcome_row_keys,
    row_for_outcome,
)
from gongkai.reports.structure import StatutoryReport


def _counts(qs: QuerySet[InfoRequest], *fields: str) -> list[dict[str, object]]:
    return list(qs.values(*fields).annotate(n=Count("id")).order_by())


def _add(row: list[int | None], applicant_type: str, n: int) -> None:
    index = TABLE3_COLUMNS.index(applicant_type)
    row[index] = (row[index] or 0) + n
    row[-1] = (row[-1] or 0) + n


def build_table3(
    report: StatutoryReport, requests: QuerySet[InfoRequest], year: int
) -> StatutoryReport:
    """Fill table 三 from `requests` (already limited to the organisations reported on).

    Each application counts once (件), in its applicant's column:
    一 received in the year; 二 received before it and not closed before it (上年结转);
    the outcome rows by the outcome of those closed in the year; 四 received by the year's end
    and still open then (结转下年度). So 一 + 二 = （七） + 四 holds by construction.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    version = report.format_version
    for key in report.table3:
        report.table3[key] = [0] * len(TABLE3_COLUMNS)
    open_at = Q(closed_on__isnull=True)
    groups = {
        RECEIVED: requests.filter(received_on__range=(start, end)),
        CARRIED_IN: requests.filter(received_on__lt=start).filter(
            open_at | Q(closed_on__gte=start)
        ),
        CARRIED_OVER: requests.filter(received_on__lte=end).filter(open_at | Q(closed_on__gt=end)),
    }
    for key, qs in groups.items():
        for row in _counts(qs, "applicant_type"):
            _add(report.table3[key], str(row["applicant_type"]), int(row["n"]))  # type: ignore[call-overload]
    closed = requests.filter(closed_on__range=(start, end), received_on__lte=end)
    for row in _counts(closed, "applicant_type", "outcome"):
        key = row_for_outcome(Outcome(str(row["outcome"])), version)
        applicant, n = str(row["applicant_type"]), int(row["n"])  # type: ignore[call-overload]
        _add(report.table3[key], applicant, n)
        _add(report.table3[OUTCOME_TOTAL], applicant, n)
    assert report.table3[OUTCOME_TOTAL][-1] == sum(
        report.table3[k][-1] or 0 for k in outcome_row_keys(version)
    )
    assert TABLE3_COLUMNS[-1] == TOTAL
    return report


def build_report(organization_ids: Iterable[int], year: int, name: str) -> StatutoryReport:
    """The report of the organisations `organization_ids` (one, or a district and the
    departments and streets it consolidates) for `year`."""
    report = StatutoryReport.empty(year, name, format_for_year(year))
    requests = InfoRequest.objects.filter(organization_id__in=list(organization_ids))
    return build_table3(report, requests, year)
