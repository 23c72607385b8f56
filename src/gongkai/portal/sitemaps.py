"""sitemap.xml: an index of the sections below — the portal's fixed pages, every active
organisation's column pages, every published item, paged (django.contrib.sitemaps; withdrawn
items drop out), and each published annual report with its organisation's list of them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from gongkai.orgs.models import Organization
from gongkai.publications.models import Publication
from gongkai.reports.models import ReportVersion


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


class AnnualReportSitemap(Sitemap):
    """Each organisation's 政府信息公开年报 list and every year with a published report, at its
    latest publication (the URLs use the 统一社会信用代码 when there is one, as the column does)."""

    changefreq = "yearly"

    def items(self) -> list[tuple[str, int | None, datetime]]:
        latest: dict[tuple[str, int], datetime] = {}
        for credit_code, pk, year, published_at in (
            ReportVersion.objects.published()
            .filter(report__organization__is_active=True)
            .values_list(
                "report__organization__credit_code",
                "report__organization_id",
                "report__year",
                "published_at",
            )
        ):
            key = (credit_code or str(pk), year)
            assert published_at is not None  # published() only
            latest[key] = max(published_at, latest.get(key, published_at))
        out: list[tuple[str, int | None, datetime]] = []
        for org_key in sorted({k for k, _ in latest}):
            years = sorted(((y, at) for (k, y), at in latest.items() if k == org_key), reverse=True)
            out.append((org_key, None, max(at for _, at in years)))
            out += [(org_key, year, at) for year, at in years]
        return out

    def location(self, item: tuple[str, int | None, datetime]) -> str:
        org_key, year, _ = item
        if year is None:
            return reverse("portal:annual_report_list", kwargs={"org_key": org_key})
        return reverse("portal:annual_report", kwargs={"org_key": org_key, "year": year})

    def lastmod(self, item: tuple[str, int | None, datetime]) -> datetime:
        return item[2]


SITEMAPS: dict[str, Any] = {
    "static": StaticSitemap,
    "columns": ColumnSitemap,
    "publications": PublicationSitemap,
    "annual-reports": AnnualReportSitemap,
}
