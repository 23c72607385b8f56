"""Every change to an application: atomic, permission-checked, audited; the legal clock is
recomputed from the event log after each one."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.core.workdays import load_calendar
from gongkai.inforequests.channels import Channel
from gongkai.inforequests.clock import ClockResult, PauseReason, compute_due_date
from gongkai.inforequests.clock_events import ClockEvent, Event
from gongkai.inforequests.constants import Outcome, Status
from gongkai.inforequests.letters.constants import LetterKind, LetterStatus
from gongkai.inforequests.models import InfoRequest, NumberSequence, RequestEvent
from gongkai.orgs.constants import Action
from gongkai.orgs.models import Organization, User
from gongkai.orgs.permissions import can

TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read over the phone
APPLICANT_FIELDS = (
    "applicant_type",
    "applicant_name",
    "id_document",
    "id_number",
    "phone",
    "email",
    "address",
    "postcode",
    "subject",
    "document_number",
    "description",
    "provision_form",
    "delivery_way",
)


def _require_work(actor: User, request: InfoRequest) -> None:
    if not can(actor, Action.WORK, request.organization):
        raise PermissionDenied("没有办理该申请的权限")


def _allocate_number(organization: Organization, year: int) -> str:
    """Gap-free per organisation and year: the sequence row is locked until commit."""
    NumberSequence.objects.get_or_create(organization=organization, year=year)
    seq = NumberSequence.objects.select_for_update().get(organization=organization, year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{year}-{organization.pk:04d}-{seq.last:05d}"


def _events(request: InfoRequest) -> list[Event]:
    return [
        Event(
            kind=ClockEvent(e.kind),
            on=e.on,
            detail=e.detail,
            party=e.party or None,  # type: ignore[arg-type]
            period_workdays=e.period_workdays,
        )
        for e in request.events.order_by("on", "id")
    ]


def request_clock(request: InfoRequest, today: date | None = None) -> ClockResult:
    """The legal clock of an application, computed from its events (never stored by hand)."""
    start = request.received_on
    calendar = load_calendar(range(start.year, (today or start).year + 3))
    return compute_due_date(
        _events(request),
        calendar,
        fee_period_excluded=settings.FEE_PERIOD_EXCLUDED,
        today=today or timezone.localdate(),
    )


def request_refresh_clock(request: InfoRequest) -> ClockResult:
    """Recompute and cache the due date and the waiting states."""
    result = request_clock(request)
    request.due_on = result.due_on
    request.due_provisional = result.provisional
    if request.status != Status.CLOSED:
        if result.paused_reason == PauseReason.CORRECTION:
            request.status = Status.AWAITING_CORRECTION
        elif result.paused_reason == PauseReason.FEE:
            request.status = Status.AWAITING_PAYMENT
        elif any(x.planned for x in result.exclusions):
            request.status = Status.CONSULTING
        elif request.officer_id:
            request.status = Status.IN_PROGRESS
        else:
            request.status = Status.REGISTERED
    request.save(update_fields=["due_on", "due_provisional", "status"])
    return result


def refresh_clocks(year: int) -> int:
    """After `year`'s 节假日安排 changed: compute the clock of each open application whose
    period may touch that year again; returns how many due dates moved (each audited)."""
    touching = (
        InfoRequest.objects.exclude(status=Status.CLOSED)
        .filter(received_on__lte=date(year, 12, 31))
        .filter(Q(due_on__isnull=True) | Q(due_on__gte=date(year, 1, 1)) | Q(due_provisional=True))
    )
    moved = 0
    for pk in touching.values_list("pk", flat=True):
        with transaction.atomic():
            request = InfoRequest.objects.select_for_update().get(pk=pk)
            before = request.due_on
            result = request_refresh_clock(request)
            if result.due_on != before:
                moved += 1
                audit_record(
                    actor=None,
                    actor_name="system",
                    verb="inforequest.due_recomputed",
                    obj=request,
                    organization=request.organization,
                    before={"due_on": str(before)},
                    after={"due_on": str(result.due_on), "provisional": result.provisional},
                    reason=f"{year}年节假日安排已更新",
                )
    return moved


def _clean_applicant_data(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(APPLICANT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    return data


@transaction.atomic
def request_submit(
    *,
    organization: Organization,
    data: dict[str, Any],
    channel: str,
    received_on: date,
    actor: User | None = None,
    submission_key: str | None = None,
) -> tuple[InfoRequest, bool]:
    """Register an application. Online applications (actor None) and applications an officer
    registers from a letter, a visit, a fax or an e-mail (第三十一条 decides `received_on`).

    Returns (application, created). The same `submission_key` twice gives the first
    application back: a double click or a retry never makes two (issue: 依申请公开).
    """
    if actor is not None and not can(actor, Action.WORK, organization):
        raise PermissionDenied("没有为该机关登记申请的权限")
    if submission_key:
        existing = InfoRequest.objects.filter(submission_key=submission_key).first()
        if existing:
            return existing, False
    if received_on > timezone.localdate():
        raise ValidationError("收到申请之日不能晚于今天。")
    request = InfoRequest(
        organization=organization,
        channel=Channel(channel),
        received_on=received_on,
        submission_key=submission_key,
        number=_allocate_number(organization, received_on.year),
        tracking_code="".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8)),
        **_clean_applicant_data(data),
    )
    request.full_clean(exclude=["number", "tracking_code"])
    request.save()
    RequestEvent.objects.create(
        request=request, kind=ClockEvent.RECEIVED, on=received_on, actor=actor
    )
    request_refresh_clock(request)
    # The audit log names the application, never the applicant's personal data.
    audit_record(
        actor=actor,
        actor_name="申请人（网上）" if actor is None else "",
        verb="inforequest.submitted",
        obj=request,
        organization=organization,
        after={
            "number": request.number,
            "channel": request.channel,
            "received_on": received_on.isoformat(),
        },
    )
    return request, True


@transaction.atomic
def request_assign(*, actor: User, request: InfoRequest, officer: User) -> InfoRequest:
    _require_work(actor, request)
    if not can(officer, Action.WORK, request.organization):
        raise ValidationError("承办人须为本机关的信息员。")
    before = {"officer": request.officer.username if request.officer else None}
    request.officer = officer
    request.save(update_fields=["officer"])
    request_refresh_clock(request)
    audit_record(
        actor=actor,
        verb="inforequest.assigned",
        obj=request,
        organization=request.organization,
        before=before,
        after={"officer": officer.username},
    )
    return request


@transaction.atomic
def request_add_event(
    *,
    actor: User,
    request: InfoRequest,
    kind: str,
    on: date,
    detail: str = "",
    party: str = "",
    period_workdays: int | None = None,
) -> RequestEvent:
    """Record a step (correction, consultation, fee, extension …); the clock follows."""
    _require_work(actor, request)
    if request.status == Status.CLOSED:
        raise ValidationError("申请已办结，不能再登记办理事项。")
    if kind in (ClockEvent.RECEIVED, ClockEvent.REPLIED):
        raise ValidationError("收到申请和作出答复由登记和办结操作记录。")
    if on < request.received_on or on > timezone.localdate():
        raise ValidationError("日期应在收到申请之日与今天之间。")
    # Validate the combination with the clock's own rules before anything is stored.
    Event(
        kind=ClockEvent(kind),
        on=on,
        detail=detail,
        party=party or None,  # type: ignore[arg-type]
        period_workdays=period_workdays,
    )
    event = RequestEvent.objects.create(
        request=request,
        kind=kind,
        on=on,
        detail=detail,
        party=party,
        period_workdays=period_workdays,
        actor=actor,
    )
    result = request_refresh_clock(request)
    audit_record(
        actor=actor,
        verb=f"inforequest.event.{kind}",
        obj=request,
        organization=request.organization,
        after={"on": on.isoformat(), "detail": detail, "due_on": str(result.due_on)},
    )
    return event


@transaction.atomic
def request_close(
    *,
    actor: User,
    request: InfoRequest,
    outcome: str,
    legal_basis: str,
    reasons: str,
    on: date,
    without_letter: str = "",
) -> InfoRequest:
    """Close with exactly one outcome (a row of the annual report's table 三), its legal basis
    and reasons (条例第三十六条).

    The reply is a letter: closing needs a reply letter for the same outcome that a legal
    reviewer approved (`gongkai.inforequests.letters`); sending that letter closes the
    application. Only a reply made outside the system (a ledger of paper replies, a migration)
    is recorded `without_letter`, and the reason given is audited.
    """
    _require_work(actor, request)
    if request.status == Status.CLOSED:
        raise ValidationError("申请已办结。")
    if not legal_basis.strip() or not reasons.strip():
        raise ValidationError("请填写法律依据和理由。")
    if not without_letter.strip() and not _has_approved_reply(request, outcome):
        raise ValidationError(
            "办结前须起草答复书并经法制审核通过，且答复书的办理结果与办结的办理结果一致。"
        )
    if on < request.received_on or on > timezone.localdate():
        raise ValidationError("答复日期应在收到申请之日与今天之间。")
    request.outcome = Outcome(outcome)
    request.legal_basis = legal_basis
    request.reasons = reasons
    request.closed_on = on
    request.status = Status.CLOSED
    request.save(update_fields=["outcome", "legal_basis", "reasons", "closed_on", "status"])
    RequestEvent.objects.create(request=request, kind=ClockEvent.REPLIED, on=on, actor=actor)
    result = request_refresh_clock(request)
    audit_record(
        actor=actor,
        verb="inforequest.closed",
        obj=request,
        organization=request.organization,
        after={"outcome": outcome, "closed_on": on.isoformat(), "overdue": result.overdue},
        reason=f"未经系统生成答复书：{without_letter.strip()}" if without_letter.strip() else "",
    )
    return request


def _has_approved_reply(request: InfoRequest, outcome: str) -> bool:
    return request.letters.filter(
        kind=LetterKind.REPLY,
        outcome=outcome,
        status__in=(LetterStatus.APPROVED, LetterStatus.SENT),
    ).exists()
