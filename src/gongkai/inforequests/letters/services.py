"""Every change to a letter: atomic, permission-checked (`gongkai.orgs.permissions`), audited.

The workflow: an officer (WORK) drafts a letter from the template in force, edits it and submits
it; a legal reviewer (LEGAL_REVIEW) of the same organisation approves it — the 文号 is allocated
then — or returns it with a comment; the officer marks the approved letter sent with its
delivery (送达). Sending an approved reply closes the application through
`gongkai.inforequests.services.request_close`, which refuses to close without an approved reply
letter for the same outcome (docs/decisions/0005-letters-close-with-reply.md).
"""

from __future__ import annotations

from datetime import date
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.core.workdays import add_workdays
from gongkai.inforequests import fees
from gongkai.inforequests.clock_events import ClockEvent
from gongkai.inforequests.constants import APPLICANT_BY_CODE, Outcome, Status
from gongkai.inforequests.letters import rules, templating, uploads
from gongkai.inforequests.letters.constants import (
    EDITABLE,
    DeliveryMethod,
    LetterKind,
    LetterStatus,
)
from gongkai.inforequests.letters.models import Delivery, Letter, LetterSequence, LetterTemplate
from gongkai.inforequests.letters.selectors import format_date, template_for
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.constants import Action
from gongkai.orgs.models import Organization, User
from gongkai.orgs.permissions import can

OPEN_REPLY_STATES = (
    LetterStatus.DRAFT,
    LetterStatus.IN_REVIEW,
    LetterStatus.RETURNED,
    LetterStatus.APPROVED,
)


def _require(actor: User, action: str, organization: Organization, message: str) -> None:
    if not can(actor, action, organization):
        raise PermissionDenied(message)


def _require_work(actor: User, letter: Letter | InfoRequest) -> None:
    _require(actor, Action.WORK, letter.organization, "没有办理该申请的权限")


def _short_outcome(outcome: str) -> str:
    # "部分公开（区分处理的，只计这一情形…）" is the report's row label; the letter says 部分公开.
    return str(Outcome(outcome).label).split("（")[0]


def _common_context(request: InfoRequest) -> dict[str, Any]:
    return {
        "applicant_name": request.applicant_name,
        "request_number": request.number,
        "received_on": format_date(request.received_on),
        "subject": request.subject,
        "document_number": request.document_number,
        "provision_form": request.get_provision_form_display(),
        "delivery_way": request.get_delivery_way_display(),
        "organization": request.organization.name,
        "today": format_date(timezone.localdate()),
    }


def _context(letter: Letter) -> dict[str, Any]:
    context = _common_context(letter.request)
    if letter.kind == LetterKind.REPLY:
        context.update(
            outcome=_short_outcome(letter.outcome),
            legal_basis=letter.legal_basis,
            reasons=letter.reasons,
            withheld=letter.withheld,
            responsible_agency=letter.responsible_agency,
            remedies=rules.remedies_text(),
        )
    else:
        names = {p.name for p in templating.BY_KIND[LetterKind(letter.kind)]}
        context.update({k: v for k, v in letter.details.items() if k in names})
    return context


def _render_body(letter: Letter) -> None:
    title, body, _own = template_for(letter.organization, _key(letter))
    letter.title = title
    letter.body = templating.render_text(body, _context(letter))


def _key(letter: Letter) -> str:
    return templating.key_for(letter.kind, letter.outcome)


# --- notice details -------------------------------------------------------------------------
def correction_details(items: str, period_workdays: int, today: date) -> dict[str, str]:
    """补正告知 (条例第三十条): what to correct, once and all together, and the period."""
    if not items.strip():
        raise ValidationError({"correction_items": "请写明需要补正的事项（一次性告知）。"})
    if period_workdays <= 0:
        raise ValidationError({"correction_period": "补正期限应为正整数个工作日。"})
    deadline = add_workdays(today, period_workdays).value
    return {
        "correction_items": items.strip(),
        "correction_period": str(period_workdays),
        "correction_deadline": format_date(deadline),
    }


