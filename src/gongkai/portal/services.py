"""Writes of the portal app: audited, permission-checked."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.orgs.models import Organization, User
from gongkai.orgs.permissions import can_edit_organization
from gongkai.portal.models import DisclosureGuide

GUIDE_MAX_CHARS = 20_000


@transaction.atomic
def guide_save(*, actor: User, organization: Organization, text: str) -> DisclosureGuide | None:
    """Store the 指南 text an organisation admin edited (条例第十二条). An empty text goes back
    to the generated one. Whoever may edit the organisation's data (its admin, the system
    administrator) may edit its 指南."""
    if not can_edit_organization(actor, organization):
        raise PermissionDenied("只有本单位管理员可以编辑政府信息公开指南")
    text = text.replace("\r\n", "\n").strip()
    if len(text) > GUIDE_MAX_CHARS:
        raise ValidationError(f"指南正文不能超过{GUIDE_MAX_CHARS}字")
    stored = DisclosureGuide.objects.select_for_update().filter(organization=organization).first()
    before = {"text": stored.text if stored else ""}
    if not text:
        if stored is not None:
            stored.delete()
            audit_record(
                actor=actor,
                verb="guide.reset",
                obj=organization,
                organization=organization,
                before=before,
            )
        return None
    if stored is None:
        stored = DisclosureGuide(organization=organization)
    elif stored.text == text:
        return stored
    stored.text = text
    stored.updated_by = actor
    stored.save()
    audit_record(
        actor=actor,
        verb="guide.updated",
        obj=stored,
        organization=organization,
        before=before,
        after={"text": text},
    )
    return stored
