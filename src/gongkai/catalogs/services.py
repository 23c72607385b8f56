"""Every write of 标准目录 and of the register of filed 公文: atomic, permission-checked, audited.

The Excel import of an existing publication catalog is in `imports.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.catalogs.constants import Channel
from gongkai.catalogs.models import (
    Adoption,
    CatalogItem,
    Domain,
    FiledDocument,
    PublicationItem,
)
from gongkai.orgs.constants import Action
from gongkai.orgs.models import Organization, User
from gongkai.orgs.permissions import AdminCapability, can, has_admin_capability
from gongkai.publications.constants import DisclosureAttribute
from gongkai.publications.models import Publication
from gongkai.publications.rules import document_number_key

ITEM_FIELDS = (
    "domain",
    "code",
    "item",
    "sub_item",
    "content",
    "basis",
    "time_limit",
    "subject",
    "channels",
    "audience_public",
    "audience_specific",
    "method_proactive",
    "method_on_request",
    "level_county",
    "level_township",
)
FILED_FIELDS = (
    "year",
    "document_number",
    "title",
    "filed_on",
    "disclosure_attribute",
    "withholding_reason",
    "withholding_note",
    "publication",
)


def _require(actor: User, action: str, organization: Organization, message: str) -> None:
    if not can(actor, action, organization):
        raise PermissionDenied(message)


# --- the code list of areas --------------------------------------------------------------------
@transaction.atomic
def domain_create(*, actor: User, code: str, name: str, note: str = "") -> Domain:
    """A locality adds an area beyond the 26 (RULES.md §4: 统计, 交通运输, …). The code list is
    configuration, kept by the system administrator."""
    if not has_admin_capability(actor, AdminCapability.MANAGE_ORGANIZATIONS):
        raise PermissionDenied("只有系统管理员可以维护领域代码")
    domain = Domain(code=code.strip(), name=name.strip(), note=note.strip())
    domain.full_clean()
    domain.save()
    audit_record(
        actor=actor, verb="catalog.domain_created", obj=domain, after={"code": code, "name": name}
    )
    return domain


# --- catalog items -----------------------------------------------------------------------------
def _clean_item(item: CatalogItem) -> None:
    unknown = set(item.channels) - set(Channel.values)
    if unknown:
        raise ValidationError({"channels": "公开渠道和载体无效：" + "、".join(sorted(unknown))})
    if not (item.audience_public or item.audience_specific):
        raise ValidationError("请选择公开对象（全社会或特定群众）")
    if not (item.method_proactive or item.method_on_request):
        raise ValidationError("请选择公开方式（主动或依申请公开）")
    if not (item.level_county or item.level_township):
        raise ValidationError("请选择公开层级（县级或乡级）")
    item.full_clean()


@transaction.atomic
def catalog_item_create(
    *, actor: User, organization: Organization, data: dict[str, Any]
) -> CatalogItem:
    """A local item compiled by `organization` (its own 标准目录 beyond the standard guide)."""
    _require(actor, Action.WORK, organization, "没有为该单位编制目录事项的权限")
    item = CatalogItem(organization=organization)
    for field in ITEM_FIELDS:
        if field in data:
            setattr(item, field, data[field])
    _clean_item(item)
    item.save()
    audit_record(
        actor=actor,
        verb="catalog.item_created",
        obj=item,
        organization=organization,
        after={"domain": item.domain.code, "item": str(item)},
    )
    return item


def _may_use(actor: User, item: CatalogItem, organization: Organization) -> None:
    if item.organization_id not in (None, organization.pk):
        # Another organisation's local item is not offered and may not be adopted.
        raise PermissionDenied("不能采用其他单位编制的事项")


@transaction.atomic
def item_adopt(*, actor: User, organization: Organization, item: CatalogItem) -> Adoption:
    _require(actor, Action.WORK, organization, "没有为该单位采用目录事项的权限")
    _may_use(actor, item, organization)
    adoption, created = Adoption.objects.get_or_create(
        organization=organization, item=item, defaults={"adopted_by": actor}
    )
    if created:
        audit_record(
            actor=actor,
            verb="catalog.item_adopted",
            obj=item,
            organization=organization,
            after={"item": str(item)},
        )
    return adoption


@transaction.atomic
def item_unadopt(*, actor: User, organization: Organization, item: CatalogItem) -> None:
    """Take an item out of the organisation's catalog. Links of its publications to the item
    are removed with it (they are kept in the audit log)."""
    _require(actor, Action.WORK, organization, "没有为该单位调整目录事项的权限")
    deleted, _ = Adoption.objects.filter(organization=organization, item=item).delete()
    if not deleted:
        return
    links = PublicationItem.objects.filter(item=item, publication__organization=organization)
    unlinked = list(links.values_list("publication_id", flat=True))
    links.delete()
    audit_record(
        actor=actor,
        verb="catalog.item_unadopted",
        obj=item,
        organization=organization,
        before={"item": str(item), "linked_publications": unlinked},
    )


# --- publications fulfil items -------------------------------------------------------------------
@transaction.atomic
def publication_items_set(
    *, actor: User, publication: Publication, items: Iterable[CatalogItem]
) -> list[int]:
    """The catalog items `publication` fulfils; only items its organisation adopted."""
    org = publication.organization
    _require(actor, Action.WORK, org, "没有修改该信息目录归属的权限")
    wanted = {i.pk for i in items}
    adopted = set(
        Adoption.objects.filter(organization=org, item_id__in=wanted).values_list(
            "item_id", flat=True
        )
    )
    if wanted - adopted:
        raise ValidationError("只能关联本单位已采用的目录事项")
    current = set(
        PublicationItem.objects.filter(publication=publication).values_list("item_id", flat=True)
    )
    if current == wanted:
        return sorted(current)
    PublicationItem.objects.filter(publication=publication, item_id__in=current - wanted).delete()
    PublicationItem.objects.bulk_create(
        [
            PublicationItem(publication=publication, item_id=i, linked_by=actor)
            for i in wanted - current
        ]
    )
    audit_record(
        actor=actor,
        verb="catalog.publication_items_set",
        obj=publication,
        organization=org,
        before={"items": sorted(current)},
        after={"items": sorted(wanted)},
    )
    return sorted(wanted)


# --- register of filed 公文 ----------------------------------------------------------------------
def _apply_filed(doc: FiledDocument, data: dict[str, Any]) -> dict[str, Any]:
    changed: dict[str, Any] = {}
    for field in FILED_FIELDS:
        if field in data and getattr(doc, field) != data[field]:
            setattr(doc, field, data[field])
            value = data[field]
            changed[field] = value.pk if isinstance(value, Publication) else value
    doc.document_number = doc.document_number.strip()
    doc.document_number_key = document_number_key(doc.document_number)
    doc.withholding_note = (doc.withholding_note or "").strip()
    if doc.disclosure_attribute == DisclosureAttribute.PROACTIVE:
        doc.withholding_reason = ""
        doc.withholding_note = ""
    elif not doc.withholding_reason or not doc.withholding_note:
        raise ValidationError(
            {"withholding_reason": "依申请公开或不予公开的公文须选择理由并写明说明"}
        )
    if doc.filed_on is not None and doc.filed_on.year != doc.year:
        raise ValidationError({"filed_on": "备案日期须在所填年度内"})
    pub = doc.publication
    if pub is not None:
        if pub.organization_id != doc.organization_id:
            raise ValidationError({"publication": "只能关联本单位的政府信息"})
        if doc.disclosure_attribute != DisclosureAttribute.PROACTIVE:
            raise ValidationError({"publication": "只有主动公开的公文可以关联已公开的信息"})
    doc.full_clean(exclude=["created_by", "publication"])
    return changed


@transaction.atomic
def filed_document_create(
    *, actor: User, organization: Organization, data: dict[str, Any]
) -> FiledDocument:
    _require(actor, Action.WORK, organization, "没有为该单位登记备案公文的权限")
    doc = FiledDocument(organization=organization, created_by=actor)
    _apply_filed(doc, data)
    doc.save()
    audit_record(
        actor=actor,
        verb="filed_document.created",
        obj=doc,
        organization=organization,
        after={
            "document_number": doc.document_number,
            "year": doc.year,
            "disclosure_attribute": doc.disclosure_attribute,
        },
    )
    return doc


@transaction.atomic
def filed_document_update(
    *, actor: User, document: FiledDocument, data: dict[str, Any]
) -> FiledDocument:
    _require(actor, Action.WORK, document.organization, "没有修改该备案公文的权限")
    doc = FiledDocument.objects.select_for_update().get(pk=document.pk)
    before = {"disclosure_attribute": doc.disclosure_attribute, "publication": doc.publication_id}
    changed = _apply_filed(doc, data)
    doc.save()
    audit_record(
        actor=actor,
        verb="filed_document.updated",
        obj=doc,
        organization=doc.organization,
        before=before,
        after=changed,
    )
    return doc


@transaction.atomic
def filed_document_delete(*, actor: User, document: FiledDocument, reason: str) -> None:
    _require(actor, Action.WORK, document.organization, "没有删除该备案公文的权限")
    if not reason.strip():
        raise ValidationError("请说明删除理由")
    audit_record(
        actor=actor,
        verb="filed_document.deleted",
        obj=document,
        organization=document.organization,
        before={"document_number": document.document_number, "year": document.year},
        reason=reason.strip(),
    )
    document.delete()
