"""依申请公开 in the console: the inbox, one application with its legal clock, registering an
application received off-line, and the officer's actions. Every change goes through
`gongkai.inforequests.services`; visibility through `selectors` (other agencies' applications
are 404, actions without the WORK permission 403)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.audit.services import audit_record
from gongkai.console.forms_files import ScanForm
from gongkai.console.forms_ledger import RequestFilterForm, apply_filters
from gongkai.console.forms_requests import (
    AssignForm,
    CloseForm,
    EventForm,
    InboxFilterForm,
    RegisterForm,
)
from gongkai.console.views.common import actor, paginate, query_without_page
from gongkai.console.views.request_extras import detail_extras
from gongkai.core.ids import mask_resident_id
from gongkai.core.workdays import Calendar
from gongkai.inforequests import services
from gongkai.inforequests.constants import IdDocument, Status
from gongkai.inforequests.file_services import request_register_with_scans
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.selectors import inbox, visible_request
from gongkai.inforequests.tasks import (
    WARN_WORKDAYS,
    calendar_for,
    due_soon_cutoff,
    remaining_workdays,
)
from gongkai.orgs.constants import Action
from gongkai.orgs.permissions import can, orgs_for


@dataclass(frozen=True)
class InboxRow:
    info: InfoRequest
    remaining: int | None  # workdays left; negative when overdue; None when not running

    @property
    def overdue(self) -> bool:
        return self.remaining is not None and self.remaining < 0

    @property
    def overdue_by(self) -> int:
        return -self.remaining if self.remaining is not None and self.remaining < 0 else 0

    @property
    def due_soon(self) -> bool:
        return self.remaining is not None and 0 <= self.remaining <= WARN_WORKDAYS


def _row(info: InfoRequest, today: date, calendar: Calendar) -> InboxRow:
    if info.status == Status.CLOSED or info.due_on is None:
        return InboxRow(info, None)
    return InboxRow(info, remaining_workdays(today, info.due_on, calendar))


def _filtered(user: Any, state: str, search: str, today: date) -> QuerySet[InfoRequest]:
    qs = inbox(
        user, include_closed=state in (InboxFilterForm.STATE_CLOSED, InboxFilterForm.STATE_ALL)
    )
    if state == InboxFilterForm.STATE_SOON:
        qs = qs.filter(due_on__gte=today, due_on__lte=due_soon_cutoff(today))
    elif state == InboxFilterForm.STATE_OVERDUE:
        qs = qs.filter(due_on__lt=today)
    elif state == InboxFilterForm.STATE_CLOSED:
        qs = qs.filter(status=Status.CLOSED).order_by("-closed_on", "-id")
    elif state == InboxFilterForm.STATE_ALL:
        closed_last = Case(
            When(status=Status.CLOSED, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
        qs = qs.order_by(closed_last, F("due_on").asc(nulls_last=True), "received_on", "id")
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(subject__icontains=search))
    return qs


def filtered_requests(
    request: HttpRequest, default_state: str
) -> tuple[Any, QuerySet[InfoRequest]]:
    """The filter form and the applications it selects; the inbox and the ledger export share
    it (forms_ledger.RequestFilterForm)."""
    params = request.GET.copy()
    params.setdefault("state", default_state)
    form = RequestFilterForm(params, organizations=orgs_for(request.user).order_by("path"))
    state, search, data = default_state, "", {}
    if form.is_valid():
        data = form.cleaned_data
        state, search = data["state"], data["q"].strip()
    today = timezone.localdate()
    return form, apply_filters(_filtered(request.user, state, search, today), data)


def _inbox(request: HttpRequest, default_state: str) -> HttpResponse:
    form, qs = filtered_requests(request, default_state)
    state = form.cleaned_data["state"] if form.is_valid() else default_state
    today = timezone.localdate()
    page = paginate(request, qs)
    calendar = calendar_for(today, [info.due_on for info in page])
    return render(
        request,
        "console/requests/list.html",
        {
            "form": form,
            "page": page,
            "rows": [_row(info, today, calendar) for info in page],
            "state": state,
            "query": query_without_page(request),
            "can_register": orgs_for(request.user, Action.WORK).exists(),
            "warn_workdays": WARN_WORKDAYS,
        },
    )


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    return _inbox(request, InboxFilterForm.STATE_OPEN)


@login_required
def request_overdue(request: HttpRequest) -> HttpResponse:
    return _inbox(request, InboxFilterForm.STATE_OVERDUE)


def request_summary(user: Any, today: date | None = None) -> dict[str, int] | None:
    """Counts for the console home page; None for users without business scope (三员)."""
    if not orgs_for(user, Action.VIEW).exists():
        return None
    today = today or timezone.localdate()
    open_ = inbox(user)
    return {
        "open": open_.count(),
        "mine": open_.filter(officer=user).count(),
        "soon": open_.filter(due_on__gte=today, due_on__lte=due_soon_cutoff(today)).count(),
        "overdue": open_.filter(due_on__lt=today).count(),
        "warn_workdays": WARN_WORKDAYS,
    }


# --- one application --------------------------------------------------------------------


def _visible(request: HttpRequest, pk: int) -> InfoRequest:
    info = visible_request(request.user, pk)
    if info is None:
        raise Http404  # do not reveal that another agency's application exists
    return info


def _require_work(request: HttpRequest, info: InfoRequest) -> None:
    if not can(request.user, Action.WORK, info.organization):
        raise PermissionDenied(_("没有办理该申请的权限。"))


def _id_masked(info: InfoRequest) -> bool:
    """Personal ID numbers are masked; an organisation's credit code is public anyway."""
    return info.id_document != IdDocument.CREDIT_CODE


