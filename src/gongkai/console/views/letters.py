"""Letters in the console: draft, edit, legal review, delivery, receipts, downloads, and the
organisation's templates. Visibility through `letters.selectors` (another organisation's
letters are 404); every change through `letters.services`, which check the permission."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongkai.audit.services import audit_record
from gongkai.console.forms_letters import (
    LetterCreateForm,
    LetterEditForm,
    ReceiptForm,
    ReviewForm,
    SendForm,
    TemplateForm,
)
from gongkai.console.views.common import actor
from gongkai.console.views.requests import _add_service_error, _visible
from gongkai.inforequests.letters import services, templating
from gongkai.inforequests.letters.constants import EDITABLE, LetterKind, LetterStatus
from gongkai.inforequests.letters.models import Delivery, Letter, LetterTemplate
from gongkai.inforequests.letters.responses import letter_file
from gongkai.inforequests.letters.selectors import (
    letter_document,
    template_for,
    visible_letter,
)
from gongkai.inforequests.letters.uploads import open_receipt
from gongkai.orgs.constants import Action
from gongkai.orgs.models import Organization
from gongkai.orgs.permissions import can, orgs_for


def _letter(request: HttpRequest, pk: int) -> Letter:
    letter = visible_letter(request.user, pk)
    if letter is None:
        raise Http404
    return letter


@login_required
@require_POST
def letter_create(request: HttpRequest, pk: int) -> HttpResponse:
    info = _visible(request, pk)
    if not can(request.user, Action.WORK, info.organization):
        raise PermissionDenied(_("没有办理该申请的权限。"))
    form = LetterCreateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        kind = data["kind"]
        today = timezone.localdate()
        try:
            details: dict[str, str] = {}
            if kind == LetterKind.CORRECTION:
                details = services.correction_details(
                    data["correction_items"], data["correction_period"], today
                )
            elif kind == LetterKind.EXTENSION:
                details = services.extension_details(info, data["extension_reason"])
            elif kind == LetterKind.FEE:
                details = services.fee_details(
                    data["fee_method"], data["fee_quantity"], data["payment_instructions"], today
                )
            letter = services.letter_create(
                actor=actor(request),
                request=info,
                kind=kind,
                outcome=data["outcome"],
                withheld=data["withheld"],
                responsible_agency=data["responsible_agency"],
                details=details,
            )
        except (ValidationError, ValueError) as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, _("已起草文书，请核对并修改正文。"))
            return redirect("console:letter_detail", pk=letter.pk)
    return render(request, "console/letters/create.html", {"info": info, "form": form}, status=200)


def _page(request: HttpRequest, letter: Letter, **bound: forms.BaseForm) -> HttpResponse:
    user = request.user
    can_work = can(user, Action.WORK, letter.organization)
    can_review = (
        can(user, Action.LEGAL_REVIEW, letter.organization)
        and letter.status == LetterStatus.IN_REVIEW
        and letter.created_by_id != user.pk
    )
    editable = can_work and letter.status in EDITABLE
    reply = letter.kind == LetterKind.REPLY
    context: dict[str, Any] = {
        "letter": letter,
        "info": letter.request,
        "document": letter_document(letter),
        "delivery": Delivery.objects.filter(letter=letter).first(),
        "can_work": can_work,
        "editable": editable,
        "can_review": can_review,
        "can_send": can_work and letter.status == LetterStatus.APPROVED,
        "problems": services.letter_problems(letter) if editable else [],
    }
    if editable:
        context["edit_form"] = bound.get("edit_form") or LetterEditForm(
            reply=reply,
            initial={
                "addressee": letter.addressee,
                "outcome": letter.outcome,
                "legal_basis": letter.legal_basis,
                "reasons": letter.reasons,
                "withheld": letter.withheld,
                "responsible_agency": letter.responsible_agency,
                "body": letter.body,
            },
        )
    if can_review:
        context["review_form"] = bound.get("review_form") or ReviewForm()
    if context["can_send"]:
        context["send_form"] = bound.get("send_form") or SendForm(
            initial={"delivered_on": timezone.localdate()}
        )
    if can_work and letter.status == LetterStatus.SENT:
        context["receipt_form"] = bound.get("receipt_form") or ReceiptForm()
    return render(request, "console/letters/detail.html", context)


@login_required
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter; a POST saves the officer's edits (or regenerates the text)."""
    letter = _letter(request, pk)
    if request.method != "POST":
        return _page(request, letter)
    if not can(request.user, Action.WORK, letter.organization):
        raise PermissionDenied(_("没有办理该申请的权限。"))
    form = LetterEditForm(request.POST, reply=letter.kind == LetterKind.REPLY)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.letter_update(
                actor=actor(request),
                letter=letter,
                addressee=data["addressee"],
                body=data["body"],
                outcome=data.get("outcome") or None,
                legal_basis=data.get("legal_basis"),
                reasons=data.get("reasons"),
                withheld=data.get("withheld"),
                responsible_agency=data.get("responsible_agency"),
                regenerate="regenerate" in request.POST,
            )
        except (ValidationError, ValueError) as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("console:letter_detail", pk=letter.pk)
    return _page(request, letter, edit_form=form)