def extension_details(request: InfoRequest, reason: str) -> dict[str, str]:
    """延期告知 (条例第三十三条第二款): at most 20 more workdays, once."""
    if request.due_on is None:
        raise ValidationError("该申请的答复期限暂停计算，暂不能延期。")
    already = request.events.filter(kind="extension_approved").exists()
    if already:
        extended = request.due_on
        original = _workdays_before(request.due_on, 20)
    else:
        original, extended = request.due_on, add_workdays(request.due_on, 20).value
    return {
        "extension_reason": reason.strip(),
        "original_due_on": format_date(original),
        "extended_due_on": format_date(extended),
        "extension_workdays": "20",
    }


def _workdays_before(day: date, n: int) -> date:
    """The day whose `n`-th following workday is `day` (the due date before an extension)."""
    candidate = day
    while True:
        candidate = date.fromordinal(candidate.toordinal() - 1)
        if add_workdays(candidate, n).value <= day:
            return candidate


def fee_details(method: str, quantity: int, instructions: str, today: date) -> dict[str, str]:
    """收费通知 (国办函〔2020〕109号): basis, standard, amount and how to pay (fees.py)."""
    if not instructions.strip():
        raise ValidationError({"payment_instructions": "请写明缴费方式。"})
    try:
        if method == fees.FeeMethod.BY_ITEMS:
            quote = fees.quote_by_items(quantity)
        elif method == fees.FeeMethod.BY_PAGES:
            quote = fees.quote_by_pages(quantity)
        else:
            raise ValidationError({"fee_method": "请选择计收方式。"})
    except ValueError as exc:
        raise ValidationError({"fee_quantity": str(exc)}) from exc
    return {
        "fee_method": quote.method.label,
        "fee_basis": quote.basis,
        "fee_standard": quote.standard,
        "fee_amount": fees.format_yuan(quote.amount_fen),
        "fee_breakdown": "；".join(quote.breakdown),
        "payment_deadline": format_date(fees.payment_deadline(today).value),
        "payment_instructions": instructions.strip(),
    }


# --- the workflow ---------------------------------------------------------------------------
@transaction.atomic
def letter_create(
    *,
    actor: User,
    request: InfoRequest,
    kind: str,
    outcome: str = "",
    legal_basis: str = "",
    reasons: str = "",
    withheld: str = "",
    responsible_agency: str = "",
    details: dict[str, str] | None = None,
) -> Letter:
    """Draft a letter from the organisation's template, pre-filled from the application."""
    _require_work(actor, request)
    kind = LetterKind(kind)
    if request.status == Status.CLOSED:
        raise ValidationError("申请已办结，不能再起草文书。")
    if kind == LetterKind.REPLY:
        outcome = outcome or request.outcome
        if not outcome:
            raise ValidationError({"outcome": "请选择办理结果。"})
        outcome = Outcome(outcome).value
        current = request.letters.filter(kind=LetterKind.REPLY, status__in=OPEN_REPLY_STATES)
        if current.exists():
            raise ValidationError("该申请已有尚未送达的答复书，请在其基础上修改。")
        legal_basis = (
            legal_basis.strip() or request.legal_basis or rules.default_legal_basis(outcome)
        )
        reasons = reasons.strip() or request.reasons
    else:
        outcome, legal_basis, reasons, withheld, responsible_agency = "", "", "", "", ""
        missing = [n for n in templating.REQUIRED[kind] if not (details or {}).get(n)]
        if missing:
            raise ValidationError(f"{kind.label}缺少必要内容：{'、'.join(missing)}。")
    letter = Letter(
        request=request,
        organization=request.organization,
        kind=kind,
        outcome=outcome,
        addressee=request.applicant_name,
        legal_basis=legal_basis,
        reasons=reasons,
        withheld=withheld.strip(),
        responsible_agency=responsible_agency.strip(),
        details=details or {},
        created_by=actor,
    )
    _render_body(letter)
    letter.save()
    audit_record(
        actor=actor,
        verb="inforequest.letter.drafted",
        obj=letter,
        organization=request.organization,
        after={"request": request.number, "kind": kind.value, "outcome": outcome},
    )
    return letter


