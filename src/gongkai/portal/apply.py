"""The citizen's side of 依申请公开: the online application (条例第二十九条) and the progress
page reached with the application number and tracking code.

Neither page ever shows the applicant's personal data: the progress page is reachable by anyone
who holds the number and code, so it shows the state of the application and its legal clock,
not who applied.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.core.workdays import load_calendar
from gongkai.inforequests.channels import Channel
from gongkai.inforequests.clock import ClockResult, Event, PauseReason, compute_due_date, format_day
from gongkai.inforequests.clock_events import ClockEvent
from gongkai.inforequests.constants import Status
from gongkai.inforequests.models import InfoRequest, RequestEvent
from gongkai.inforequests.selectors import find_for_applicant
from gongkai.inforequests.services import request_submit
from gongkai.portal.forms import (
    ApplicationForm,
    TrackForm,
    new_submission_key,
    valid_submission_key,
)
from gongkai.portal.letters import letters_for_applicant, remember_proof
from gongkai.portal.ratelimit import (
    SUBMIT_PER_APPLICANT,
    SUBMIT_PER_IP,
    TRACK_FAILURES_PER_IP,
    client_ip,
    exceeded,
    hit,
)

# The number and code of a new application, shown once on the confirmation page.
SESSION_DONE = "portal_apply_done"


def _render_form(request: HttpRequest, form: ApplicationForm, status: int = 200) -> HttpResponse:
    return render(request, "portal/apply.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def apply_form(request: HttpRequest) -> HttpResponse:
    """The online application form; works without JavaScript (POST, then redirect)."""
    if request.method != "POST":
        form = ApplicationForm(initial={"submission_key": new_submission_key()})
        # ?organization=<id> from an organisation's column preselects it as 受理机关; anything
        # else (unknown, inactive, not a number) leaves the choice to the applicant.
        chosen = request.GET.get("organization", "")
        if chosen.isascii() and chosen.isdigit() and int(chosen) in form.organisations:
            form.initial["organization"] = int(chosen)
        return _render_form(request, form)

    data = request.POST.copy()
    key_ok = valid_submission_key(data.get("submission_key"))
    if not key_ok:
        data["submission_key"] = new_submission_key()
    form = ApplicationForm(data)
    valid = form.is_valid()
    if not key_ok:
        form.add_error(None, _("页面已失效，请核对填写的内容后重新提交。"))
        valid = False
    if not valid:
        return _render_form(request, form)

    key = form.cleaned_data["submission_key"]
    # A double click, a reload of the POST or a retry after a timeout: same key, same
    # application, and it does not count against the rate limits.
    existing = InfoRequest.objects.filter(submission_key=key).first()
    if existing is not None:
        return _confirm(request, existing)

    ip, applicant = client_ip(request), form.cleaned_data["id_number"]
    if exceeded(SUBMIT_PER_IP, ip) or exceeded(SUBMIT_PER_APPLICANT, applicant):
        form.add_error(None, _("提交过于频繁，请稍后再试。"))
        return _render_form(request, form, status=429)

    try:
        info, created = request_submit(
            organization=form.selected_organisation(),
            data=form.service_data(),
            channel=Channel.ONLINE,
            # 第三十一条第（三）项: an application made through an internet channel is received on
            # the day both sides confirm it (双方确认之日). The confirmation page the applicant
            # sees right after this call, with the number and the date of receipt, is that
            # confirmation, so the date of receipt is today.
            received_on=timezone.localdate(),
            submission_key=key,
        )
    except IntegrityError:
        # Two identical POSTs at the same moment: the other one stored the application.
        found = InfoRequest.objects.filter(submission_key=key).first()
        if found is None:
            raise
        info, created = found, False
    except ValidationError as error:
        _add_model_errors(form, error)
        return _render_form(request, form)
    if created:
        hit(SUBMIT_PER_IP, ip)
        hit(SUBMIT_PER_APPLICANT, applicant)
    return _confirm(request, info)


def _add_model_errors(form: ApplicationForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def _confirm(request: HttpRequest, info: InfoRequest) -> HttpResponse:
    """Keep the number and code for the confirmation page, which shows them once.

    A repeated submission (same key) shows them again: the key is a secret that only the
    browser that rendered the form holds, and after a lost response the applicant still
    needs the code.
    """
    request.session[SESSION_DONE] = {
        "number": info.number,
        "code": info.tracking_code,
        "organization": info.organization.name,
        "received_on": info.received_on.isoformat(),
        "due_on": info.due_on.isoformat() if info.due_on else "",
        "due_provisional": info.due_provisional,
    }
    return redirect("portal:apply_done")


@never_cache
@require_GET
def apply_done(request: HttpRequest) -> HttpResponse:
    """The confirmation of an online application: number and tracking code, shown once."""
    done = request.session.pop(SESSION_DONE, None)
    context: dict[str, Any] = {"done": None}
    if isinstance(done, dict):
        context["done"] = {
            "number": done.get("number", ""),
            "code": done.get("code", ""),
            "organization": done.get("organization", ""),
            "received_on": _day(done.get("received_on")),
            "due_on": _day(done.get("due_on")),
            "due_provisional": bool(done.get("due_provisional")),
        }
    return render(request, "portal/apply_done.html", context)


def _day(value: object) -> str:
    if not isinstance(value, str) or not value:
        return ""
    try:
        return format_day(date.fromisoformat(value))
    except ValueError:
        return ""


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Progress of an application, for whoever holds its number and tracking code.

    The form posts, so that the code stays out of addresses and server logs; a link may carry
    the number alone (prefilled) or both. Wrong number and wrong code get the same answer,
    and failed lookups are rate-limited per address against guessing.
    """
    source = request.POST if request.method == "POST" else request.GET
    if request.method == "POST" or ("number" in source and "code" in source):
        form = TrackForm(source)
    else:
        form = TrackForm(initial={"number": source.get("number", "")[:40]})
    context: dict[str, Any] = {"form": form, "progress": None, "not_found": False}
    status = 200
    if form.is_bound and form.is_valid():
        ip = client_ip(request)
        if exceeded(TRACK_FAILURES_PER_IP, ip):
            form.add_error(None, _("查询过于频繁，请稍后再试。"))
            status = 429
        else:
            info = find_for_applicant(form.cleaned_data["number"], form.cleaned_data["code"])
            if info is None:
                hit(TRACK_FAILURES_PER_IP, ip)
                context["not_found"] = True
            else:
                context["progress"] = progress(info)
                remember_proof(request, info)
                context["letters"] = letters_for_applicant(info)
    return render(request, "portal/track.html", context, status=status)


