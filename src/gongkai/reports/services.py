"""Every change to a stored annual report: atomic, permission-checked, audited, versioned.

Who may do what (gongkai.orgs.permissions): an officer (办理) of the organisation, its org
admin or a supervisor above it edits the report; the org admin or a supervisor publishes
(Action.PUBLISH_REPORT). Each save runs the validator and appends a ReportVersion; publishing
is refused while the validator finds errors and appends a frozen, published version.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.services import audit_record
from gongkai.orgs.constants import Action
from gongkai.orgs.models import Organization, User
from gongkai.orgs.permissions import can, orgs_for
from gongkai.reports.draft import draft_sections
from gongkai.reports.findings import Finding, has_errors
from gongkai.reports.formats import SECTION_KEYS
from gongkai.reports.models import Report, ReportVersion
from gongkai.reports.rules import SIGNED_COLUMNS
from gongkai.reports.selectors import (
    FIRST_YEAR,
    deadline_for,
    findings_for,
    part_ids,
    previous_statutory,
    statutory_report,
)

SECTION_MAX_CHARS = 20_000
SOURCE_MAX_CHARS = 200


class ReportNotPublishable(ValidationError):
    """Publishing refused: the validator found errors. `findings` lists them."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(_("年度报告存在错误，请先修正后再发布。"))
        self.findings = findings


def can_edit_report(user: Any, organization: Organization) -> bool:
    return can(user, Action.WORK, organization) or can(user, Action.PUBLISH_REPORT, organization)


def can_publish_report(user: Any, organization: Organization) -> bool:
    return can(user, Action.PUBLISH_REPORT, organization)


def includable(user: Any, organization: Organization) -> QuerySet[Organization]:
    """Organisations a government's report may consolidate: those below it the user may view."""
    if not organization.is_government:
        return Organization.objects.none()
    return (
        Organization.objects.get_descendants(organization)
        .filter(pk__in=orgs_for(user, Action.VIEW))
        .order_by("path")
    )


def _require_edit(actor: User, organization: Organization) -> None:
    if not can_edit_report(actor, organization):
        raise PermissionDenied(_("没有编写该机关年度报告的权限"))


def _check_includes(
    actor: User, organization: Organization, includes: Iterable[Organization]
) -> list[int]:
    ids = sorted({org.pk for org in includes})
    allowed = set(includable(actor, organization).values_list("pk", flat=True))
    if not set(ids) <= allowed:
        raise ValidationError(_("只能合并本级人民政府下属、且您可以查看的机关。"))
    return ids


