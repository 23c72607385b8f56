from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from gongkai.audit.models import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    verb: str = ""
    organization_id: int | None = None
    outcome: str = ""
    since: date | None = None
    until: date | None = None


def _local_midnight(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def audit_events(flt: AuditFilter) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.select_related("organization").order_by("-id")
    if flt.actor:
        qs = qs.filter(actor_name__icontains=flt.actor)
    if flt.verb:
        qs = qs.filter(verb__startswith=flt.verb)
    if flt.organization_id:
        qs = qs.filter(organization_id=flt.organization_id)
    if flt.outcome:
        qs = qs.filter(outcome=flt.outcome)
    if flt.since:
        qs = qs.filter(created_at__gte=_local_midnight(flt.since))
    if flt.until:
        qs = qs.filter(created_at__lt=_local_midnight(flt.until + timedelta(days=1)))
    return qs
