"""The one way to write the audit log. Every service that changes something calls audit_record()
inside its transaction, so the event exists exactly when the change does."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from gongkai.audit.chain import HASHED_FIELDS, event_hash
from gongkai.audit.context import current_origin
from gongkai.audit.models import AuditEvent, Outcome

_PG_LOCK_KEY = 7_412_301  # arbitrary, constant: serialises chain appends across processes


def _jsonable(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    # Round-trip so that what is hashed is exactly what the JSON column gives back.
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def audit_record(
    *,
    actor: Any,
    verb: str,
    obj: Model | None = None,
    organization: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    outcome: str = Outcome.SUCCESS,
    reason: str = "",
    actor_name: str = "",
) -> AuditEvent:
    """Append one event. `actor` may be None (anonymous citizen, system task) or a user."""
    origin = current_origin()
    is_user = actor is not None and getattr(actor, "pk", None) is not None
    fields: dict[str, Any] = {
        "actor_id": actor.pk if is_user else None,
        "actor_name": (actor.get_username() if is_user else actor_name)[:150],
        "organization_id": getattr(organization, "pk", None),
        "verb": verb,
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "object_repr": str(obj)[:200] if obj is not None else "",
        "before": _jsonable(before),
        "after": _jsonable(after),
        "outcome": outcome,
        "reason": reason[:300],
        "ip": origin.ip,
    }
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        prev_hash = last or ""
        fields["created_at"] = timezone.now()
        assert set(HASHED_FIELDS) <= set(fields)
        event = AuditEvent(
            **fields,
            user_agent=origin.user_agent,
            prev_hash=prev_hash,
            hash=event_hash(prev_hash, fields),
        )
        event.save()
    return event
