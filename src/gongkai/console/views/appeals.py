"""行政复议 and 行政诉讼 in the console: the list (both kinds, filtered, paginated, scoped by
organisation), recording a case linked to an application or standing alone, and recording
its result. Every change goes through `gongkai.appeals.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.appeals import services
from gongkai.appeals.models import AppealCase, Litigation, Reconsideration
from gongkai.appeals.selectors import (
    litigations,
    reconsiderations,
    visible_litigation,
    visible_reconsideration,
)
from gongkai.console.forms_appeals import (
    KIND_LITIGATION,
    KIND_RECONSIDERATION,
    AppealFilterForm,
    DecideForm,
    LitigationForm,
    ReconsiderationForm,
)
from gongkai.console.views.common import actor, paginate, query_without_page
from gongkai.inforequests.selectors import inbox
from gongkai.orgs.constants import Action
from gongkai.orgs.permissions import can, orgs_for

_FIELDS = ("id", "kind", "case_number", "filed_on", "decided_on", "result", "authority")


def _rows(qs: QuerySet[Any], kind: str, authority: str, data: dict[str, Any]) -> QuerySet[Any]:
    if data.get("year"):
        qs = qs.filter(filed_on__year=data["year"])
    if data.get("result"):
        qs = qs.filter(result=data["result"])
    # Subqueries of a UNION must not be ordered (SQLite); the union is ordered instead.
    return (
        qs.order_by()
        .annotate(
            kind=Value(kind, output_field=CharField()),
            authority=Coalesce(authority, Value("")),
        )
        .values(*_FIELDS, "organization__name", "info_request__number", "info_request_id")
    )


@login_required
def appeal_list(request: HttpRequest) -> HttpResponse:
    form = AppealFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    kind = data.get("kind", "")
    parts = []
    if kind in ("", KIND_RECONSIDERATION):
        parts.append(_rows(reconsiderations(request.user), KIND_RECONSIDERATION, "body", data))
    if kind in ("", KIND_LITIGATION):
        parts.append(_rows(litigations(request.user), KIND_LITIGATION, "court", data))
    qs = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    page = paginate(request, qs.order_by("-filed_on", "-id"))
    return render(
        request,
        "console/appeals/list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "can_record": orgs_for(request.user, Action.WORK).exists(),
        },
    )


def _form_kwargs(request: HttpRequest) -> dict[str, Any]:
    organizations = orgs_for(request.user, Action.WORK).order_by("path")
    if not organizations.exists():
        raise PermissionDenied(_("没有登记行政复议、行政诉讼案件的权限。"))
    return {
        "organizations": organizations,
        "requests": inbox(request.user, include_closed=True).filter(organization__in=organizations),
    }


def _initial(request: HttpRequest) -> dict[str, Any]:
    """Coming from an application's page: link it and its organisation."""
    organizations = orgs_for(request.user, Action.WORK)
    initial: dict[str, Any] = {}
    if organizations.count() == 1:
        initial["organization"] = organizations.first()
    pk = request.GET.get("request", "")
    if pk.isdigit():
        info = inbox(request.user, include_closed=True).filter(pk=int(pk)).first()
        if info is not None:
            initial.update(
                request_number=info.number,
                organization=info.organization_id,
                applicant_name=info.applicant_name,
            )
    return initial


def _common(form: Any) -> dict[str, Any]:
    d = form.cleaned_data
    return {
        "organization": d["organization"],
        "applicant_name": d["applicant_name"],
        "filed_on": d["filed_on"],
        "case_number": d["case_number"],
        "info_request": form.info_request,
        "decided_on": d["decided_on"],
        "result": d["result"],
        "notes": d["notes"],
    }


def _save(request: HttpRequest, form: Any, record: Any, **extra: Any) -> AppealCase | None:
    try:
        return record(actor=actor(request), **_common(form), **extra)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
    return None


@login_required
def reconsideration_new(request: HttpRequest) -> HttpResponse:
    kwargs = _form_kwargs(request)
    if request.method == "POST":
        form = ReconsiderationForm(request.POST, **kwargs)
        if form.is_valid():
            case = _save(
                request, form, services.reconsideration_record, body=form.cleaned_data["body"]
            )
            if case is not None:
                messages.success(request, _("已登记行政复议案件。"))
                return redirect("console:appeal_detail", kind=KIND_RECONSIDERATION, pk=case.pk)
    else:
        form = ReconsiderationForm(initial=_initial(request), **kwargs)
    return render(request, "console/appeals/form.html", {"form": form, "title": _("登记行政复议")})


@login_required
def litigation_new(request: HttpRequest) -> HttpResponse:
    kwargs = _form_kwargs(request)
    kwargs["reconsiderations"] = reconsiderations(request.user).filter(
        organization__in=kwargs["organizations"]
    )
    if request.method == "POST":
        form = LitigationForm(request.POST, **kwargs)
        if form.is_valid():
            d = form.cleaned_data
            case = _save(
                request,
                form,
                services.litigation_record,
                court=d["court"],
                route=d["route"],
                reconsideration=d["reconsideration"],
            )
            if case is not None:
                messages.success(request, _("已登记行政诉讼案件。"))
                return redirect("console:appeal_detail", kind=KIND_LITIGATION, pk=case.pk)
    else:
        form = LitigationForm(initial=_initial(request), **kwargs)
    return render(request, "console/appeals/form.html", {"form": form, "title": _("登记行政诉讼")})


def _case(request: HttpRequest, kind: str, pk: int) -> Reconsideration | Litigation:
    case: Reconsideration | Litigation | None
    if kind == KIND_RECONSIDERATION:
        case = visible_reconsideration(request.user, pk)
    elif kind == KIND_LITIGATION:
        case = visible_litigation(request.user, pk)
    else:
        case = None
    if case is None:
        raise Http404
    return case


def _detail(
    request: HttpRequest, kind: str, case: AppealCase, form: DecideForm | None = None
) -> HttpResponse:
    can_work = can(request.user, Action.WORK, case.organization)
    return render(
        request,
        "console/appeals/detail.html",
        {
            "case": case,
            "kind": kind,
            "can_work": can_work,
            "decide_form": form
            or DecideForm(
                initial={"result": case.result, "decided_on": case.decided_on}
                if case.decided_on
                else None
            ),
        },
        status=200 if form is None else 422,
    )


@login_required
def appeal_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _detail(request, kind, _case(request, kind, pk))


@login_required
@require_POST
def appeal_decide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    case = _case(request, kind, pk)
    if not can(request.user, Action.WORK, case.organization):
        raise PermissionDenied(_("没有办理该机关行政复议、行政诉讼案件的权限。"))
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            if isinstance(case, Reconsideration):
                services.reconsideration_decide(
                    actor=actor(request), reconsideration=case, **form.cleaned_data
                )
            else:
                services.litigation_decide(
                    actor=actor(request), litigation=case, **form.cleaned_data
                )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已记录结果。"))
            return redirect("console:appeal_detail", kind=kind, pk=case.pk)
    return _detail(request, kind, case, form)
