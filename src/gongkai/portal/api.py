"""Read-only JSON API of the disclosure catalog (published items only), described by the
OpenAPI 3 document in openapi.py at /api/openapi.json. Rate-limited per client address.

Responses carry catalog data only: nothing about applicants, staff or the workflow."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.paginator import EmptyPage, Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from gongkai.orgs.models import Organization
from gongkai.portal import ratelimit
from gongkai.portal.document import interpretation_media
from gongkai.portal.listing import ListFilterForm, years_of
from gongkai.publications import selectors
from gongkai.publications.constants import Kind, Status
from gongkai.publications.models import Publication
from gongkai.publications.topics import topic_label

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
# Generous for a reader or a nightly harvest, tight enough to keep a scraper from taking the
# database: per client address, per minute.
API_PER_IP = ratelimit.Limit("api-ip", 120, 60)


def _json(data: Any, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # public, read-only, no cookies used
    return response


def _error(status: int, message: str) -> JsonResponse:
    return _json({"error": message}, status=status)


def rate_limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ip = ratelimit.client_ip(request)
        if ratelimit.hit(API_PER_IP, ip) > API_PER_IP.limit:
            response = _error(429, "请求过于频繁，请稍后再试")
            response["Retry-After"] = str(API_PER_IP.window)
            return response
        return view(request, *args, **kwargs)

    return wrapper


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def _abs(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def organization_ref(org: Organization) -> dict[str, Any]:
    return {"id": org.pk, "name": org.name}


def summary(request: HttpRequest, pub: Publication) -> dict[str, Any]:
    """One item of a list (the fields of the §5.3 metadata block)."""
    return {
        "id": pub.pk,
        "index_number": pub.index_number,
        "title": pub.title,
        "kind": pub.kind,
        "organization": organization_ref(pub.organization),
        "document_number": pub.document_number,
        "written_on": _date(pub.written_on),
        "published_on": _date(pub.published_on),
        "topic": pub.topic,
        "topic_label": topic_label(pub.topic) if pub.topic else "",
        "genre": pub.genre,
        "statutory_category": pub.statutory_category,
        "normative_kind": pub.normative_kind,
        "validity": pub.validity if pub.is_normative else "",
        "summary": pub.summary,
        "url": _abs(request, reverse("portal:publication", args=[pub.pk])),
        "api_url": _abs(request, reverse("portal:api_publication", args=[pub.pk])),
    }


def _ref(request: HttpRequest, pub: Publication) -> dict[str, Any]:
    return {
        "id": pub.pk,
        "title": pub.title,
        "api_url": _abs(request, reverse("portal:api_publication", args=[pub.pk])),
    }


def detail(request: HttpRequest, pub: Publication) -> dict[str, Any]:
    data = summary(request, pub)
    interprets = interpretation = None
    if pub.kind == Kind.INTERPRETATION:
        link = getattr(pub, "interpretation", None)
        if link is not None:
            media = interpretation_media(link)
            interpretation = {
                "form": link.form,
                "media_url": media["url"] if media else "",
                "speaker": link.speaker,
            }
            if link.document.status == Status.PUBLISHED:
                interprets = _ref(request, link.document)
    links = selectors.validity_links(pub)
    data.update(
        {
            "keywords": pub.keywords,
            "source": pub.source,
            "effective_on": _date(pub.effective_on),
            "expires_on": _date(pub.expires_on),
            "ceased_on": _date(pub.ceased_on),
            "body_html": pub.body,
            "attachments": [
                {
                    "title": a.title,
                    "file_type": a.file_type,
                    "page_count": a.page_count,
                    "url": _abs(request, reverse("portal:attachment", args=[pub.pk, a.pk])),
                }
                for a in pub.attachments.exclude(public_file="")
            ],
            "interpretations": [_ref(request, p) for p in selectors.interpretations_of(pub)],
            "interprets": interprets,
            "interpretation": interpretation,
            "amends": _ref(request, links.amends) if links.amends else None,
            "amended_by": [_ref(request, p) for p in links.amended_by],
            "current_version": _ref(request, links.current) if links.current else None,
            "repeals": [_ref(request, p) for p in links.repeals],
            "repealed_by": [_ref(request, p) for p in links.repealed_by],
        }
    )
    return data


def _int(value: str | None, default: int) -> int | None:
    if value in (None, ""):
        return default
    try:
        return int(str(value))
    except ValueError:
        return None


@require_GET
@rate_limited
def publication_list(request: HttpRequest) -> HttpResponse:
    page_no = _int(request.GET.get("page"), 1)
    per_page = _int(request.GET.get("per_page"), DEFAULT_PER_PAGE)
    org = _int(request.GET.get("organization"), 0)
    if page_no is None or per_page is None or org is None or page_no < 1:
        return _error(400, "参数格式不正确")
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    base = Publication.objects.published()
    form = ListFilterForm(request.GET, years=years_of(base))
    if not form.is_valid():
        return _error(400, "筛选条件无效：" + "、".join(sorted(form.errors)))
    filters = form.filters(organization=org or None)
    kind = request.GET.get("kind", "")
    if kind and kind not in Kind.values:
        return _error(400, "筛选条件无效：kind")
    qs = selectors.public_list(filters)
    if kind:
        qs = qs.filter(kind=kind)
    paginator = Paginator(qs, per_page)
    try:
        page = paginator.page(page_no)
    except EmptyPage:
        if page_no != 1:
            return _error(404, "页码超出范围")
        page = paginator.page(1) if paginator.count else None  # type: ignore[assignment]

    def link(number: int) -> str:
        params = request.GET.copy()
        params["page"] = str(number)
        return _abs(request, f"{request.path}?{params.urlencode()}")

    return _json(
        {
            "count": paginator.count,
            "page": page_no,
            "per_page": per_page,
            "num_pages": paginator.num_pages,
            "next": link(page_no + 1) if page and page.has_next() else None,
            "previous": link(page_no - 1) if page and page.has_previous() else None,
            "results": [summary(request, p) for p in (page.object_list if page else [])],
        }
    )


@require_GET
@rate_limited
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pub = selectors.public_publication(pk)
    if pub is None:
        return _error(404, "未找到该政府信息")
    if pub.status == Status.WITHDRAWN:
        return _json(
            {
                "error": "该政府信息已撤回",
                "withdrawn_on": _date(pub.withdrawn_at.date() if pub.withdrawn_at else None),
                "withdrawal_reason": pub.withdrawal_reason,
            },
            status=410,
        )
    return _json(detail(request, pub))


@require_GET
@rate_limited
def organization_list(request: HttpRequest) -> HttpResponse:
    orgs = Organization.objects.filter(is_active=True).order_by("path")
    return _json(
        {
            "results": [
                {
                    **organization_ref(o),
                    "column_url": _abs(request, reverse("portal:column", args=[o.pk])),
                    "feed_url": _abs(request, reverse("portal:org_feed", args=[o.pk])),
                }
                for o in orgs
            ]
        }
    )


@require_GET
def openapi_document(request: HttpRequest) -> HttpResponse:
    from gongkai.portal.openapi import document

    body = json.dumps(document(_abs(request, "/api/v1")), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response