def _require_editable(letter: Letter) -> None:
    if letter.status not in EDITABLE:
        raise ValidationError("文书已提交审核或已审核通过，不能再修改。")


@transaction.atomic
def letter_update(
    *,
    actor: User,
    letter: Letter,
    addressee: str,
    body: str,
    outcome: str | None = None,
    legal_basis: str | None = None,
    reasons: str | None = None,
    withheld: str | None = None,
    responsible_agency: str | None = None,
    regenerate: bool = False,
) -> Letter:
    """The officer edits a draft; `regenerate` rebuilds the text from the template with the
    edited outcome, basis and reasons (the typed text is then replaced)."""
    _require_work(actor, letter)
    _require_editable(letter)
    before = {"outcome": letter.outcome, "body": letter.body}
    if not addressee.strip():
        raise ValidationError({"addressee": "请填写主送（申请人姓名或者名称）。"})
    letter.addressee = addressee.strip()
    if letter.kind == LetterKind.REPLY:
        if outcome is not None and outcome != letter.outcome:
            letter.outcome = Outcome(outcome).value
            if legal_basis is None or legal_basis.strip() == "":
                legal_basis = rules.default_legal_basis(outcome)
        for field, value in (
            ("legal_basis", legal_basis),
            ("reasons", reasons),
            ("withheld", withheld),
            ("responsible_agency", responsible_agency),
        ):
            if value is not None:
                setattr(letter, field, value.strip())
    if regenerate:
        _render_body(letter)
    else:
        if not body.strip():
            raise ValidationError({"body": "请填写正文。"})
        letter.body = "\n".join(templating.paragraphs(body))
    letter.save()
    audit_record(
        actor=actor,
        verb="inforequest.letter.edited",
        obj=letter,
        organization=letter.organization,
        before=before,
        after={"outcome": letter.outcome, "body": letter.body, "regenerated": regenerate},
    )
    return letter


def letter_problems(letter: Letter) -> list[str]:
    """What keeps a letter from going to legal review (the law's minimum content)."""
    problems: list[str] = []
    if not letter.body.strip():
        problems.append("正文不能为空。")
    if letter.kind == LetterKind.REPLY:
        if not letter.legal_basis.strip():
            problems.append("答复书须写明法律依据（条例第三十六条）。")
        elif letter.legal_basis.strip() not in letter.body:
            problems.append("正文中须引用所填写的法律依据。")
        missing = rules.missing_remedies(letter.body)
        if missing:
            problems.append(
                "答复书须告知申请人申请行政复议、提起行政诉讼的权利和期限（条例第五十一条），"
                f"正文缺少：{'、'.join(missing)}。"
            )
        if rules.needs_withheld(letter.outcome) and not letter.withheld.strip():
            problems.append("部分公开的答复书须写明不予公开的部分及理由（条例第三十七条）。")
        # 部分公开 gives its reasons with what was withheld; 予以公开 needs none.
        no_reasons_needed = (Outcome.DISCLOSED, Outcome.PARTLY_DISCLOSED)
        if letter.outcome not in no_reasons_needed and not letter.reasons.strip():
            problems.append("请填写理由（条例第三十六条）。")
    return problems


@transaction.atomic
def letter_submit(*, actor: User, letter: Letter) -> Letter:
    _require_work(actor, letter)
    _require_editable(letter)
    problems = letter_problems(letter)
    if problems:
        raise ValidationError(problems)
    letter.status = LetterStatus.IN_REVIEW
    letter.submitted_at = timezone.now()
    letter.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        actor=actor,
        verb="inforequest.letter.submitted",
        obj=letter,
        organization=letter.organization,
        after={"status": letter.status},
    )
    return letter


def _require_review(actor: User, letter: Letter) -> None:
    _require(actor, Action.LEGAL_REVIEW, letter.organization, "没有法制审核的权限")
    if letter.status != LetterStatus.IN_REVIEW:
        raise ValidationError("该文书不在待法制审核状态。")
    if letter.created_by_id == actor.pk:
        raise ValidationError("不能审核本人起草的文书。")


