"""Files on an application, their redaction, and transfers (转办). Files are served only here,
after a permission check, as attachments that are never cached; another organisation's file
answers 404 like its application."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongkai.console.forms_files import AttachmentForm, RedactionForm, TransferForm
from gongkai.console.views.common import actor
from gongkai.core.downloads import download_response
from gongkai.inforequests import file_services, files
from gongkai.inforequests.file_selectors import attachments_of, redaction_log, visible_attachment
from gongkai.inforequests.models import Attachment, InfoRequest, Redaction
from gongkai.inforequests.redaction import Box, page_preview
from gongkai.inforequests.release_rules import (
    GROUND_ARTICLE,
    AttachmentKind,
    redaction_outcome_warning,
)
from gongkai.inforequests.selectors import visible_request
from gongkai.inforequests.transfer import request_transfer, transfer_targets
from gongkai.orgs.constants import Action
from gongkai.orgs.permissions import can, scope


def _request(http: HttpRequest, pk: int) -> InfoRequest:
    info = visible_request(http.user, pk)
    if info is None:
        raise Http404
    return info


def _attachment(http: HttpRequest, pk: int) -> Attachment:
    attachment = visible_attachment(http.user, pk)
    if attachment is None:
        raise Http404
    return attachment


def _require_work(http: HttpRequest, info: InfoRequest) -> None:
    if not can(http.user, Action.WORK, info.organization):
        raise PermissionDenied(_("没有办理该申请的权限。"))


def _errors(http: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(http, message)


def _back(info: InfoRequest) -> HttpResponse:
    return redirect(reverse("console:request_detail", kwargs={"pk": info.pk}) + "#files")


def file_response(data: bytes, attachment: Attachment) -> HttpResponse:
    filename = attachment.title
    if not filename.lower().endswith("." + attachment.extension):
        filename = f"{filename}.{attachment.extension}"
    return download_response(data, filename=filename, content_type=attachment.content_type)


@login_required
@require_POST
def request_file_add(http: HttpRequest, pk: int) -> HttpResponse:
    info = _request(http, pk)
    _require_work(http, info)
    form = AttachmentForm(http.POST, http.FILES)
    if form.is_valid():
        title, data = form.cleaned_data["content"]
        try:
            file_services.attachment_add(
                actor=actor(http),
                request=info,
                data=data,
                title=title,
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as exc:
            _errors(http, exc)
        else:
            messages.success(http, _("已上传：%(name)s") % {"name": files.safe_title(title)})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(http, str(error))
    return _back(info)


@login_required
@require_GET
def attachment_download(http: HttpRequest, pk: int) -> HttpResponse:
    attachment = _attachment(http, pk)
    # ?copy=applicant: what the applicant receives (without document metadata), to check it.
    wanted = http.GET.get("copy") == "applicant"
    try:
        data = file_services.attachment_read(
            actor=actor(http), attachment=attachment, applicant_copy=wanted
        )
    except FileNotFoundError as exc:  # not released yet, or a redacted copy: none to check
        raise Http404 from exc
    except file_services.CopyUnavailable as exc:
        messages.error(http, str(exc))
        return _back(attachment.request)
    return file_response(data, attachment)


@login_required
@require_POST
def attachment_release(http: HttpRequest, pk: int) -> HttpResponse:
    attachment = _attachment(http, pk)
    _require_work(http, attachment.request)
    released = http.POST.get("released") == "1"
    try:
        file_services.attachment_set_released(
            actor=actor(http), attachment=attachment, released=released
        )
    except ValidationError as exc:
        _errors(http, exc)
    else:
        message = _("已设为提供给申请人：%(name)s") if released else _("已取消提供：%(name)s")
        messages.success(http, message % {"name": attachment.title})
        if released and attachment.has_markup:
            messages.warning(
                http,
                _(
                    "“%(name)s”含有修订痕迹、批注或注释：申请人打开文件后能看到被删除的文字和"
                    "批注内容（修订人、批注人姓名已去除）。如不应提供，请取消提供，接受或拒绝全部"
                    "修订、删除批注后重新上传。"
                )
                % {"name": attachment.title},
            )
    return _back(attachment.request)


def _redaction_page(
    http: HttpRequest, attachment: Attachment, form: RedactionForm | None = None, status: int = 200
) -> HttpResponse:
    info = attachment.request
    can_work = can(http.user, Action.WORK, info.organization)
    page_number = _page_param(http, attachment)
    response = render(
        http,
        "console/requests/redact.html",
        {
            "info": info,
            "attachment": attachment,
            "redactions": [
                (r, GROUND_ARTICLE[r.ground])
                for r in attachment.redactions.select_related("created_by")
            ],
            "copies": attachment.redacted_copies.order_by("-created_at"),
            "form": form or RedactionForm(initial={"page": page_number}),
            "page_number": page_number,
            "pages": range(1, (attachment.pages or 0) + 1),
            "can_work": can_work and info.status != "closed",
        },
        status=status,
    )
    add_never_cache_headers(response)
    return response


def _page_param(http: HttpRequest, attachment: Attachment) -> int:
    try:
        number = int(http.GET.get("page", "1"))
    except ValueError:
        number = 1
    return min(max(number, 1), attachment.pages or 1)


@login_required
def attachment_redact(http: HttpRequest, pk: int) -> HttpResponse:
    """Mark boxes on the pages of a PDF to be released, each with its legal ground."""
    attachment = _attachment(http, pk)
    if attachment.kind != AttachmentKind.RELEASE or not attachment.is_pdf:
        raise Http404
    if http.method != "POST":
        return _redaction_page(http, attachment)
    _require_work(http, attachment.request)
    form = RedactionForm(http.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            file_services.redaction_add(
                actor=actor(http),
                attachment=attachment,
                box=Box(data["page"], data["left"], data["top"], data["width"], data["height"]),
                ground=data["ground"],
                note=data["note"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(http, _("已标记遮盖区域。"))
            url = reverse("console:attachment_redact", kwargs={"pk": attachment.pk})
            return redirect(f"{url}?page={data['page']}")
    return _redaction_page(http, attachment, form, status=400)


@login_required
@require_GET
def attachment_page_image(http: HttpRequest, pk: int, page: int) -> HttpResponse:
    attachment = _attachment(http, pk)
    if not attachment.is_pdf:
        raise Http404
    try:
        png = page_preview(files.read(attachment.storage_name), page)
    except IndexError as exc:
        raise Http404 from exc
    response = HttpResponse(png, content_type="image/png")
    response.headers["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def redaction_delete(http: HttpRequest, pk: int) -> HttpResponse:
    redaction = (
        scope(
            Redaction.objects.select_related("attachment__request__organization"),
            http.user,
            Action.VIEW,
            field="attachment__request__organization",
        )
        .filter(pk=pk)
        .first()
    )
    if redaction is None:
        raise Http404
    attachment = redaction.attachment
    _require_work(http, attachment.request)
    try:
        file_services.redaction_remove(actor=actor(http), redaction=redaction)
    except ValidationError as exc:
        _errors(http, exc)
    else:
        messages.success(http, _("已删除遮盖区域。"))
    return redirect("console:attachment_redact", pk=attachment.pk)


@login_required
@require_POST
def attachment_redaction_apply(http: HttpRequest, pk: int) -> HttpResponse:
    attachment = _attachment(http, pk)
    _require_work(http, attachment.request)
    try:
        copy = file_services.redaction_apply(actor=actor(http), attachment=attachment)
    except ValidationError as exc:
        _errors(http, exc)
        return redirect("console:attachment_redact", pk=attachment.pk)
    messages.success(
        http,
        _("已生成遮盖后的文件：%(name)s。请核对后设为提供给申请人。") % {"name": copy.title},
    )
    return _back(attachment.request)


@login_required
@require_POST
def request_transfer_view(http: HttpRequest, pk: int) -> HttpResponse:
    info = _request(http, pk)
    _require_work(http, info)
    form = TransferForm(http.POST, targets=transfer_targets(info.organization))
    if form.is_valid():
        try:
            request_transfer(
                actor=actor(http),
                request=info,
                to=form.cleaned_data["to"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _errors(http, exc)
        else:
            messages.success(
                http,
                _("已将申请 %(number)s 转至 %(org)s。")
                % {"number": info.number, "org": form.cleaned_data["to"].name},
            )
            return redirect("console:request_list")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(http, str(error))
    return _back(info)


def section_context(http: HttpRequest, info: InfoRequest) -> dict[str, Any]:
    """What the application page's files section needs (console/requests/_files.html)."""
    can_work = can(http.user, Action.WORK, info.organization)
    is_open = info.status != "closed"
    attachments = list(attachments_of(info))
    log = [(r, GROUND_ARTICLE[r.ground]) for r in redaction_log(info)]
    return {
        "info": info,
        "attachments": attachments,
        "redaction_log": log,
        "transfers": info.transfers.select_related("from_organization", "to_organization", "actor"),
        "can_work": can_work,
        "is_open": is_open,
        "attachment_form": AttachmentForm() if can_work else None,
        "transfer_form": TransferForm(targets=transfer_targets(info.organization))
        if can_work and is_open
        else None,
        "outcome_warning": redaction_outcome_warning(
            redacted_released=any(
                a.kind == AttachmentKind.REDACTED and a.released for a in attachments
            ),
            outcome=info.outcome,
        ),
    }