def public_clock(info: InfoRequest, events: list[RequestEvent]) -> ClockResult:
    """The legal clock as the console computes it (services.request_clock), except that the
    free-text details of events (e.g. the name of a consulted third party, 第三十二条) are
    replaced by neutral labels: the steps name what happened, not whom it concerned.

    Equal details get equal labels, so a consultation and its answer still pair up and the due
    date is the same.
    """
    aliases: dict[str, str] = {}
    for event in events:
        if event.detail and event.detail not in aliases:
            aliases[event.detail] = str(_("对象%(n)s") % {"n": len(aliases) + 1})
    clock_events = [
        Event(
            kind=ClockEvent(e.kind),
            on=e.on,
            detail=aliases.get(e.detail, ""),
            party=e.party or None,  # type: ignore[arg-type]
            period_workdays=e.period_workdays,
        )
        for e in events
    ]
    today = timezone.localdate()
    calendar = load_calendar(range(info.received_on.year, today.year + 3))
    return compute_due_date(
        clock_events, calendar, fee_period_excluded=settings.FEE_PERIOD_EXCLUDED, today=today
    )


def progress(info: InfoRequest) -> dict[str, Any]:
    """What the progress page shows. Deliberately no applicant field: not the name, the ID
    document, the phone, the e-mail or the address, and not the request text either, which
    may name people."""
    events = list(info.events.order_by("on", "id"))
    clock = public_clock(info, events)
    closed = info.status == Status.CLOSED
    return {
        "number": info.number,
        "organization": info.organization.name,
        "channel": info.get_channel_display(),
        "received_on": format_day(info.received_on),
        "status": info.get_status_display(),
        "closed": closed,
        "outcome": info.get_outcome_display() if closed else "",
        "closed_on": format_day(info.closed_on) if closed and info.closed_on else "",
        "due_on": format_day(clock.due_on) if clock.due_on else "",
        "paused": PauseReason(clock.paused_reason).label if clock.paused_reason else "",
        "period_ends_on": format_day(clock.period_ends_on) if clock.period_ends_on else "",
        "provisional_warning": clock.provisional_warning if clock.provisional else "",
        "steps": clock.steps,
        # The kind and the date of each step; never who did it or the free-text detail.
        "events": [{"label": e.get_kind_display(), "on": format_day(e.on)} for e in events],
    }
