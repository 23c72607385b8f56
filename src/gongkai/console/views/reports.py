"""年度报告 in the console: choose an organisation and a year, see the report built from the
records (条例第四十九、五十条) with the validator's findings, and download it in the official
formats. Nothing is stored yet; every page builds the report afresh.

Visibility goes through `orgs_for(user, Action.VIEW)`: another agency's report is 404. A
consolidated report is a people's government together with the departments and streets below
it that the user may view. Every download is audited (exports of business data).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_safe

from gongkai.audit.services import audit_record
from gongkai.console.views.common import actor
from gongkai.orgs.constants import Action, OrgType
from gongkai.orgs.models import Organization
from gongkai.orgs.permissions import orgs_for
from gongkai.reports.builder import build_report
from gongkai.reports.findings import Finding, Severity
from gongkai.reports.render import MEDIA_TYPES, RenderUnavailable
from gongkai.reports.render import render as render_report
from gongkai.reports.render.html import render_html
from gongkai.reports.structure import StatutoryReport
from gongkai.reports.validate import validate

# The first year reported under the revised 条例 (2019 trial format).
FIRST_YEAR = 2019
# Download formats in the order they are offered; the file extension is the format name.
FORMATS: tuple[tuple[str, Any], ...] = (
    ("docx", gettext_lazy("Word 文档（DOCX）")),
    ("pdf", gettext_lazy("PDF")),
    ("html", gettext_lazy("网页（HTML）")),
    ("csv", gettext_lazy("表格数据（CSV）")),
    ("json", gettext_lazy("结构化数据（JSON）")),
)
SEVERITY_LABELS: dict[str, Any] = {
    Severity.ERROR: gettext_lazy("错误"),
    Severity.WARNING: gettext_lazy("警告"),
    Severity.INFO: gettext_lazy("提示"),
}
_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _years(today_year: int) -> list[int]:
    return list(range(today_year, FIRST_YEAR - 1, -1))


def _visible(user: Any) -> QuerySet[Organization]:
    return orgs_for(user, Action.VIEW).order_by("path")


def _consolidatable(user: Any) -> set[int]:
    """Governments the user may view that have at least one viewable organisation below.

    In path order an organisation's descendants follow it directly, so it has a viewable one
    exactly when the next viewable organisation's path starts with its own."""
    rows = list(_visible(user).values_list("pk", "path", "org_type"))
    return {
        pk
        for (pk, path, org_type), (_next, next_path, _type) in pairwise(rows)
        if org_type == OrgType.GOVERNMENT and next_path.startswith(path)
    }


def _parts(user: Any, org: Organization, consolidated: bool) -> list[Organization]:
    """The organisations whose records make up the report: `org`, and for a consolidated
    government report the organisations below it that the user may view."""
    if not consolidated or org.org_type != OrgType.GOVERNMENT:
        return [org]
    below = (
        Organization.objects.get_descendants(org)
        .filter(pk__in=orgs_for(user, Action.VIEW))
        .order_by("path")
    )
    return [org, *below]


def _visible_org(request: HttpRequest, org_pk: int) -> Organization:
    org = _visible(request.user).filter(pk=org_pk).first()
    if org is None:
        raise Http404  # do not reveal that another agency exists
    return org


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404


def _build(parts: list[Organization], org: Organization, year: int) -> StatutoryReport:
    return build_report([p.pk for p in parts], year, org.name)


def _filename(org: Organization, year: int, fmt: str) -> str:
    return f"{org.name}{year}年政府信息公开工作年度报告.{fmt}"


