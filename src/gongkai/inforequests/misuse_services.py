"""The officer's decisions on misuse flags (第三十五条, 第三十六条第（六）项) and on 第四十四条
suggestions: atomic, permission-checked, audited. The system flags; a person decides."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.services import audit_record
from gongkai.inforequests.misuse_selectors import (
    group_decision,
    misuse_flags,
    suggestion_group,
)
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.models_ledger import (
    DisclosureSuggestionDecision,
    MisuseDecision,
    MisuseKind,
    MisuseVerdict,
    SuggestionPublication,
    SuggestionVerdict,
)
from gongkai.orgs.constants import Action
from gongkai.orgs.models import Organization, User
from gongkai.orgs.permissions import can, scope
from gongkai.publications.constants import DisclosureAttribute, Status
from gongkai.publications.models import Publication


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
    *,
    actor: User,
    organization: Organization,
    key: str,
    verdict: str,
    reason: str = "",
    publications: Sequence[Publication] = (),
) -> DisclosureSuggestionDecision:
    """Mark a 第四十四条 suggestion as converted to proactive disclosure or dismissed. A
    conversion may name the publication(s) that made the information 主动公开 now, or later
    (`suggestion_link_publication`) when the item is still to be drafted."""
    if not can(actor, Action.WORK, organization):
        raise PermissionDenied(_("没有处理该机关建议的权限"))
    if verdict not in SuggestionVerdict.values:
        raise ValidationError(_("请选择处理方式。"))
    if verdict == SuggestionVerdict.DISMISSED and not reason.strip():
        raise ValidationError(_("不予转为主动公开的，请填写理由。"))
    if verdict != SuggestionVerdict.CONVERTED and publications:
        raise ValidationError(_("只有转为主动公开的建议可以关联公开信息。"))
    # One decision at a time per organisation: two officers deciding the same group under
    # two keys (before and after its earliest application left the window) must not both pass.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    today = timezone.localdate()
    group = suggestion_group(organization, key, today)
    if group is None:
        raise ValidationError(_("该建议已不存在。"))
    if group_decision(organization, group, today) is not None:
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
    if publications:
        suggestion_link_publications(actor=actor, decision=decision, publications=publications)
    return decision


@transaction.atomic
def suggestion_link_publications(
    *, actor: User, decision: DisclosureSuggestionDecision, publications: Sequence[Publication]
) -> list[SuggestionPublication]:
    """Name several publications on one decision: all of them or, if one is refused, none."""
    if not publications:
        raise ValidationError(_("请填写已发布信息的索引号，或选择尚未发布的信息。"))
    return [
        suggestion_link_publication(actor=actor, decision=decision, publication=publication)
        for publication in publications
    ]


@transaction.atomic
def suggestion_link_publication(
    *, actor: User, decision: DisclosureSuggestionDecision, publication: Publication
) -> SuggestionPublication:
    """Name the publication that made a converted suggestion's information 主动公开 (第四十四条),
    so that anyone can check it was published. Only a 主动公开 item of the same organisation
    that the officer may see, and not already named for another suggestion: one conversion is
    counted once (a 第十八条 conversion named here counts under 第四十四条 only)."""
    organization = decision.organization
    if not can(actor, Action.WORK, organization):
        raise PermissionDenied(_("没有处理该机关建议的权限"))
    if decision.verdict != SuggestionVerdict.CONVERTED:
        raise ValidationError(_("只有转为主动公开的建议可以关联公开信息。"))
    if publication.organization_id != organization.pk:
        raise ValidationError(_("只能关联%(org)s自己的公开信息。") % {"org": organization.name})
    if not scope(Publication.objects.filter(pk=publication.pk), actor, Action.VIEW).exists():
        raise PermissionDenied(_("没有查看该公开信息的权限"))
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if publication.status == Status.WITHDRAWN:
        raise ValidationError(
            _("“%(title)s”已撤回，不能作为已主动公开的依据。") % {"title": publication.title}
        )
    converted = publication.converted_to_proactive_on
    decided_year = timezone.localtime(decision.decided_at).year
    if converted is not None and converted.year < decided_year:
        # Its year's 第十八条 figure is closed: counting it now under 第四十四条 of a later
        # year would change a published annual report (条例第五十条).
        raise ValidationError(
            _(
                "该信息已于%(year)s年经定期评估转为主动公开并计入当年第十八条数字，不能再计入第四十四条。"
            )
            % {"year": converted.year}
        )
    if publication.disclosure_attribute != DisclosureAttribute.PROACTIVE or publication.status in (
        Status.WITHDRAWN,
        Status.NOT_PUBLISHED,
    ):
        raise ValidationError(
            _(
                "“%(title)s”不是主动公开的信息；依申请公开或不予公开的信息请先经定期评估转为主动公开（第十八条）。"
            )
            % {"title": publication.title}
        )
    existing = SuggestionPublication.objects.filter(publication=publication).first()
    if existing is not None:
        if existing.decision_id == decision.pk:
            raise ValidationError(_("该公开信息已关联本建议。"))
        raise ValidationError(_("该公开信息已关联另一条转为主动公开的建议，不能重复计数。"))
    link = SuggestionPublication.objects.create(
        decision=decision, publication=publication, actor=actor
    )
    audit_record(
        actor=actor,
        verb="inforequest.suggestion_publication_linked",
        obj=decision,
        organization=organization,
        after={
            "publication": publication.pk,
            "index_number": publication.index_number or "",
            "title": publication.title,
            "converted_to_proactive_on": publication.converted_to_proactive_on,
        },
    )
    return link


@transaction.atomic
def suggestion_unlink_publication(*, actor: User, link: SuggestionPublication, reason: str) -> None:
    """Undo a wrong link, with the reason: the item then counts again as what it is (a
    第十八条 conversion, or nothing if it was proactive from the start)."""
    decision = link.decision
    if not can(actor, Action.WORK, decision.organization):
        raise PermissionDenied(_("没有处理该机关建议的权限"))
    if not reason.strip():
        raise ValidationError(_("请填写取消关联的理由。"))
    locked = (
        SuggestionPublication.objects.select_for_update()
        .select_related("publication")
        .filter(pk=link.pk)
        .first()
    )
    if locked is None:  # undone meanwhile by someone else: one undo, one audit event
        raise ValidationError(_("该关联已取消。"))
    publication = locked.publication
    deleted, _rows = SuggestionPublication.objects.filter(pk=locked.pk).delete()
    if deleted != 1:
        raise ValidationError(_("该关联已取消。"))
    audit_record(
        actor=actor,
        verb="inforequest.suggestion_publication_unlinked",
        obj=decision,
        organization=decision.organization,
        before={
            "publication": publication.pk,
            "index_number": publication.index_number or "",
            "title": publication.title,
        },
        reason=reason.strip(),
    )
