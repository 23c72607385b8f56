"""Reads of 标准目录 and of the register of filed 公文, scoped to what a user may see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from gongkai.catalogs.models import Adoption, CatalogImport, CatalogItem, Domain, FiledDocument
from gongkai.catalogs.rules import FiledCounts
from gongkai.orgs.constants import Action
from gongkai.orgs.models import Organization
from gongkai.orgs.permissions import orgs_for, scope
from gongkai.publications.constants import DisclosureAttribute, Status


def domains() -> QuerySet[Domain]:
    return Domain.objects.filter(is_active=True).annotate(
        item_count=Count("items", filter=Q(items__organization__isnull=True))
    )


def items_for(organization: Organization) -> QuerySet[CatalogItem]:
    """Items `organization` may adopt: the shared standard items and its own local ones."""
    return CatalogItem.objects.filter(
        Q(organization__isnull=True) | Q(organization=organization)
    ).select_related("domain")


def visible_items(user: Any) -> QuerySet[CatalogItem]:
    """Shared items plus local items of the organisations `user` may view."""
    return CatalogItem.objects.filter(
        Q(organization__isnull=True) | Q(organization__in=orgs_for(user, Action.VIEW))
    ).select_related("domain", "organization")


def adopted_item_ids(organization: Organization) -> set[int]:
    return set(Adoption.objects.filter(organization=organization).values_list("item_id", flat=True))


def adopted_items(organization: Organization) -> QuerySet[CatalogItem]:
    return CatalogItem.objects.filter(adoptions__organization=organization).select_related("domain")


def coverage(organization: Organization, year: int) -> QuerySet[CatalogItem]:
    """Adopted items with the number of the organisation's items published in `year` that
    fulfil them (`published_count`); those with 0 are the gaps."""
    published = Q(
        publication_links__publication__organization=organization,
        publication_links__publication__status=Status.PUBLISHED,
        publication_links__publication__published_on__year=year,
    )
    return (
        adopted_items(organization)
        .annotate(published_count=Count("publication_links", filter=published))
        .order_by("published_count", "domain__code", "code", "id")
    )


def filed_documents(user: Any) -> QuerySet[FiledDocument]:
    return scope(FiledDocument.objects.all(), user, Action.VIEW).select_related(
        "organization", "publication"
    )


def filed_counts(org_ids: Iterable[int], year: int) -> dict[int, FiledCounts]:
    """主动公开率 inputs per organisation for `year`, in one GROUP BY query."""
    rows = (
        FiledDocument.objects.filter(organization_id__in=list(org_ids), year=year)
        .values("organization_id")
        .annotate(
            filed=Count("id"),
            proactive=Count("id", filter=Q(disclosure_attribute=DisclosureAttribute.PROACTIVE)),
            on_request=Count("id", filter=Q(disclosure_attribute=DisclosureAttribute.ON_REQUEST)),
            withheld=Count("id", filter=Q(disclosure_attribute=DisclosureAttribute.WITHHELD)),
            published=Count(
                "id",
                filter=Q(
                    disclosure_attribute=DisclosureAttribute.PROACTIVE,
                    publication__status=Status.PUBLISHED,
                ),
            ),
        )
    )
    return {
        r["organization_id"]: FiledCounts(
            r["filed"], r["proactive"], r["on_request"], r["withheld"], r["published"]
        )
        for r in rows
    }


def rate_table(user: Any, year: int) -> tuple[list[tuple[Organization, FiledCounts]], list[Any]]:
    """Per visible organisation, and a roll-up for each visible organisation that has visible
    organisations below it (a district over its departments and streets): the sum of counts."""
    orgs = list(orgs_for(user, Action.VIEW).order_by("path"))
    counts = filed_counts([o.pk for o in orgs], year)
    per_org = [(o, counts.get(o.pk, FiledCounts())) for o in orgs]
    rollups = []
    for parent in orgs:
        members = [(o, c) for o, c in per_org if o.path.startswith(parent.path)]
        if len(members) > 1:
            total = sum((c for _, c in members), FiledCounts())
            rollups.append((parent, total, len(members)))
    return per_org, rollups


def visible_imports(user: Any) -> QuerySet[CatalogImport]:
    """Catalog imports of the organisations the user works for, and the user's own."""
    return CatalogImport.objects.filter(
        Q(organization__in=orgs_for(user, Action.WORK)) | Q(actor_id=user.pk)
    ).select_related("organization", "actor")
