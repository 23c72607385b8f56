"""Every change to a 行政复议 or 行政诉讼 record: atomic, permission-checked, audited.

The audit log records dates, results, the 复议机关 or court and the linked application's id,
never the applicant's name or the free-text notes (personal data).
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.appeals.constants import AppealResult, LitigationRoute
from gongkai.appeals.models import AppealCase, Litigation, Reconsideration
from gongkai.audit.services import audit_record
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.constants import Action
from gongkai.orgs.models import Organization, User
from gongkai.orgs.permissions import can

C = TypeVar("C", Reconsideration, Litigation)


def _require_work(actor: User, organization: Organization) -> None:
    if not can(actor, Action.WORK, organization):
        raise PermissionDenied(_("没有办理该机关行政复议、行政诉讼案件的权限"))


def _check_filing(
    organization: Organization,
    filed_on: date,
    info_request: InfoRequest | None,
    applicant_name: str,
    authority: str,
    authority_label: str,
) -> None:
    if not applicant_name.strip():
        raise ValidationError(_("请填写申请人（原告）。"))
    if not authority.strip():
        raise ValidationError(_("请填写%(field)s。") % {"field": authority_label})
    if filed_on > timezone.localdate():
        raise ValidationError(_("申请（立案）日期不能晚于今天。"))
    if info_request is not None:
        if info_request.organization_id != organization.pk:
            raise ValidationError(_("所涉政府信息公开申请不属于该机关。"))
        if filed_on < info_request.received_on:
            raise ValidationError(
                _("申请（立案）日期不能早于所涉申请的收到之日（%(received_on)s）。")
                % {"received_on": info_request.received_on.isoformat()}
            )


def _check_decision(filed_on: date, decided_on: date | None, result: str) -> AppealResult:
    """尚未审结 exactly when there is no decision date; a decision date lies between the
    filing date and today."""
    if result not in AppealResult.values:
        raise ValidationError(_("结果无效。"))
    outcome = AppealResult(result)
    if decided_on is None:
        if outcome != AppealResult.PENDING:
            raise ValidationError(_("已有结果的案件须填写决定（裁判）日期。"))
        return outcome
    if outcome == AppealResult.PENDING:
        raise ValidationError(_("已作出决定（裁判）的案件，结果不能为“尚未审结”。"))
    if decided_on < filed_on:
        raise ValidationError(_("决定（裁判）日期不能早于申请（立案）日期。"))
    if decided_on > timezone.localdate():
        raise ValidationError(_("决定（裁判）日期不能晚于今天。"))
    return outcome


def _audited(case: AppealCase) -> dict[str, Any]:
    """What the audit log keeps of a case: no applicant name, no notes."""
    data: dict[str, Any] = {
        "case_number": case.case_number,
        "filed_on": case.filed_on.isoformat(),
        "decided_on": case.decided_on.isoformat() if case.decided_on else None,
        "result": case.result,
        "info_request": case.info_request_id,
    }
    if isinstance(case, Reconsideration):
        data["body"] = case.body
    elif isinstance(case, Litigation):
        data.update(court=case.court, route=case.route, reconsideration=case.reconsideration_id)
    return data


@transaction.atomic
def reconsideration_record(
    *,
    actor: User,
    organization: Organization,
    applicant_name: str,
    body: str,
    filed_on: date,
    case_number: str = "",
    info_request: InfoRequest | None = None,
    decided_on: date | None = None,
    result: str = AppealResult.PENDING,
    notes: str = "",
) -> Reconsideration:
    """Record a 行政复议 case against `organization` (条例第五十一条), pending or, for a case
    entered afterwards, already decided."""
    _require_work(actor, organization)
    _check_filing(organization, filed_on, info_request, applicant_name, body, _("复议机关"))
    outcome = _check_decision(filed_on, decided_on, result)
    case = Reconsideration.objects.create(
        organization=organization,
        info_request=info_request,
        applicant_name=applicant_name.strip(),
        body=body.strip(),
        case_number=case_number.strip(),
        filed_on=filed_on,
        decided_on=decided_on,
        result=outcome,
        notes=notes,
    )
    audit_record(
        actor=actor,
        verb="appeals.reconsideration.recorded",
        obj=case,
        organization=organization,
        after=_audited(case),
    )
    return case


def _decide(actor: User, model: type[C], pk: int, result: str, decided_on: date) -> C:
    """Record a decision on a case, or correct one recorded earlier (the audit keeps both)."""
    case = model.objects.select_for_update().get(pk=pk)
    _require_work(actor, case.organization)
    before = _audited(case)
    case.result = _check_decision(case.filed_on, decided_on, result)
    case.decided_on = decided_on
    case.save(update_fields=["result", "decided_on"])
    audit_record(
        actor=actor,
        verb=f"appeals.{model._meta.model_name}.decided",
        obj=case,
        organization=case.organization,
        before=before,
        after=_audited(case),
    )
    return case


@transaction.atomic
def reconsideration_decide(
    *, actor: User, reconsideration: Reconsideration, result: str, decided_on: date
) -> Reconsideration:
    """Record the 复议决定 (or correct a decision recorded earlier; the audit log keeps both)."""
    return _decide(actor, Reconsideration, reconsideration.pk, result, decided_on)


@transaction.atomic
def litigation_record(
    *,
    actor: User,
    organization: Organization,
    applicant_name: str,
    court: str,
    route: str,
    filed_on: date,
    case_number: str = "",
    info_request: InfoRequest | None = None,
    reconsideration: Reconsideration | None = None,
    decided_on: date | None = None,
    result: str = AppealResult.PENDING,
    notes: str = "",
) -> Litigation:
    """Record a 行政诉讼 case against `organization` (条例第五十一条). A suit brought after
    行政复议 may name that reconsideration; it must be about the same organisation's
    disclosure work (the case counts in that organisation's report) and the same application."""
    _require_work(actor, organization)
    if route not in LitigationRoute.values:
        raise ValidationError(_("请选择起诉方式。"))
    if reconsideration is not None:
        if route != LitigationRoute.AFTER_RECONSIDERATION:
            raise ValidationError(_("未经复议直接起诉的案件不能关联行政复议。"))
        if reconsideration.organization_id != organization.pk:
            raise ValidationError(_("关联的行政复议不属于该机关。"))
        if filed_on < reconsideration.filed_on:
            raise ValidationError(_("起诉日期不能早于关联的行政复议申请日期。"))
        if info_request is None:
            info_request = reconsideration.info_request
        elif reconsideration.info_request_id not in (None, info_request.pk):
            raise ValidationError(_("关联的行政复议涉及另一件政府信息公开申请。"))
    _check_filing(organization, filed_on, info_request, applicant_name, court, _("法院"))
    outcome = _check_decision(filed_on, decided_on, result)
    case = Litigation.objects.create(
        organization=organization,
        info_request=info_request,
        reconsideration=reconsideration,
        applicant_name=applicant_name.strip(),
        court=court.strip(),
        route=LitigationRoute(route),
        case_number=case_number.strip(),
        filed_on=filed_on,
        decided_on=decided_on,
        result=outcome,
        notes=notes,
    )
    audit_record(
        actor=actor,
        verb="appeals.litigation.recorded",
        obj=case,
        organization=organization,
        after=_audited(case),
    )
    return case


@transaction.atomic
def litigation_decide(
    *, actor: User, litigation: Litigation, result: str, decided_on: date
) -> Litigation:
    """Record the judgment or ruling (or correct one recorded earlier; the audit log keeps
    both)."""
    return _decide(actor, Litigation, litigation.pk, result, decided_on)