def _clean_table2(table2: dict[str, dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Entered table 二 values as decimal strings; blanks left out. Counts are non-negative
    whole numbers, the 万元 amount may have decimals (the validator checks the precision)."""
    out: dict[str, dict[str, str]] = {}
    for row, columns in table2.items():
        for column, raw in columns.items():
            if raw is None or str(raw).strip() == "":
                continue
            try:
                value = Decimal(str(raw).strip())
            except InvalidOperation:
                raise ValidationError(_("表二的数值必须是数字。")) from None
            if not value.is_finite() or (value < 0 and column not in SIGNED_COLUMNS):
                raise ValidationError(_("表二的数值不能为负数。"))
            out.setdefault(row, {})[column] = format(value, "f")
    return out


def _snapshot(
    report: Report, actor: User, changed: list[str], *, published: bool = False
) -> tuple[ReportVersion, list[Finding]]:
    """Append the next version: the full report as it now stands and its findings."""
    statutory = statutory_report(report)
    now = timezone.now()
    if published:
        statutory.published_on = timezone.localdate()
    findings = findings_for(report, statutory)
    number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        content=statutory.to_json(),
        table2_sources=dict(report.table2_sources),
        includes=part_ids(report)[1:],
        changed=changed,
        findings=[f.to_json() for f in findings],
        created_by=actor,
        published_at=now if published else None,
    )
    return version, findings


@transaction.atomic
def report_create(
    *,
    actor: User,
    organization: Organization,
    year: int,
    includes: Iterable[Organization] | None = None,
) -> Report:
    """Start `year`'s report of `organization`. A government's report consolidates, unless
    told otherwise, every organisation below it that the actor may view. The narrative is
    pre-filled with a draft that states the figures of the tables."""
    _require_edit(actor, organization)
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationError(_("报告年度超出范围。"))
    if Report.objects.filter(organization=organization, year=year).exists():
        raise ValidationError(_("该机关该年度的年度报告已经存在。"))
    chosen = list(includable(actor, organization)) if includes is None else list(includes)
    ids = _check_includes(actor, organization, chosen)
    report = Report.objects.create(organization=organization, year=year)
    report.includes.set(ids)
    built = statutory_report(report)
    previous = (
        previous_statutory(organization, year, part_ids(report)) if year > FIRST_YEAR else None
    )
    report.sections = draft_sections(built, previous, is_government=organization.is_government)
    report.save(update_fields=["sections", "updated_at"])
    version, _findings = _snapshot(report, actor, ["created"])
    audit_record(
        actor=actor,
        verb="report.created",
        obj=report,
        organization=organization,
        after={"year": year, "includes": ids, "version": version.number},
    )
    return report


@transaction.atomic
def report_save(
    *,
    actor: User,
    report: Report,
    sections: dict[str, str],
    table2: dict[str, dict[str, Any]],
    table2_sources: dict[str, str],
    includes: Iterable[Organization] | None = None,
) -> tuple[ReportVersion | None, list[Finding]]:
    """Save the officer's part of the report; run the validator. Returns the new version
    (None when nothing changed) and the findings."""
    report = Report.objects.select_for_update().select_related("organization").get(pk=report.pk)
    _require_edit(actor, report.organization)
    for key, text in sections.items():
        if key not in SECTION_KEYS:
            raise ValidationError(_("未知的报告部分：%(key)s") % {"key": key})
        if len(text) > SECTION_MAX_CHARS:
            raise ValidationError(_("每一部分不超过 %(n)s 字。") % {"n": SECTION_MAX_CHARS})
    new_sections = {key: sections.get(key, report.sections.get(key, "")) for key in SECTION_KEYS}
    new_table2 = _clean_table2(table2)
    new_sources = {
        row: text.strip()[:SOURCE_MAX_CHARS] for row, text in table2_sources.items() if text.strip()
    }
    old_ids = part_ids(report)[1:]
    new_ids = old_ids
    if includes is not None:
        # Organisations the actor cannot see stay as they were: they were not offered.
        hidden = set(old_ids) - set(
            includable(actor, report.organization).values_list("pk", flat=True)
        )
        new_ids = sorted(set(_check_includes(actor, report.organization, includes)) | hidden)

    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key in SECTION_KEYS:
        if report.sections.get(key, "") != new_sections[key]:
            before[f"section.{key}"] = report.sections.get(key, "")
            after[f"section.{key}"] = new_sections[key]
    cells = {
        (r, c) for rows in (report.table2, new_table2) for r, cols in rows.items() for c in cols
    }
    for row, column in sorted(cells):
        old, new = report.table2.get(row, {}).get(column), new_table2.get(row, {}).get(column)
        if old != new:
            before[f"table2.{row}.{column}"], after[f"table2.{row}.{column}"] = old, new
    for row in sorted(set(report.table2_sources) | set(new_sources)):
        old, new = report.table2_sources.get(row), new_sources.get(row)
        if old != new:
            before[f"source.{row}"], after[f"source.{row}"] = old, new
    if new_ids != old_ids:
        before["includes"], after["includes"] = old_ids, new_ids

    if not after:
        return None, findings_for(report)
    report.sections, report.table2, report.table2_sources = new_sections, new_table2, new_sources
    report.save(update_fields=["sections", "table2", "table2_sources", "updated_at"])
    if new_ids != old_ids:
        report.includes.set(new_ids)
    version, findings = _snapshot(report, actor, sorted(after))
    audit_record(
        actor=actor,
        verb="report.saved",
        obj=report,
        organization=report.organization,
        before=before,
        after={
            **after,
            "version": version.number,
            "errors": sum(1 for f in findings if f.severity == "error"),
        },
    )
    return version, findings


@transaction.atomic
def report_publish(*, actor: User, report: Report) -> ReportVersion:
    """Publish the report as it stands (条例第四十九条): a new, frozen version that the portal
    shows. Refused while the validator finds errors. Re-publishing appends another version;
    earlier ones and other years stay."""
    report = Report.objects.select_for_update().select_related("organization").get(pk=report.pk)
    if not can_publish_report(actor, report.organization):
        raise PermissionDenied(_("没有发布该机关年度报告的权限"))
    findings = findings_for(report)
    if has_errors(findings):
        raise ReportNotPublishable([f for f in findings if f.severity == "error"])
    version, _findings = _snapshot(report, actor, ["published"], published=True)
    audit_record(
        actor=actor,
        verb="report.published",
        obj=report,
        organization=report.organization,
        after={
            "year": report.year,
            "version": version.number,
            "deadline": deadline_for(report.organization, report.year).isoformat(),
        },
    )
    return version