def _allocate_number(letter: Letter, year: int) -> str:
    LetterSequence.objects.get_or_create(organization=letter.organization, year=year)
    seq = LetterSequence.objects.select_for_update().get(
        organization=letter.organization, year=year
    )
    seq.last += 1
    seq.save(update_fields=["last"])
    org = letter.organization
    return rules.letter_number(org.short_name or org.name, year, seq.last)


@transaction.atomic
def letter_approve(
    *, actor: User, letter: Letter, comment: str = "", on: date | None = None
) -> Letter:
    """法制审核通过: the text is frozen, the 文号 and the date of the letter are fixed.

    `on` records an approval given earlier on paper (default: today)."""
    _require_review(actor, letter)
    today = on or timezone.localdate()
    if today > timezone.localdate() or today < letter.request.received_on:
        raise ValidationError("审核日期应在收到申请之日与今天之间。")
    letter.status = LetterStatus.APPROVED
    letter.reviewed_by = actor
    letter.reviewed_at = timezone.now()
    letter.review_comment = comment.strip()
    letter.issued_on = today
    letter.number = _allocate_number(letter, today.year)
    letter.save()
    audit_record(
        actor=actor,
        verb="inforequest.letter.approved",
        obj=letter,
        organization=letter.organization,
        after={"number": letter.number, "comment": letter.review_comment},
    )
    return letter


@transaction.atomic
def letter_return(*, actor: User, letter: Letter, comment: str) -> Letter:
    """退回修改, with the reviewer's comment (required: the officer must know what to change)."""
    _require_review(actor, letter)
    if not comment.strip():
        raise ValidationError({"comment": "退回修改时请填写审核意见。"})
    letter.status = LetterStatus.RETURNED
    letter.reviewed_by = actor
    letter.reviewed_at = timezone.now()
    letter.review_comment = comment.strip()
    letter.save()
    audit_record(
        actor=actor,
        verb="inforequest.letter.returned",
        obj=letter,
        organization=letter.organization,
        after={"comment": letter.review_comment},
    )
    return letter


@transaction.atomic
def letter_mark_sent(
    *,
    actor: User,
    letter: Letter,
    method: str,
    delivered_on: date,
    tracking_number: str = "",
) -> Letter:
    """送达: record how and when. Sending an approved reply closes the application with the
    letter's outcome, legal basis and reasons on the day of delivery."""
    from gongkai.inforequests.services import request_close

    _require_work(actor, letter)
    if letter.status != LetterStatus.APPROVED:
        raise ValidationError("只有法制审核通过的文书才能送达。")
    method = DeliveryMethod(method).value
    tracking_number = tracking_number.strip()
    if method == DeliveryMethod.POST and not tracking_number:
        raise ValidationError({"tracking_number": "邮寄送达请填写邮件单号。"})
    assert letter.issued_on is not None
    if delivered_on < letter.issued_on or delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": "送达日期应在成文日期与今天之间。"})
    Delivery.objects.create(
        letter=letter,
        method=method,
        delivered_on=delivered_on,
        tracking_number=tracking_number,
        recorded_by=actor,
    )
    letter.status = LetterStatus.SENT
    letter.sent_at = timezone.now()
    letter.save(update_fields=["status", "sent_at", "updated_at"])
    audit_record(
        actor=actor,
        verb="inforequest.letter.sent",
        obj=letter,
        organization=letter.organization,
        after={
            "number": letter.number,
            "method": method,
            "delivered_on": delivered_on.isoformat(),
            "tracking_number": tracking_number,
        },
    )
    request = letter.request
    _notice_clock_step(actor, letter, delivered_on)
    if letter.kind == LetterKind.REPLY and request.status != Status.CLOSED:
        request_close(
            actor=actor,
            request=request,
            outcome=letter.outcome,
            legal_basis=letter.legal_basis,
            reasons=letter.reasons or _short_outcome(letter.outcome),
            on=delivered_on,
        )
    return letter


# A notice, once delivered, is the step it announces on the application's clock.
_NOTICE_STEPS = {
    LetterKind.CORRECTION: ClockEvent.CORRECTION_REQUESTED,  # 第三十条: the clock stops
    LetterKind.EXTENSION: ClockEvent.EXTENSION_APPROVED,  # 第三十三条第二款: 20 more workdays
    LetterKind.FEE: ClockEvent.FEE_NOTICE_SENT,  # 国办函〔2020〕109号: payment time not counted
}