def _detail(
    request: HttpRequest,
    info: InfoRequest,
    *,
    reveal: bool = False,
    status: int = 200,
    **bound: forms.BaseForm,
) -> HttpResponse:
    today = timezone.localdate()
    clock = services.request_clock(info, today)
    can_work = can(request.user, Action.WORK, info.organization)
    is_open = info.status != Status.CLOSED
    remaining = None
    if is_open and info.due_on is not None:
        remaining = remaining_workdays(today, info.due_on, calendar_for(today, [info.due_on]))
    context: dict[str, Any] = {
        **detail_extras(request, info),
        "info": info,
        "events": info.events.select_related("actor"),
        "clock": clock,
        "row": InboxRow(info, remaining),
        "can_work": can_work,
        "is_open": is_open,
        "id_masked": _id_masked(info) and not reveal,
        "id_display": info.id_number
        if reveal or not _id_masked(info)
        else mask_resident_id(info.id_number),
        "can_reveal": can_work and _id_masked(info) and not reveal,
        "warn_workdays": WARN_WORKDAYS,
    }
    if can_work and is_open:
        initial_close: dict[str, Any] = {"on": today}
        if clock.suggested_outcome is not None:
            initial_close["outcome"] = clock.suggested_outcome.value
        context.update(
            assign_form=bound.get("assign_form")
            or AssignForm(
                organization=info.organization,
                initial={"officer": info.officer_id},
            ),
            event_form=bound.get("event_form") or EventForm(initial={"on": today}),
            close_form=bound.get("close_form") or CloseForm(initial=initial_close),
        )
    response = render(request, "console/requests/detail.html", context, status=status)
    if reveal:
        add_never_cache_headers(response)
    return response


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible(request, pk))


