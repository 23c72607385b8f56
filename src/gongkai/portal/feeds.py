"""RSS of newly published information, per organisation, per 第二十条 category across the
district, and per category of one organisation (Django's syndication framework). Feeds carry only catalog data, never anything of an applicant."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.orgs.models import Organization
from gongkai.publications.constants import StatutoryCategory
from gongkai.publications.models import Publication
from gongkai.publications.selectors import Filters, public_list

ITEMS = 30


class _PublicationFeed(Feed):
    def items(self, obj: Any) -> QuerySet[Publication]:
        return self._items(obj)[:ITEMS]

    def _items(self, obj: Any) -> QuerySet[Publication]:
        raise NotImplementedError

    def item_title(self, item: Publication) -> str:
        return item.title

    def item_description(self, item: Publication) -> str:
        parts = [item.organization.name]
        if item.document_number:
            parts.append(item.document_number)
        if item.summary:
            parts.append(item.summary)
        return " ".join(parts)

    def item_link(self, item: Publication) -> str:
        return reverse("portal:publication", args=[item.pk])

    def item_guid(self, item: Publication) -> str:
        return item.index_number or str(item.pk)

    item_guid_is_permalink = False

    def item_pubdate(self, item: Publication) -> datetime | None:
        if item.published_at:
            return item.published_at
        if item.published_on:
            return timezone.make_aware(datetime.combine(item.published_on, time()))
        return None

    def item_author_name(self, item: Publication) -> str:
        return item.organization.name


class OrganizationFeed(_PublicationFeed):
    def get_object(self, request: HttpRequest, org_pk: int) -> Organization:
        return get_object_or_404(Organization, pk=org_pk, is_active=True)

    def title(self, obj: Organization) -> str:
        return _("%(org)s政府信息公开") % {"org": obj.name}

    def link(self, obj: Organization) -> str:
        return reverse("portal:column", args=[obj.pk])

    def description(self, obj: Organization) -> str:
        return _("%(org)s最新主动公开的政府信息") % {"org": obj.name}

    def _items(self, obj: Organization) -> QuerySet[Publication]:
        return public_list(Filters(organization=obj.pk))


class CategoryFeed(_PublicationFeed):
    def get_object(self, request: HttpRequest, category: str) -> StatutoryCategory:
        if category not in StatutoryCategory.values:
            raise Http404
        return StatutoryCategory(category)

    def title(self, obj: StatutoryCategory) -> str:
        return _("法定主动公开内容：%(label)s") % {"label": obj.label}

    def link(self, obj: StatutoryCategory) -> str:
        return reverse("portal:district")

    def description(self, obj: StatutoryCategory) -> str:
        return _("各机关最新公开的%(label)s") % {"label": obj.label}

    def _items(self, obj: StatutoryCategory) -> QuerySet[Publication]:
        return public_list(Filters(statutory_category=obj.value))


class OrganizationCategoryFeed(_PublicationFeed):
    """One organisation's items of one 第二十条 category: what its 法定主动公开内容 page links."""

    def get_object(
        self, request: HttpRequest, org_pk: int, category: str
    ) -> tuple[Organization, StatutoryCategory]:
        if category not in StatutoryCategory.values:
            raise Http404
        org = get_object_or_404(Organization, pk=org_pk, is_active=True)
        return org, StatutoryCategory(category)

    def title(self, obj: tuple[Organization, StatutoryCategory]) -> str:
        org, category = obj
        return _("%(org)s法定主动公开内容：%(label)s") % {"org": org.name, "label": category.label}

    def link(self, obj: tuple[Organization, StatutoryCategory]) -> str:
        org, category = obj
        return reverse("portal:statutory_category", args=[org.pk, category.value])

    def description(self, obj: tuple[Organization, StatutoryCategory]) -> str:
        org, category = obj
        return _("%(org)s最新公开的%(label)s") % {"org": org.name, "label": category.label}

    def _items(self, obj: tuple[Organization, StatutoryCategory]) -> QuerySet[Publication]:
        org, category = obj
        return public_list(Filters(organization=org.pk, statutory_category=category.value))