def _notice_clock_step(actor: User, letter: Letter, on: date) -> None:
    """Record the notice's clock event on the day of delivery, unless the officer already
    recorded that step since the notice was issued (the console offered it before notices
    were letters)."""
    from gongkai.inforequests.services import request_add_event

    kind = _NOTICE_STEPS.get(LetterKind(letter.kind))
    request = letter.request
    if kind is None or request.status == Status.CLOSED:
        return
    if request.events.filter(kind=kind, on__gte=letter.issued_on).exists():
        return
    period = letter.details.get("correction_period", "")
    request_add_event(
        actor=actor,
        request=request,
        kind=kind,
        on=on,
        detail=f"{letter.title}（{letter.number}）"[:200],
        period_workdays=int(period) if kind == ClockEvent.CORRECTION_REQUESTED and period else None,
    )


@transaction.atomic
def delivery_attach_receipt(
    *, actor: User, letter: Letter, upload: IO[bytes], size: int | None = None
) -> Delivery:
    """Attach the scan of the signed receipt (送达回证): PDF, JPEG or PNG, checked by content."""
    _require_work(actor, letter)
    delivery = Delivery.objects.filter(letter=letter).first()
    if delivery is None:
        raise ValidationError("请先登记送达。")
    path, content_type, written = uploads.store_receipt(
        upload, size, folder=str(letter.organization_id)
    )
    before = {"receipt": delivery.receipt_path}
    delivery.receipt_path = path
    delivery.receipt_content_type = content_type
    delivery.receipt_size = written
    delivery.save(update_fields=["receipt_path", "receipt_content_type", "receipt_size"])
    audit_record(
        actor=actor,
        verb="inforequest.letter.receipt_attached",
        obj=letter,
        organization=letter.organization,
        before=before,
        after={"receipt": path, "content_type": content_type, "size": written},
    )
    return delivery


# --- templates ------------------------------------------------------------------------------
def _require_manage(actor: User, organization: Organization) -> None:
    _require(actor, Action.MANAGE, organization, "没有管理本单位文书模板的权限")


@transaction.atomic
def letter_template_save(
    *, actor: User, organization: Organization, key: str, title: str, body: str
) -> LetterTemplate:
    """An organisation's own template; refused with the reasons when it cannot be used."""
    _require_manage(actor, organization)
    try:
        kind = templating.kind_of(key)
    except ValueError:
        raise ValidationError("没有这种文书模板。") from None
    errors = templating.validate(kind, title, body)
    if errors:
        raise ValidationError({"body": errors})
    existing = LetterTemplate.objects.filter(organization=organization, key=key).first()
    before = {"title": existing.title, "body": existing.body} if existing else None
    template, _created = LetterTemplate.objects.update_or_create(
        organization=organization,
        key=key,
        defaults={"title": title.strip(), "body": body, "updated_by": actor},
    )
    audit_record(
        actor=actor,
        verb="inforequest.letter_template.saved",
        obj=template,
        organization=organization,
        before=before,
        after={"key": key, "title": template.title, "body": body},
    )
    return template


@transaction.atomic
def letter_template_reset(*, actor: User, organization: Organization, key: str) -> None:
    """Back to the default shipped in code."""
    _require_manage(actor, organization)
    existing = LetterTemplate.objects.filter(organization=organization, key=key).first()
    if existing is None:
        return
    audit_record(
        actor=actor,
        verb="inforequest.letter_template.reset",
        obj=existing,
        organization=organization,
        before={"title": existing.title, "body": existing.body},
    )
    existing.delete()


def letter_downloaded_by_applicant(*, letter: Letter, fmt: str) -> None:
    """The applicant (proved by number and tracking code) took a copy of a sent letter."""
    audit_record(
        actor=None,
        actor_name=APPLICANT_BY_CODE,
        verb="letter.downloaded_by_applicant",
        obj=letter,
        organization=letter.organization,
        after={"format": fmt, "number": letter.number},
    )
