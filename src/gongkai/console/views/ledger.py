"""The ledger (台账) in the console: export with the inbox's filters, the import template and
the import with its validation report; misuse decisions on an application; the 第四十四条
page "建议转为主动公开". Every change goes through the inforequests services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.console.forms_ledger import (
    LedgerImportForm,
    MisuseDecisionForm,
    SuggestionDecisionForm,
    SuggestionLinkForm,
    describe_filters,
)
from gongkai.console.views.common import actor, paginate, query_without_page
from gongkai.console.views.requests import filtered_requests
from gongkai.inforequests import misuse_services
from gongkai.inforequests.ledger.export import ledger_export as export_service
from gongkai.inforequests.ledger.importer import ledger_import as import_service
from gongkai.inforequests.ledger.template import template_bytes
from gongkai.inforequests.misuse_selectors import (
    converted_without_publication,
    links_to_check,
    suggestions,
    unpublished_link_candidates,
)
from gongkai.inforequests.models_ledger import (
    DisclosureSuggestionDecision,
    SuggestionPublication,
    SuggestionVerdict,
)
from gongkai.inforequests.selectors import visible_request
from gongkai.orgs.constants import Action
from gongkai.orgs.permissions import can, orgs_for, scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response


@login_required
def ledger_export(request: HttpRequest) -> HttpResponse:
    """The applications the inbox shows with the same filters, all pages, as .xlsx."""
    form, qs = filtered_requests(request, "")
    if request.GET and not form.is_valid():
        raise Http404
    try:
        content, _count = export_service(
            actor=actor(request),
            queryset=qs,
            filters=describe_filters(form.cleaned_data if form.is_valid() else {}),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(reverse("console:request_list") + "?" + request.GET.urlencode())
    return _xlsx(content, f"政府信息公开申请台账-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def ledger_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(template_bytes(), "政府信息公开申请台账导入模板.xlsx")


@login_required
def ledger_import(request: HttpRequest) -> HttpResponse:
    organizations = orgs_for(request.user, Action.WORK).order_by("path")
    if not organizations.exists():
        raise PermissionDenied(_("没有登记申请的权限。"))
    result = None
    if request.method == "POST":
        form = LedgerImportForm(request.POST, request.FILES, organizations=organizations)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read(settings.LEDGER_IMPORT_MAX_BYTES + 1)
            result = import_service(
                actor=actor(request),
                organization=form.cleaned_data["organization"],
                filename=upload.name or "",
                content=content,
            )
            if result.ok:
                messages.success(
                    request,
                    _("已导入 %(n)s 件申请（%(first)s 至 %(last)s）。")
                    % {
                        "n": len(result.requests),
                        "first": result.requests[0].number,
                        "last": result.requests[-1].number,
                    },
                )
                return redirect(reverse("console:request_list") + "?state=all")
    else:
        only = organizations.first() if organizations.count() == 1 else None
        form = LedgerImportForm(organizations=organizations, initial={"organization": only})
    return render(
        request,
        "console/requests/ledger_import.html",
        {"form": form, "result": result},
        status=200 if result is None or result.ok else 422,
    )


@login_required
@require_POST
def request_misuse_decide(request: HttpRequest, pk: int) -> HttpResponse:
    info = visible_request(request.user, pk)
    if info is None:
        raise Http404
    if not can(request.user, Action.WORK, info.organization):
        raise PermissionDenied(_("没有办理该申请的权限。"))
    form = MisuseDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择认定结论并填写理由。"))
    else:
        try:
            misuse_services.misuse_decide(actor=actor(request), request=info, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已记录认定及理由。"))
    return redirect("console:request_detail", pk=info.pk)


CANDIDATES_SHOWN = 50  # unpublished items offered per organisation; published ones by 索引号
UNLINKED_SHOWN = 20


@login_required
def suggestion_list(request: HttpRequest) -> HttpResponse:
    """条例第四十四条: information several applicants asked for, to consider publishing; and the
    conversions that do not yet name the publication that made the information 主动公开."""
    show_decided = request.GET.get("decided") == "1"
    items = suggestions(request.user, timezone.localdate(), include_decided=show_decided)
    page = paginate(request, items, per_page=20)
    unlinked = converted_without_publication(request.user)
    shown = list(unlinked[:UNLINKED_SHOWN])
    candidates = {
        org.pk: list(unpublished_link_candidates(request.user, org)[:CANDIDATES_SHOWN])
        for org in {item.organization for item in page} | {d.organization for d in shown}
    }
    return render(
        request,
        "console/requests/suggestions.html",
        {
            "rows": [(item, candidates[item.organization.pk]) for item in page],
            "items": page,
            "page": page,
            "query": query_without_page(request),
            "show_decided": show_decided,
            "verdicts": SuggestionVerdict.choices,
            "unlinked": [(d, candidates[d.organization_id]) for d in shown],
            "unlinked_count": unlinked.count(),
            "unlinked_shown": UNLINKED_SHOWN,
            "to_check": list(links_to_check(request.user)[:UNLINKED_SHOWN]),
        },
    )


def _form_errors(form: SuggestionLinkForm) -> str:
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


@login_required
@require_POST
def suggestion_decide(request: HttpRequest, org_pk: int) -> HttpResponse:
    organization = orgs_for(request.user, Action.WORK).filter(pk=org_pk).first()
    if organization is None:
        raise Http404
    form = SuggestionDecisionForm(request.POST, user=request.user, organization=organization)
    if not form.is_valid():
        messages.error(request, _form_errors(form) or _("请选择处理方式。"))
    else:
        try:
            misuse_services.suggestion_decide(
                actor=actor(request),
                organization=organization,
                key=form.cleaned_data["key"],
                verdict=form.cleaned_data["verdict"],
                reason=form.cleaned_data["reason"],
                publications=form.chosen(),
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已记录处理结果。"))
    return redirect("console:suggestion_list")


@login_required
@require_POST
def suggestion_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Name, later, the publication that made a converted suggestion's information 主动公开."""
    decision = (
        scope(DisclosureSuggestionDecision.objects.all(), request.user, Action.WORK)
        .select_related("organization")
        .filter(pk=pk)
        .first()
    )
    if decision is None:
        raise Http404
    form = SuggestionLinkForm(request.POST, user=request.user, organization=decision.organization)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    elif not form.chosen():
        messages.error(request, _("请填写已发布信息的索引号，或选择尚未发布的信息。"))
    else:
        try:
            misuse_services.suggestion_link_publications(
                actor=actor(request), decision=decision, publications=form.chosen()
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已关联公开信息。"))
    return redirect(reverse("console:suggestion_list") + "?decided=1")


@login_required
@require_POST
def suggestion_unlink(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a wrong link between a 第四十四条 decision and a publication, with the reason."""
    link = (
        scope(
            SuggestionPublication.objects.all(), request.user, Action.WORK, "decision__organization"
        )
        .select_related("decision__organization", "publication")
        .filter(pk=pk)
        .first()
    )
    if link is None:
        raise Http404
    try:
        misuse_services.suggestion_unlink_publication(
            actor=actor(request), link=link, reason=request.POST.get("reason", "")[:2000]
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已取消关联。"))
    return redirect(reverse("console:suggestion_list") + "?decided=1")
