"""Public pages of the 政府信息公开年报 sub-column (条例第四十九条): each organisation's
published annual reports, newest year first, and one report as a page with PDF and DOCX
downloads. Only published versions are shown, exactly as published; the content is the
report itself (tables and narrative), which holds no applicant's personal data.
"""

from __future__ import annotations

from urllib.parse import quote

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from gongkai.orgs.models import Organization
from gongkai.reports.models import ReportVersion
from gongkai.reports.render import MEDIA_TYPES, RenderUnavailable
from gongkai.reports.render import render as render_report
from gongkai.reports.render.html import render_html, report_title
from gongkai.reports.selectors import published_version, published_versions
from gongkai.reports.structure import StatutoryReport

DOWNLOAD_FORMATS = ("pdf", "docx")
PAGE_SIZE = 20
CREDIT_CODE_LENGTH = 18
DOWNLOAD_CACHE_SECONDS = 24 * 3600


def organization_for(org_key: str) -> Organization:
    """An active organisation by its 统一社会信用代码, or by its id."""
    organizations = Organization.objects.filter(is_active=True)
    if len(org_key) == CREDIT_CODE_LENGTH:
        org = organizations.filter(credit_code=org_key.upper()).first()
    elif org_key.isdigit():
        org = organizations.filter(pk=int(org_key)).first()
    else:
        org = None
    if org is None:
        raise Http404
    return org


def _report(version: ReportVersion) -> StatutoryReport:
    return StatutoryReport.from_json(version.content)


@require_GET
def annual_report_list(request: HttpRequest, org_key: str) -> HttpResponse:
    org = organization_for(org_key)
    page = Paginator(published_versions(org), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(v, report_title(_report(v))) for v in page.object_list]
    return render(
        request,
        "reports/portal/list.html",
        {"org": org, "org_key": org_key, "page_obj": page, "rows": rows},
    )


@require_GET
def annual_report_detail(request: HttpRequest, org_key: str, year: int) -> HttpResponse:
    org = organization_for(org_key)
    version = published_version(org, year)
    if version is None:
        raise Http404
    report = _report(version)
    return render(
        request,
        "reports/portal/detail.html",
        {
            "org": org,
            "org_key": org_key,
            "year": year,
            "version": version,
            "title": report_title(report),
            # Rendered by Django templates with autoescaping; safe to insert as it is.
            "report_html": mark_safe(render_html(report)),  # noqa: S308
            "formats": DOWNLOAD_FORMATS,
        },
    )


@require_GET
def annual_report_download(request: HttpRequest, org_key: str, year: int, fmt: str) -> HttpResponse:
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404
    org = organization_for(org_key)
    version = published_version(org, year)
    if version is None:
        raise Http404
    report = _report(version)
    # A published version never changes, so its rendering is cached: a public URL must not
    # make the server run WeasyPrint for every request.
    key = f"annual-report:{version.pk}:{fmt}"
    content = cache.get(key)
    if content is None:
        try:
            content = render_report(report, fmt)
        except RenderUnavailable as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
        cache.set(key, content, DOWNLOAD_CACHE_SECONDS)
    response = HttpResponse(content, content_type=MEDIA_TYPES[fmt])
    filename = f"{report_title(report)}.{fmt}"
    response["Content-Disposition"] = (
        f'attachment; filename="annual-report-{org.pk}-{year}.{fmt}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