@login_required
@require_POST
def letter_submit(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    try:
        services.letter_submit(actor=actor(request), letter=letter)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已提交法制审核。"))
    return redirect("console:letter_detail", pk=letter.pk)


@login_required
@require_POST
def letter_review(request: HttpRequest, pk: int) -> HttpResponse:
    """法制审核: approve, or return with a comment."""
    letter = _letter(request, pk)
    if not can(request.user, Action.LEGAL_REVIEW, letter.organization):
        raise PermissionDenied(_("没有法制审核的权限。"))
    form = ReviewForm(request.POST)
    if form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if "approve" in request.POST:
                services.letter_approve(actor=actor(request), letter=letter, comment=comment)
                messages.success(request, _("审核通过，文号：%(n)s") % {"n": letter.number})
            else:
                services.letter_return(actor=actor(request), letter=letter, comment=comment)
                messages.success(request, _("已退回修改。"))
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            return redirect("console:letter_detail", pk=letter.pk)
    return _page(request, letter, review_form=form)


@login_required
@require_POST
def letter_send(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    if not can(request.user, Action.WORK, letter.organization):
        raise PermissionDenied(_("没有办理该申请的权限。"))
    form = SendForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.letter_mark_sent(
                actor=actor(request),
                letter=letter,
                method=data["method"],
                delivered_on=data["delivered_on"],
                tracking_number=data["tracking_number"],
            )
        except (ValidationError, ValueError) as exc:
            _add_service_error(form, exc)
        else:
            if letter.kind == LetterKind.REPLY:
                messages.success(request, _("已登记送达，申请已办结。"))
            else:
                messages.success(request, _("已登记送达。"))
            return redirect("console:letter_detail", pk=letter.pk)
    return _page(request, letter, send_form=form)


@login_required
@require_POST
def letter_receipt_upload(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    if not can(request.user, Action.WORK, letter.organization):
        raise PermissionDenied(_("没有办理该申请的权限。"))
    form = ReceiptForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["receipt"]
        try:
            services.delivery_attach_receipt(
                actor=actor(request), letter=letter, upload=upload, size=upload.size
            )
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, _("已上传送达回证扫描件。"))
            return redirect("console:letter_detail", pk=letter.pk)
    return _page(request, letter, receipt_form=form)


@login_required
@require_GET
def letter_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    letter = _letter(request, pk)
    # The letter carries the applicant's name: who downloaded it is recorded.
    audit_record(
        actor=actor(request),
        verb="inforequest.letter.downloaded",
        obj=letter,
        organization=letter.organization,
        after={"format": fmt},
    )
    return letter_file(letter, fmt)


@login_required
@require_GET
def letter_receipt(request: HttpRequest, pk: int) -> FileResponse:
    letter = _letter(request, pk)
    delivery = Delivery.objects.filter(letter=letter).first()
    if delivery is None or not delivery.receipt_path:
        raise Http404
    try:
        handle = open_receipt(delivery.receipt_path)
    except FileNotFoundError:
        raise Http404 from None
    audit_record(
        actor=actor(request),
        verb="inforequest.letter.receipt_viewed",
        obj=letter,
        organization=letter.organization,
    )
    ext = delivery.receipt_path.rsplit(".", 1)[-1]
    response = FileResponse(
        handle, content_type=delivery.receipt_content_type, as_attachment=True,
        filename=f"receipt-{letter.pk}.{ext}",
    )  # fmt: skip
    response["Cache-Control"] = "no-store"
    return response


# --- templates ------------------------------------------------------------------------------
@login_required
def letter_templates(request: HttpRequest) -> HttpResponse:
    """The templates of the organisations the user administers (单位管理员)."""
    organizations = list(orgs_for(request.user, Action.MANAGE).order_by("path"))
    selected = organizations[0] if organizations else None
    wanted = request.GET.get("org")
    for org in organizations:
        if str(org.pk) == wanted:
            selected = org
    rows = []
    if selected is not None:
        own = set(
            LetterTemplate.objects.filter(organization=selected).values_list("key", flat=True)
        )
        rows = [
            {"key": key, "label": templating.key_label(key), "own": key in own}
            for key in templating.all_keys()
        ]
    return render(
        request,
        "console/letters/template_list.html",
        {"organizations": organizations, "selected": selected, "rows": rows},
    )


def _managed_org(request: HttpRequest, org_pk: int) -> Organization:
    org = orgs_for(request.user, Action.VIEW).filter(pk=org_pk).first()
    if org is None:
        raise Http404
    if not can(request.user, Action.MANAGE, org):
        raise PermissionDenied(_("没有管理本单位文书模板的权限。"))
    return org


@login_required
def letter_template_edit(request: HttpRequest, org_pk: int, key: str) -> HttpResponse:
    org = _managed_org(request, org_pk)
    try:
        kind = templating.kind_of(key)
    except ValueError:
        raise Http404 from None
    title, body, own = template_for(org, key)
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                services.letter_template_save(
                    actor=actor(request),
                    organization=org,
                    key=key,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            except ValidationError as exc:
                _add_service_error(form, exc)
            else:
                messages.success(request, _("模板已保存。"))
                return redirect("console:letter_template_edit", org_pk=org.pk, key=key)
    else:
        form = TemplateForm(initial={"title": title, "body": body})
    return render(
        request,
        "console/letters/template_edit.html",
        {
            "org": org,
            "key": key,
            "label": templating.key_label(key),
            "own": own,
            "form": form,
            "placeholders": templating.placeholders(kind),
            "required": templating.REQUIRED[kind],
            "tags": sorted(t for t in templating.ALLOWED_TAGS if not t.startswith("end")),
        },
    )


@login_required
@require_POST
def letter_template_reset(request: HttpRequest, org_pk: int, key: str) -> HttpResponse:
    org = _managed_org(request, org_pk)
    try:
        templating.kind_of(key)
    except ValueError:
        raise Http404 from None
    services.letter_template_reset(actor=actor(request), organization=org, key=key)
    messages.success(request, _("已恢复为默认模板。"))
    return redirect("console:letter_template_edit", org_pk=org.pk, key=key)
