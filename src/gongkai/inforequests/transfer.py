"""转办: moving an application to the organisation of the same people's government that is
responsible for it. Other cases are answered under 第三十六条第（五）项 by closing the
application as 不属于本机关负责公开 and naming the responsible organisation."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.inforequests.constants import Status
from gongkai.inforequests.models import InfoRequest, Transfer
from gongkai.inforequests.release_rules import (
    OrgLink,
    government_of,
    transfer_allowed,
    transfer_keeps_receipt_date,
)
from gongkai.inforequests.services import request_refresh_clock
from gongkai.orgs.constants import Action, OrgType
from gongkai.orgs.models import Organization, User
from gongkai.orgs.permissions import can

GOVERNMENT_TYPES = (OrgType.GOVERNMENT, OrgType.TOWN)


def chain(organization: Organization) -> list[OrgLink]:
    nodes = [*Organization.objects.get_ancestors(organization), organization]
    return [OrgLink(n.pk, n.org_type in GOVERNMENT_TYPES) for n in nodes]


def transfer_targets(organization: Organization) -> QuerySet[Organization]:
    """Active organisations of the same people's government, other than this one (the same
    answer as release_rules.transfer_allowed, in two queries whatever the size of the tree)."""
    government = government_of(chain(organization))
    if government is None:
        return Organization.objects.none()
    root = Organization.objects.get(pk=government)
    tree = Organization.objects.get_tree(root).filter(is_active=True)
    # Governments below the root (乡镇) are governments of their own, with their subtrees.
    own_governments = [
        path
        for pk, path, org_type in tree.values_list("pk", "path", "org_type")
        if org_type in GOVERNMENT_TYPES and pk != root.pk
    ]
    allowed = [
        pk
        for pk, path in tree.values_list("pk", "path")
        if pk != organization.pk and not any(path.startswith(p) for p in own_governments)
    ]
    return Organization.objects.filter(pk__in=allowed).order_by("path")


@transaction.atomic
def request_transfer(
    *, actor: User, request: InfoRequest, to: Organization, reason: str, on: date | None = None
) -> Transfer:
    """Move the application; the receiving organisation sees it in its inbox. The date of
    receipt stays (release_rules.transfer_keeps_receipt_date), so the due date does not move."""
    if not can(actor, Action.WORK, request.organization):
        raise PermissionDenied("没有办理该申请的权限")
    if request.status == Status.CLOSED:
        raise ValidationError("申请已办结，不能转办。")
    if not reason.strip():
        raise ValidationError({"reason": "请写明转办理由（该信息由哪个机关负责公开）。"})
    source = request.organization
    if not to.is_active or not transfer_allowed(chain(source), chain(to)):
        raise ValidationError(
            {"to": "只能转给同一人民政府的其他机关；其他情形请按第三十六条第（五）项告知申请人。"}
        )
    assert transfer_keeps_receipt_date()
    transfer = Transfer.objects.create(
        request=request,
        from_organization=source,
        to_organization=to,
        on=on or timezone.localdate(),
        reason=reason.strip(),
        actor=actor,
    )
    request.organization = to
    request.officer = None  # the receiving organisation assigns its own officer
    request.save(update_fields=["organization", "officer"])
    result = request_refresh_clock(request)
    audit_record(
        actor=actor,
        verb="inforequest.transferred",
        obj=request,
        organization=source,
        before={"organization": source.pk, "organization_name": source.name},
        after={
            "organization": to.pk,
            "organization_name": to.name,
            "received_on": request.received_on.isoformat(),
            "due_on": str(result.due_on),
        },
    )
    return transfer