def _content_disposition(org: Organization, year: int, fmt: str) -> str:
    fallback = f"report-{org.pk}-{year}.{fmt}"  # for clients without RFC 6266 support
    encoded = quote(_filename(org, year, fmt), safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


# --- choosing -----------------------------------------------------------------------------


class ReportChoiceForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("机关"), queryset=Organization.objects.none(), empty_label=None
    )
    year = forms.TypedChoiceField(label=gettext_lazy("报告年度"), coerce=int)
    consolidated = forms.BooleanField(
        label=gettext_lazy("合并下属部门和街道（镇）"),
        required=False,
        help_text=gettext_lazy(
            "仅适用于人民政府：把本级和您可查看的下属部门、街道（镇）的申请合并统计。"
        ),
    )

    def __init__(self, *args: Any, user: Any, consolidatable: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        assert isinstance(organization, forms.ModelChoiceField)
        organization.queryset = _visible(user)
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        year.choices = [
            (y, _("%(year)s年") % {"year": y}) for y in _years(timezone.localdate().year)
        ]
        if not consolidatable:
            del self.fields["consolidated"]


@login_required
@require_safe
def report_index(request: HttpRequest) -> HttpResponse:
    user = request.user
    consolidatable = _consolidatable(user)
    initial = {"year": timezone.localdate().year - 1}
    if "organization" in request.GET:
        form = ReportChoiceForm(
            request.GET, user=user, consolidatable=consolidatable, initial=initial
        )
        if form.is_valid():
            org = form.cleaned_data["organization"]
            url = reverse(
                "console:report_detail",
                kwargs={"org_pk": org.pk, "year": form.cleaned_data["year"]},
            )
            if form.cleaned_data.get("consolidated") and org.pk in consolidatable:
                url += "?consolidated=1"
            return redirect(url)
    else:
        form = ReportChoiceForm(user=user, consolidatable=consolidatable, initial=initial)
    organizations = list(_visible(user).values_list("pk", "name"))
    return render(
        request,
        "console/reports/index.html",
        {
            "form": form,
            "has_organizations": bool(organizations),
            "consolidatable": [name for pk, name in organizations if pk in consolidatable],
        },
    )


# --- one report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingRow:
    finding: Finding

    @property
    def severity_label(self) -> Any:
        return SEVERITY_LABELS.get(self.finding.severity, self.finding.severity)


def _consolidated_requested(request: HttpRequest, org: Organization) -> bool:
    return request.GET.get("consolidated") == "1" and org.org_type == OrgType.GOVERNMENT


@login_required
@require_safe
def report_detail(request: HttpRequest, org_pk: int, year: int) -> HttpResponse:
    _check_year(year)
    org = _visible_org(request, org_pk)
    whole = _parts(request.user, org, consolidated=True)
    parts = whole if _consolidated_requested(request, org) else [org]
    consolidated = len(parts) > 1
    report = _build(parts, org, year)
    previous = _build(parts, org, year - 1) if year > FIRST_YEAR else None
    findings = sorted(
        validate(report, previous, is_government=org.org_type == OrgType.GOVERNMENT),
        key=lambda f: (_SEVERITY_ORDER.get(f.severity, 9), f.location, f.code),
    )
    counts = {
        key: sum(1 for f in findings if f.severity == key)
        for key in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    }
    query = "?consolidated=1" if consolidated else ""
    downloads = [
        (
            reverse("console:report_download", kwargs={"org_pk": org.pk, "year": year, "fmt": fmt})
            + query,
            label,
        )
        for fmt, label in FORMATS
    ]
    detail = reverse("console:report_detail", kwargs={"org_pk": org.pk, "year": year})
    this_year = timezone.localdate().year
    return render(
        request,
        "console/reports/detail.html",
        {
            "org": org,
            "year": year,
            "consolidated": consolidated,
            "can_consolidate": len(whole) > 1,
            "parts": parts[1:],
            "detail_url": detail,
            "consolidated_url": detail + "?consolidated=1",
            "previous_year": year - 1 if year > FIRST_YEAR else None,
            "next_year": year + 1 if year < this_year else None,
            "query": query,
            "findings": [FindingRow(f) for f in findings],
            "counts": counts,
            # Rendered by Django templates with autoescaping; safe to insert as it is.
            "report_html": mark_safe(render_html(report)),  # noqa: S308
            "downloads": downloads,
        },
    )


@login_required
@require_GET  # not HEAD: every download is rendered and audited
def report_download(request: HttpRequest, org_pk: int, year: int, fmt: str) -> HttpResponse:
    if fmt not in MEDIA_TYPES:
        raise Http404
    _check_year(year)
    org = _visible_org(request, org_pk)
    parts = _parts(request.user, org, _consolidated_requested(request, org))
    report = _build(parts, org, year)
    try:
        content = render_report(report, fmt)
    except RenderUnavailable as exc:
        return render(
            request,
            "console/reports/unavailable.html",
            {
                "org": org,
                "year": year,
                "format": fmt,
                "message": str(exc),
                "detail_url": reverse(
                    "console:report_detail", kwargs={"org_pk": org.pk, "year": year}
                ),
            },
            status=503,
        )
    audit_record(
        actor=actor(request),
        verb="report.downloaded",
        organization=org,
        after={
            "year": year,
            "format": fmt,
            "consolidated": len(parts) > 1,
            "organizations": [p.pk for p in parts],
        },
    )
    response = HttpResponse(content, content_type=MEDIA_TYPES[fmt])
    response["Content-Disposition"] = _content_disposition(org, year, fmt)
    response["X-Content-Type-Options"] = "nosniff"
    return response
