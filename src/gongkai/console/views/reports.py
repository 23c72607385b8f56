"""年度报告 in the console: choose an organisation and a year, see the report built from the
records (条例第四十九、五十条) with the validator's findings, and download it in the official
formats. Until the report is started (`report_start`) the page shows it built afresh from the
records; a started report is stored (gongkai.reports.models) and edited on the same page: the
narrative, table 二's figures from other systems and, for a government, the organisations it
consolidates. The validator runs on every save; publishing is a separate, audited step.

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
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from gongkai.audit.services import audit_record
from gongkai.console.forms_reports import ReportForm
from gongkai.console.views.common import actor
from gongkai.orgs.constants import Action, OrgType
from gongkai.orgs.models import Organization
from gongkai.orgs.permissions import orgs_for
from gongkai.reports import rules
from gongkai.reports.builder import build_report
from gongkai.reports.draft import OUTCOME_PHRASES
from gongkai.reports.findings import Finding, Severity
from gongkai.reports.formats import (
    CARRIED_IN,
    CARRIED_OVER,
    OUTCOME_TOTAL,
    RECEIVED,
    SECTION_KEYS,
    SECTION_TITLES,
    TABLE2_BLOCKS,
    FormatVersion,
    official,
)
from gongkai.reports.models import Report, ReportVersion
from gongkai.reports.render import MEDIA_TYPES, RenderUnavailable
from gongkai.reports.render import render as render_report
from gongkai.reports.render.html import render_html
from gongkai.reports.selectors import (
    FIRST_YEAR,
    deadline_for,
    findings_for,
    part_ids,
    publication_counted_cells,
    report_for,
    statutory_report,
    versions_of,
)
from gongkai.reports.services import (
    ReportNotPublishable,
    can_edit_report,
    can_publish_report,
    includable,
    report_create,
    report_publish,
    report_save,
)
from gongkai.reports.structure import StatutoryReport
from gongkai.reports.validate import validate

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
    version: FormatVersion = FormatVersion.V2021

    @property
    def severity_label(self) -> Any:
        return SEVERITY_LABELS.get(self.finding.severity, self.finding.severity)

    @property
    def location_label(self) -> str:
        return location_label(self.finding.location, self.version)

    @property
    def field_id(self) -> str:
        """The id of the form field a narrative finding is about (for a link to it)."""
        location = self.finding.location
        return f"id_section_{location[8:]}" if location.startswith("section.") else ""


def _consolidated_requested(request: HttpRequest, org: Organization) -> bool:
    return request.GET.get("consolidated") == "1" and org.org_type == OrgType.GOVERNMENT


_SECTION_TITLES = dict(zip(SECTION_KEYS, SECTION_TITLES[FormatVersion.V2021], strict=True))
_TABLE2_LABELS = {
    version: {key: label for block in blocks for key, label in (*block.rows, *block.columns)}
    for version, blocks in TABLE2_BLOCKS.items()
}


def location_label(location: str, version: FormatVersion = FormatVersion.V2021) -> str:
    """A finding's location or a version's changed part in words: "section.other" is
    "六、其他需要报告的事项", "table2.fees.amount" is "表二 行政事业性收费·本年收费金额…"."""
    head, _sep, rest = location.partition(".")
    if head == "section" and rest in _SECTION_TITLES:
        return _SECTION_TITLES[rest]
    if head in ("table2", "source"):
        labels = _TABLE2_LABELS[version]
        parts = [official(labels.get(p, p)) for p in rest.split(".")]
        label = _("表二 %(cell)s") % {"cell": "·".join(parts)}
        return label if head == "table2" else _("%(cell)s 数据来源") % {"cell": label}
    words = {"created": _("开始编写"), "published": _("发布"), "includes": _("合并范围")}
    return str(words.get(location, location))


@dataclass(frozen=True)
class VersionRow:
    version: ReportVersion

    @property
    def changes(self) -> str:
        version = FormatVersion(self.version.content.get("format_version", FormatVersion.V2021))
        return "、".join(location_label(c, version) for c in self.version.changed)


def _sorted_findings(
    findings: list[Finding], version: FormatVersion = FormatVersion.V2021
) -> list[FindingRow]:
    ordered = sorted(
        findings, key=lambda f: (_SEVERITY_ORDER.get(f.severity, 9), f.location, f.code)
    )
    return [FindingRow(f, version) for f in ordered]


def _counts(findings: list[Finding]) -> dict[str, int]:
    return {
        key: sum(1 for f in findings if f.severity == key)
        for key in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    }


def _downloads(org: Organization, year: int, query: str) -> list[tuple[str, Any]]:
    return [
        (
            reverse("console:report_download", kwargs={"org_pk": org.pk, "year": year, "fmt": fmt})
            + query,
            label,
        )
        for fmt, label in FORMATS
    ]


def _navigation(org: Organization, year: int, query: str) -> dict[str, Any]:
    detail = reverse("console:report_detail", kwargs={"org_pk": org.pk, "year": year})
    this_year = timezone.localdate().year
    return {
        "org": org,
        "year": year,
        "detail_url": detail,
        "consolidated_url": detail + "?consolidated=1",
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < this_year else None,
        "query": query,
        "compare_url": reverse("console:report_compare", kwargs={"org_pk": org.pk}) + query,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_detail(request: HttpRequest, org_pk: int, year: int) -> HttpResponse:
    _check_year(year)
    org = _visible_org(request, org_pk)
    stored = report_for(org, year)
    if stored is not None:
        return _stored_detail(request, org, stored)
    if request.method == "POST":
        return redirect("console:report_detail", org_pk=org.pk, year=year)
    whole = _parts(request.user, org, consolidated=True)
    parts = whole if _consolidated_requested(request, org) else [org]
    consolidated = len(parts) > 1
    report = _build(parts, org, year)
    previous = _build(parts, org, year - 1) if year > FIRST_YEAR else None
    findings = validate(report, previous, is_government=org.is_government)
    query = "?consolidated=1" if consolidated else ""
    return render(
        request,
        "console/reports/detail.html",
        {
            **_navigation(org, year, query),
            "stored": None,
            "can_start": can_edit_report(request.user, org),
            "consolidated": consolidated,
            "can_consolidate": len(whole) > 1,
            "parts": parts[1:],
            "findings": _sorted_findings(findings, report.format_version),
            "counts": _counts(findings),
            # Rendered by Django templates with autoescaping; safe to insert as it is.
            "report_html": mark_safe(render_html(report, heading_level=3)),  # noqa: S308
            "downloads": _downloads(org, year, query),
        },
    )


def _stored_detail(request: HttpRequest, org: Organization, stored: Report) -> HttpResponse:
    user = request.user
    editable = can_edit_report(user, org)
    ids = part_ids(stored)
    counted = publication_counted_cells(ids, stored.year)
    offered = includable(user, org) if org.is_government else None
    statutory = statutory_report(stored)
    form_kwargs: dict[str, Any] = {
        "version": statutory.format_version,
        "includable": offered,
        "counted": counted,
    }
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = ReportForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                version, _found = report_save(
                    actor=actor(request),
                    report=stored,
                    sections=form.sections(),
                    table2=form.table2(),
                    table2_sources=form.sources(),
                    includes=form.includes(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if version is None:
                    messages.info(request, _("内容没有变化，未保存新版本。"))
                else:
                    messages.success(
                        request,
                        _("已保存为第 %(n)s 版，检查结果已更新。") % {"n": version.number},
                    )
                return redirect(
                    reverse("console:report_detail", kwargs={"org_pk": org.pk, "year": stored.year})
                    + "#findings"
                )
    else:
        form = ReportForm(
            initial=ReportForm.initial_for(
                stored.sections, statutory.table2, stored.table2_sources, ids[1:]
            ),
            **form_kwargs,
        )
    findings = findings_for(stored, statutory)
    parts = list(Organization.objects.filter(pk__in=ids[1:]).order_by("path"))
    published = [v for v in versions_of(stored) if v.published_at]
    return render(
        request,
        "console/reports/detail.html",
        {
            **_navigation(org, stored.year, ""),
            "stored": stored,
            "form": form if editable else None,
            "can_publish": can_publish_report(user, org),
            "has_errors": any(f.severity == Severity.ERROR for f in findings),
            "consolidated": bool(parts),
            "can_consolidate": False,
            "parts": parts,
            "findings": _sorted_findings(findings, statutory.format_version),
            "counts": _counts(findings),
            "versions": [VersionRow(v) for v in versions_of(stored)[:20]],
            "published": published[0] if published else None,
            "deadline": deadline_for(org, stored.year),
            "portal_url": reverse(
                "portal:annual_report", kwargs={"org_key": org.credit_code, "year": stored.year}
            ),
            # Rendered by Django templates with autoescaping; safe to insert as it is.
            "report_html": mark_safe(render_html(statutory, heading_level=3)),  # noqa: S308
            "downloads": _downloads(org, stored.year, ""),
        },
    )


@login_required
@require_POST
def report_start(request: HttpRequest, org_pk: int, year: int) -> HttpResponse:
    """Store the report, pre-filled with the narrative draft; a government's report takes the
    organisations of the preview (?consolidated=1) or none."""
    _check_year(year)
    org = _visible_org(request, org_pk)
    if report_for(org, year) is None:
        includes = includable(request.user, org) if request.POST.get("consolidated") == "1" else []
        try:
            report_create(actor=actor(request), organization=org, year=year, includes=includes)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已开始编写年度报告，正文已按统计数据生成初稿。"))
    return redirect("console:report_detail", org_pk=org.pk, year=year)


@login_required
@require_POST
def report_publish_view(request: HttpRequest, org_pk: int, year: int) -> HttpResponse:
    _check_year(year)
    org = _visible_org(request, org_pk)
    stored = report_for(org, year)
    if stored is None:
        raise Http404
    try:
        version = report_publish(actor=actor(request), report=stored)
    except ReportNotPublishable as exc:
        messages.error(
            request,
            _("未发布：检查发现 %(n)s 项错误，请修正后再发布。") % {"n": len(exc.findings)},
        )
    else:
        messages.success(
            request,
            _("已发布第 %(n)s 版，公开门户已显示。") % {"n": version.number},
        )
    return redirect("console:report_detail", org_pk=org.pk, year=year)


@login_required
@require_GET  # not HEAD: every download is rendered and audited
def report_download(request: HttpRequest, org_pk: int, year: int, fmt: str) -> HttpResponse:
    if fmt not in MEDIA_TYPES:
        raise Http404
    _check_year(year)
    org = _visible_org(request, org_pk)
    stored = report_for(org, year)
    if stored is not None:
        report = statutory_report(stored)
        parts = [org, *Organization.objects.filter(pk__in=part_ids(stored)[1:])]
    else:
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


# --- year over year -----------------------------------------------------------------------


@login_required
@require_safe
def report_compare(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Table 三 and 四 figures of every year since 2019 side by side, as charts (ECharts) and,
    for everyone who cannot see a chart, as tables with the same figures."""
    org = _visible_org(request, org_pk)
    consolidated = _consolidated_requested(request, org)
    default_parts = [p.pk for p in _parts(request.user, org, consolidated)]
    # Complete years only: the current year's figures would read as a fall.
    last_year = timezone.localdate().year - 1
    years = list(range(FIRST_YEAR, last_year + 1))
    reports = []
    for year in years:
        stored = report_for(org, year)
        ids = part_ids(stored) if stored is not None else default_parts
        reports.append(build_report(ids, year, org.name))
    series = compare_series(reports)
    for chart in series:  # the same figures by year, for the table under each chart
        chart["rows"] = [
            (year, [s["values"][i] for s in chart["series"]]) for i, year in enumerate(years)
        ]
    return render(
        request,
        "console/reports/compare.html",
        {
            "org": org,
            "consolidated": consolidated,
            "can_consolidate": len(_parts(request.user, org, True)) > 1,
            "years": years,
            "charts": series,
            "chart_data": {
                "years": [str(y) for y in years],
                "charts": [
                    {
                        "id": chart["id"],
                        "stacked": chart["stacked"],
                        "series": [
                            {"name": str(s["name"]), "values": s["values"]} for s in chart["series"]
                        ],
                    }
                    for chart in series
                ],
            },
            "latest_year": last_year,
        },
    )


