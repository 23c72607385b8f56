"""sitemap.xml: an index of the sections below — the portal's fixed pages, every active
organisation's column pages and every published item, paged (django.contrib.sitemaps;
withdrawn items drop out)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from gongkai.orgs.models import Organization
from gongkai.publications.models import Publication


class StaticSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["portal:home", "portal:district", "portal:apply", "portal:track", "portal:search"]

    def location(self, item: str) -> str:
        return reverse(item)


class ColumnSitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        for pk in (
            Organization.objects.filter(is_active=True)
            .order_by("path")
            .values_list("pk", flat=True)
        ):
            for name in ("column", "guide", "system", "statutory", "policies", "interpretations"):
                out.append((pk, name))
        return out

    def location(self, item: tuple[int, str]) -> str:
        return reverse(f"portal:{item[1]}", args=[item[0]])


class PublicationSitemap(Sitemap):
    """Published items, in pages of `limit` (the index at /sitemap.xml lists the pages)."""

    changefreq = "monthly"
    limit = 2_000

    def items(self) -> QuerySet[Any]:
        # Plain (pk, updated_at) rows: no model instances for thousands of items.
        return Publication.objects.published().order_by("pk").values_list("pk", "updated_at")

    def location(self, item: tuple[int, datetime]) -> str:
        return reverse("portal:publication", args=[item[0]])

    def lastmod(self, item: tuple[int, datetime]) -> datetime:
        return item[1]


SITEMAPS: dict[str, Any] = {
    "static": StaticSitemap,
    "columns": ColumnSitemap,
    "publications": PublicationSitemap,
}
