"""/search/: full-text search of the published catalog through gongkai.search.api. The query is
normalised there (繁体, full-width forms, 文号 brackets), so 長府辦〔2020〕12號 and
长府办[2020]12号 find the same document. Facets are plain filter links (no JavaScript)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from gongkai.publications.constants import StatutoryCategory, Validity
from gongkai.publications.topics import topic_label
from gongkai.search import api as search_api

FILTERS = ("organization", "year", "topic", "category", "validity")
MAX_QUERY = 100
PER_PAGE = 20
FACET_TITLES = {
    "organization": _("发布机构"),
    "year": _("发布年份"),
    "topic": _("主题分类"),
    "category": _("法定主动公开内容"),
    "validity": _("有效性"),
}


def _label(name: str, value: object, results: search_api.SearchResults) -> str:
    if name == "organization":
        return results.organization_names.get(int(str(value)), str(value))
    if name == "topic":
        return topic_label(str(value))
    if name == "category" and value in StatutoryCategory.values:
        return str(StatutoryCategory(value).label)
    if name == "validity" and value in Validity.values:
        return str(Validity(value).label)
    return str(value)


def _url(params: dict[str, str], **changes: str | None) -> str:
    merged: dict[str, str | None] = {k: v for k, v in params.items() if k != "page"}
    merged.update(changes)
    return "?" + urlencode({k: v for k, v in merged.items() if v})


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    params = {"q": query}
    filters: dict[str, str] = {}
    for name in FILTERS:
        value = request.GET.get(name, "").strip()
        if name in ("organization", "year") and not value.isdigit():
            value = ""
        if value:
            filters[name] = value
            params[name] = value
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    context: dict[str, Any] = {"query": query, "results": None}
    if query or filters:
        filters_for_api: dict[str, object] = {"kind": "publication", **filters}
        results = search_api.search(query, filters=filters_for_api, page=page, per_page=PER_PAGE)
        facets = []
        for name in FILTERS:
            values = results.facets.get(name, [])
            if name in filters:
                active = _label(name, filters[name], results)
                facets.append(
                    {
                        "title": FACET_TITLES[name],
                        "active": active,
                        "remove_url": _url(params, **{name: None}),
                        "values": [],
                    }
                )
            elif values:
                facets.append(
                    {
                        "title": FACET_TITLES[name],
                        "values": [
                            {
                                "label": _label(name, value, results),
                                "count": count,
                                "url": _url(params, **{name: str(value)}),
                            }
                            for value, count in values[:12]
                        ],
                    }
                )
        context.update(
            {
                "results": results,
                "facets": facets,
                "previous_url": _url(params, page=str(page - 1)) if results.has_previous else "",
                "next_url": _url(params, page=str(page + 1)) if results.has_next else "",
            }
        )
    return render(request, "portal/search.html", context)