def compare_series(reports: list[StatutoryReport]) -> list[dict[str, Any]]:
    """The figures compared across years: applications (一、二、（七）、四 of table 三), outcome
    groups of table 三, and table 四's totals."""

    def column(row: str) -> list[int]:
        return [rules.value(rules.column_total(r, row)) for r in reports]

    groups = [rules.outcome_group_totals(r) for r in reports]

    def appeals(group: str) -> list[int]:
        return [rules.value(rules.table4_group_total(r, group)) for r in reports]

    return [
        {
            "id": "chart-applications",
            "title": _("政府信息公开申请数量"),
            "stacked": False,
            "series": [
                {"name": _("本年新收"), "values": column(RECEIVED)},
                {"name": _("上年结转"), "values": column(CARRIED_IN)},
                {"name": _("本年办结"), "values": column(OUTCOME_TOTAL)},
                {"name": _("结转下年度"), "values": column(CARRIED_OVER)},
            ],
        },
        {
            "id": "chart-outcomes",
            "title": _("办理结果"),
            "stacked": True,
            "series": [
                {"name": label, "values": [g[key] for g in groups]}
                for key, label in OUTCOME_PHRASES
            ],
        },
        {
            "id": "chart-appeals",
            "title": _("行政复议、行政诉讼案件数量"),
            "stacked": False,
            "series": [
                {"name": _("行政复议"), "values": appeals("reconsideration")},
                {"name": _("未经复议直接起诉"), "values": appeals("litigation_direct")},
                {"name": _("复议后起诉"), "values": appeals("litigation_after")},
            ],
        },
    ]