@login_required
@require_POST
def request_reveal_id(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full ID number once, and record who looked (SECURITY.md §5 #25)."""
    info = _visible(request, pk)
    _require_work(request, info)
    audit_record(
        actor=actor(request),
        verb="inforequest.personal_data_viewed",
        obj=info,
        organization=info.organization,
        after={"field": "id_number"},
    )
    return _detail(request, info, reveal=True)


def _add_service_error(form: forms.BaseForm, exc: ValidationError | ValueError) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(exc, ValidationError):
        form.add_error(None, exc)
    else:
        form.add_error(None, str(exc))


@login_required
@require_POST
def request_assign(request: HttpRequest, pk: int) -> HttpResponse:
    info = _visible(request, pk)
    _require_work(request, info)
    form = AssignForm(request.POST, organization=info.organization)
    if form.is_valid():
        try:
            services.request_assign(
                actor=actor(request), request=info, officer=form.cleaned_data["officer"]
            )
        except (ValidationError, ValueError) as exc:
            _add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("已指定承办人：%(name)s") % {"name": form.cleaned_data["officer"].display_name},
            )
            return redirect("console:request_detail", pk=info.pk)
    return _detail(request, info, assign_form=form)


@login_required
@require_POST
def request_event_add(request: HttpRequest, pk: int) -> HttpResponse:
    info = _visible(request, pk)
    _require_work(request, info)
    form = EventForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            event = services.request_add_event(
                actor=actor(request),
                request=info,
                kind=data["kind"],
                on=data["on"],
                detail=data["detail"].strip(),
                party=data["party"],
                period_workdays=data["period_workdays"],
            )
        except (ValidationError, ValueError) as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, _("已登记：%(event)s") % {"event": event.get_kind_display()})
            return redirect("console:request_detail", pk=info.pk)
    return _detail(request, info, event_form=form)


@login_required
@require_POST
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    info = _visible(request, pk)
    _require_work(request, info)
    form = CloseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.request_close(
                actor=actor(request),
                request=info,
                outcome=data["outcome"],
                legal_basis=data["legal_basis"],
                reasons=data["reasons"],
                on=data["on"],
            )
        except (ValidationError, ValueError) as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, _("申请已办结。"))
            return redirect("console:request_detail", pk=info.pk)
    return _detail(request, info, close_form=form)


# --- registering an application received off-line -------------------------------------------


@login_required
def request_register(request: HttpRequest) -> HttpResponse:
    """Applications received by letter, in person, fax or e-mail (条例第二十九条、第三十一条).
    Scans of what arrived are stored with it (private storage, file_services)."""
    organizations = orgs_for(request.user, Action.WORK).order_by("path")
    if not organizations.exists():
        raise PermissionDenied(_("没有登记申请的权限。"))
    if request.method == "POST":
        form = RegisterForm(request.POST, organizations=organizations)
        scan_form = ScanForm(request.POST, request.FILES)
    else:
        form = RegisterForm(
            organizations=organizations, initial={"submission_key": uuid.uuid4().hex}
        )
        scan_form = ScanForm()
    if request.method == "POST" and form.is_valid() and scan_form.is_valid():
        assert form.received_on is not None
        # Scoped to the user: a key can never reach someone else's application.
        key = form.cleaned_data["submission_key"]
        try:
            info, created = request_register_with_scans(
                scans=scan_form.cleaned_data["scans"],
                organization=form.cleaned_data["organization"],
                data=form.applicant_data(),
                channel=form.cleaned_data["channel"],
                received_on=form.received_on,
                actor=actor(request),
                submission_key=f"console-{request.user.pk}-{key}" if key else None,
            )
        except (ValidationError, ValueError) as exc:
            _add_service_error(form, exc)
        else:
            if created:
                messages.success(
                    request,
                    _("已登记申请 %(number)s，收到申请之日为 %(date)s。")
                    % {"number": info.number, "date": info.received_on.isoformat()},
                )
            else:
                messages.info(
                    request,
                    _("该申请已经登记过（%(number)s），未重复登记。") % {"number": info.number},
                )
            return redirect("console:request_detail", pk=info.pk)
    return render(request, "console/requests/register.html", {"form": form, "scan_form": scan_form})
