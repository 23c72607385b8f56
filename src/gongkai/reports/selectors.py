"""Reads of stored annual reports, shared by the console, the portal and the reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from gongkai.orgs.constants import Action
from gongkai.orgs.models import Organization
from gongkai.orgs.permissions import orgs_for
from gongkai.reports.builder import build_report
from gongkai.reports.findings import Finding
from gongkai.reports.models import Report, ReportVersion
from gongkai.reports.sources import table2_publication_counts
from gongkai.reports.structure import StatutoryReport
from gongkai.reports.validate import validate

# The first year reported under the revised 条例 (2019 trial format).
FIRST_YEAR = 2019


def report_for(organization: Organization, year: int) -> Report | None:
    return Report.objects.filter(organization=organization, year=year).first()


def part_ids(report: Report) -> list[int]:
    """The organisations whose records make up the report: its own and those it includes."""
    return [report.organization_id, *sorted(report.includes.values_list("pk", flat=True))]


def _decimal(raw: object) -> Decimal | None:
    if raw is None or raw == "":
        return None
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return None


def fill_table2(
    statutory: StatutoryReport, entered: dict[str, dict[str, str]], org_ids: list[int]
) -> None:
    """Table 二: counts from the publications records where available, else what the
    officer entered."""
    counted = table2_publication_counts(org_ids, statutory.year) or {}
    for row, columns in statutory.table2.items():
        for column in columns:
            from_records = counted.get(row, {}).get(column)
            if from_records is not None:
                columns[column] = Decimal(from_records)
            else:
                columns[column] = _decimal(entered.get(row, {}).get(column))


def publication_counted_cells(org_ids: list[int], year: int) -> set[tuple[str, str]]:
    """(row, column) of table 二 that come from the publications records (not editable)."""
    counted = table2_publication_counts(org_ids, year) or {}
    return {(row, col) for row, cols in counted.items() for col, v in cols.items() if v is not None}


def statutory_report(report: Report) -> StatutoryReport:
    """The report as it stands: tables 三/四 built from the records now, table 二 and the
    narrative as stored."""
    ids = part_ids(report)
    built = build_report(ids, report.year, report.organization.name)
    fill_table2(built, report.table2, ids)
    for key in built.sections:
        built.sections[key] = str(report.sections.get(key, ""))
    return built


def previous_statutory(organization: Organization, year: int, ids: list[int]) -> StatutoryReport:
    """Last year's report to compare with: the stored one when there is one, else built."""
    stored = report_for(organization, year - 1)
    if stored is not None:
        return statutory_report(stored)
    return build_report(ids, year - 1, organization.name)


def deadline_for(organization: Organization, year: int) -> date:
    """The publication deadline of `year`'s report: 条例第四十九条 (31 January for departments,
    31 March for people's governments), as configured."""
    setting = (
        settings.REPORT_DEADLINE_GOVERNMENTS
        if organization.is_government
        else settings.REPORT_DEADLINE_DEPARTMENTS
    )
    month, day = (int(part) for part in str(setting).split("-"))
    return date(year + 1, month, day)


def findings_for(report: Report, statutory: StatutoryReport | None = None) -> list[Finding]:
    """The validator's findings on the report as it stands (with last year's for the
    cross-year checks)."""
    statutory = statutory or statutory_report(report)
    previous = (
        previous_statutory(report.organization, report.year, part_ids(report))
        if report.year > FIRST_YEAR
        else None
    )
    return validate(
        statutory,
        previous,
        is_government=report.organization.is_government,
        deadline=deadline_for(report.organization, report.year),
    )


def published_versions(organization: Organization) -> list[ReportVersion]:
    """The latest published version of each year's report of `organization`, newest year
    first (the portal's 政府信息公开年报 list)."""
    versions = (
        ReportVersion.objects.published()
        .filter(report__organization=organization)
        .select_related("report")
        .order_by("-report__year", "-number")
    )
    latest: dict[int, ReportVersion] = {}
    for version in versions:
        latest.setdefault(version.report.year, version)
    return list(latest.values())


def published_version(organization: Organization, year: int) -> ReportVersion | None:
    return (
        ReportVersion.objects.published()
        .filter(report__organization=organization, report__year=year)
        .order_by("-number")
        .first()
    )


def versions_of(report: Report) -> QuerySet[ReportVersion]:
    return report.versions.select_related("created_by").order_by("-number")


@dataclass(frozen=True)
class DueReport:
    """An organisation whose report for last year is unpublished and whose deadline is near
    or past."""

    organization: Organization
    year: int
    deadline: date
    days_left: int  # negative when the deadline has passed

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


def reports_due(organizations: QuerySet[Organization], today: date) -> list[DueReport]:
    """Of `organizations`, those whose report for last year is not published although the
    deadline (条例第四十九条, as configured) is at most REPORT_REMIND_DAYS away, or passed at
    most REPORT_REMIND_DAYS ago (a report still missing later is a matter for the supervising
    office, not for a daily mail). Soonest deadline first. Two queries."""
    year = today.year - 1
    published = set(
        ReportVersion.objects.published()
        .filter(report__year=year)
        .values_list("report__organization_id", flat=True)
    )
    due = []
    for org in organizations.filter(is_active=True).order_by("path"):
        if org.pk in published:
            continue
        deadline = deadline_for(org, year)
        days_left = (deadline - today).days
        if -settings.REPORT_REMIND_DAYS <= days_left <= settings.REPORT_REMIND_DAYS:
            due.append(DueReport(org, year, deadline, days_left))
    return sorted(due, key=lambda d: (d.deadline, d.organization.path))


def reports_due_for(user: Any, today: date) -> list[DueReport]:
    """The due reports `user` is responsible for (may edit or publish): for the console home."""
    if not getattr(user, "is_authenticated", False) or user.admin_role:
        return []
    responsible = Organization.objects.filter(
        Q(pk__in=orgs_for(user, Action.WORK)) | Q(pk__in=orgs_for(user, Action.PUBLISH_REPORT))
    )
    return reports_due(responsible, today)
