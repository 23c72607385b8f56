"""The officer's decisions on misuse flags (第三十五条, 第三十六条第（六）项) and on 第四十四条
suggestions: atomic, permission-checked, audited. The system flags; a person decides."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.services import audit_record
from gongkai.inforequests.misuse_selectors import misuse_flags, suggestion_group
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.models_ledger import (
    DisclosureSuggestionDecision,
    MisuseDecision,
    MisuseKind,
    MisuseVerdict,
    SuggestionVerdict,
)
from gongkai.orgs.constants import Action
from gongkai.orgs.models import Organization, User
from gongkai.orgs.permissions import can


def _evidence(info: InfoRequest, kind: MisuseKind) -> dict[str, Any]:
    flags = misuse_flags(info)
    if kind == MisuseKind.REPEATED:
        return {"earlier": [e.number for e in flags.repeated]}
    v = flags.volume
    return {
        "window_days": v.window_days,
        "count": v.applicant_count,
        "norm": round(v.norm, 2),
        "min_count": v.min_count,
        "factor": v.factor,
    }


@transaction.atomic
def misuse_decide(
    *, actor: User, request: InfoRequest, kind: str, verdict: str, reason: str
) -> MisuseDecision:
    """Record whether a flagged situation is real, with the reason; the evidence seen is kept
    with it. Confirming closes nothing: the officer then replies (不予处理, 第三十六条第（六）项)
    or asks the applicant for reasons (第三十五条) through the usual steps."""
    if not can(actor, Action.WORK, request.organization):
        raise PermissionDenied(_("没有办理该申请的权限"))
    if kind not in MisuseKind.values or verdict not in MisuseVerdict.values:
        raise ValidationError(_("请选择情形和认定结论。"))
    if not reason.strip():
        raise ValidationError(_("请填写认定理由。"))
    decision = MisuseDecision.objects.create(
        request=request,
        kind=kind,
        verdict=verdict,
        reason=reason.strip(),
        evidence=_evidence(request, MisuseKind(kind)),
        actor=actor,
    )
    audit_record(
        actor=actor,
        verb="inforequest.misuse_decided",
        obj=request,
        organization=request.organization,
        after={"kind": kind, "verdict": verdict, "evidence": decision.evidence},
        reason=reason.strip(),
    )
    return decision


@transaction.atomic
def suggestion_decide(
    *, actor: User, organization: Organization, key: str, verdict: str, reason: str = ""
) -> DisclosureSuggestionDecision:
    """Mark a 第四十四条 suggestion as converted to proactive disclosure or dismissed."""
    if not can(actor, Action.WORK, organization):
        raise PermissionDenied(_("没有处理该机关建议的权限"))
    if verdict not in SuggestionVerdict.values:
        raise ValidationError(_("请选择处理方式。"))
    if verdict == SuggestionVerdict.DISMISSED and not reason.strip():
        raise ValidationError(_("不予转为主动公开的，请填写理由。"))
    group = suggestion_group(organization, key, timezone.localdate())
    if group is None:
        raise ValidationError(_("该建议已不存在。"))
    if DisclosureSuggestionDecision.objects.filter(organization=organization, key=key).exists():
        raise ValidationError(_("该建议已处理。"))
    decision = DisclosureSuggestionDecision.objects.create(
        organization=organization,
        key=key,
        title=group.title[:200],
        verdict=verdict,
        reason=reason.strip(),
        request_numbers=[r.number for r in group.requests],
        actor=actor,
    )
    audit_record(
        actor=actor,
        verb="inforequest.suggestion_decided",
        obj=decision,
        organization=organization,
        after={"verdict": verdict, "title": decision.title, "requests": decision.request_numbers},
        reason=reason.strip(),
    )
    return decision
