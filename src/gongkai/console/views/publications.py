"""主动公开 in the console: the catalog list, drafting with attachments, the review page with
the personal-data findings, publishing, amending, withdrawing, timeliness (第二十六条) and the
第十八条 re-assessment queue. Every change goes through `gongkai.publications.services`;
visibility through `selectors` (another agency's item is 404, a missing role 403)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.console.forms_publications import (
    AttachmentForm,
    InterpretationDetailsForm,
    JustifyForm,
    ListFilterForm,
    PublicationForm,
    PublishForm,
    ReassessForm,
    ReturnForm,
    ReviewForm,
    ValidityForm,
    ViewedForm,
    WithdrawForm,
    YearForm,
)
from gongkai.console.views.common import actor, paginate, query_without_page
from gongkai.inforequests.misuse_selectors import converted_suggestions_count, suggestions
from gongkai.orgs.constants import Action
from gongkai.orgs.models import Organization
from gongkai.orgs.permissions import can, orgs_for
from gongkai.publications import selectors, services
from gongkai.publications.constants import Kind, PiiResolution, Status
from gongkai.publications.models import Attachment, PiiFinding, Publication
from gongkai.publications.topics import topic_label

ServiceCall = Callable[[], Any]


def _visible(request: HttpRequest, pk: int) -> Publication:
    pub = selectors.visible_publication(request.user, pk)
    if pub is None:
        raise Http404  # do not reveal that another agency's item exists
    return pub


def _require(request: HttpRequest, action: str, pub: Publication) -> None:
    if not can(request.user, action, pub.organization):
        raise PermissionDenied(_("没有执行此操作的权限。"))


def _add_error(form: forms.BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _run(request: HttpRequest, call: ServiceCall, done: str) -> bool:
    """Run a service from a one-button form; a refusal becomes a message, not a 500."""
    try:
        call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, done)
    return True


def _repealable(pub_org: Organization | None, user: Any) -> Any:
    qs = selectors.console_list(user).filter(
        status=Status.PUBLISHED, kind=Kind.DOCUMENT, validity="valid"
    )
    qs = qs.exclude(normative_kind="")
    return qs.filter(organization=pub_org) if pub_org else qs


# --- list ----------------------------------------------------------------------------------
@login_required
def pub_list(request: HttpRequest) -> HttpResponse:
    organizations = orgs_for(request.user, Action.VIEW).order_by("path")
    form = ListFilterForm(request.GET or None, organizations=organizations)
    filters = form.filters()
    page = paginate(request, selectors.console_list(request.user, filters))
    return render(
        request,
        "console/publications/list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "can_create": orgs_for(request.user, Action.WORK).exists(),
            "today": timezone.localdate(),
        },
    )


# --- drafting ------------------------------------------------------------------------------
@login_required
def pub_create(request: HttpRequest) -> HttpResponse:
    organizations = orgs_for(request.user, Action.WORK).order_by("path")
    if not organizations.exists():
        raise PermissionDenied(_("没有起草信息的权限。"))
    form = PublicationForm(
        request.POST or None,
        organizations=organizations,
        repealable=_repealable(None, request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            pub = services.publication_create(
                actor=actor(request),
                organization=form.cleaned_data["organization"],
                data=form.service_data(),
                repeals=list(form.cleaned_data.get("repeals") or []),
            )
        except ValidationError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("草稿已保存。可以继续添加附件。"))
            return redirect("console:pub_edit", pk=pub.pk)
    return render(
        request, "console/publications/edit.html", {"form": form, "title": _("起草政府信息")}
    )


@login_required
def pub_interpret(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft a 政策解读 of document `pk` (three forms of the same page: text, graphic, video)."""
    document = _visible(request, pk)
    organizations = orgs_for(request.user, Action.WORK).order_by("path")
    if not organizations.exists():
        raise PermissionDenied(_("没有起草信息的权限。"))
    initial = {"organization": document.organization if document.organization in organizations else None,
               "title": _("《%(title)s》政策解读") % {"title": document.title},
               "statutory_category": document.statutory_category, "topic": document.topic,
               "genre": "interpretation"}  # fmt: skip
    form = PublicationForm(request.POST or None, organizations=organizations, initial=initial)
    details = InterpretationDetailsForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and details.is_valid():
        try:
            interpretation = services.interpretation_create(
                actor=actor(request),
                document=document,
                organization=form.cleaned_data["organization"],
                data=form.service_data(),
                **details.cleaned_data,
            )
        except ValidationError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("解读草稿已保存。"))
            return redirect("console:pub_edit", pk=interpretation.publication_id)
    return render(
        request,
        "console/publications/edit.html",
        {"form": form, "details": details, "document": document, "title": _("起草政策解读")},
    )


@login_required
def pub_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pub = _visible(request, pk)
    _require(request, Action.WORK, pub)
    if pub.status != Status.DRAFT:
        messages.info(request, _("只有草稿可以修改。"))
        return redirect("console:pub_detail", pk=pub.pk)
    repealable = _repealable(pub.organization, request.user).exclude(pk=pub.pk)
    form = PublicationForm(request.POST or None, instance=pub, repealable=repealable)
    # A 政策解读 also edits how it is given (form, video or interview address, speaker).
    link = getattr(pub, "interpretation", None) if pub.kind == Kind.INTERPRETATION else None
    details = None
    if link is not None:
        initial = {"form": link.form, "media_url": link.media_url, "speaker": link.speaker}
        details = InterpretationDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and (details is None or details.is_valid()):
        failed: forms.BaseForm = form  # the form whose service refused, to show why
        try:
            with transaction.atomic():
                services.publication_update(
                    actor=actor(request),
                    publication=Publication.objects.get(pk=pub.pk),
                    data=form.service_data(),
                    repeals=list(form.cleaned_data.get("repeals") or []),
                )
                if details is not None:
                    failed = details
                    services.interpretation_update(
                        actor=actor(request), publication=pub, **details.cleaned_data
                    )
        except ValidationError as exc:
            _add_error(failed, exc)
        else:
            messages.success(request, _("草稿已保存。"))
            return redirect("console:pub_edit", pk=pub.pk)
    return render(
        request,
        "console/publications/edit.html",
        {
            "form": form,
            "details": details,
            "pub": pub,
            "title": _("编辑草稿"),
            "attachments": pub.attachments.all(),
            "attachment_form": AttachmentForm(),
        },
    )


@login_required
@require_POST
def pub_attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    pub = _visible(request, pk)
    _require(request, Action.WORK, pub)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("console:pub_edit", pk=pub.pk)
    upload = form.cleaned_data["file"]
    limit = settings.ATTACHMENT_MAX_MB * 1024 * 1024
    if upload.size > limit:
        messages.error(request, _("文件超过大小上限。"))
        return redirect("console:pub_edit", pk=pub.pk)
    _run(
        request,
        lambda: services.attachment_add(
            actor=actor(request),
            publication=pub,
            data=upload.read(),
            name=upload.name,
            title=form.cleaned_data["title"],
        ),
        _("附件已上传，正在提取文本。"),
    )
    return redirect("console:pub_edit", pk=pub.pk)


def _visible_attachment(request: HttpRequest, pk: int) -> Attachment:
    attachment = Attachment.objects.filter(pk=pk).select_related("publication").first()
    if (
        attachment is None
        or selectors.visible_publication(request.user, attachment.publication_id) is None
    ):
        raise Http404
    return attachment


@login_required
@require_POST
def pub_attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = _visible_attachment(request, pk)
    _require(request, Action.WORK, attachment.publication)
    _run(
        request,
        lambda: services.attachment_remove(actor=actor(request), attachment=attachment),
        _("附件已删除。"),
    )
    return redirect("console:pub_edit", pk=attachment.publication_id)


@login_required
def pub_attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Staff download of the original file (the portal serves only the stripped copy)."""
    attachment = _visible_attachment(request, pk)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name
    )


# --- one item --------------------------------------------------------------------------------
def _detail_context(request: HttpRequest, pub: Publication) -> dict[str, Any]:
    today = timezone.localdate()
    can_work = can(request.user, Action.WORK, pub.organization)
    can_review = can(request.user, Action.REVIEW, pub.organization)
    interpretations = selectors.interpretations_of(pub, published_only=False)
    three_sync = bool(
        pub.is_normative
        and pub.status == Status.PUBLISHED
        and selectors.missing_interpretations(Publication.objects.filter(pk=pub.pk), today)
    )
    return {
        "pub": pub,
        "topic": topic_label(pub.topic) if pub.topic else "",
        "timeliness": selectors.item_timeliness(pub, today),
        "attachments": pub.attachments.all(),
        "findings": pub.pii_findings.select_related("attachment", "resolved_by"),
        "interpretations": interpretations,
        "interpretation": getattr(pub, "interpretation", None),
        # Named on a 第四十四条 decision: counted there, and withdrawing it needs a check.
        "suggestion_link": getattr(pub, "suggestion_link", None),
        "repeals": pub.repeals.all(),
        "repealed_by": pub.repealed_by.all(),
        "amended_by": pub.amended_by.all(),
        "current": selectors.current_version(pub) if pub.validity == "amended" else None,
        "three_sync_missing": three_sync,
        "can_work": can_work,
        "can_review": can_review,
        "blockers": services.publish_blockers(pub) if pub.status == Status.IN_REVIEW else [],
        "withdraw_form": WithdrawForm(ended=services.ended_only_by(pub)),
        "can_set_validity": can_review and services.validity_settable(pub),
        "validity_form": ValidityForm(initial={"on": today}, normative=pub.is_normative),
        "reassess_form": ReassessForm(),
        "publish_form": PublishForm(),
    }


@login_required
def pub_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pub = _visible(request, pk)
    return render(request, "console/publications/detail.html", _detail_context(request, pub))


@login_required
@require_POST
def pub_submit(request: HttpRequest, pk: int) -> HttpResponse:
    pub = _visible(request, pk)
    _require(request, Action.WORK, pub)
    _run(
        request,
        lambda: services.publication_submit(actor=actor(request), publication=pub),
        _("已提交审核。"),
    )
    return redirect("console:pub_detail", pk=pub.pk)


@login_required
def pub_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewer's page: metadata, body, personal-data findings with mask/justify, and the
    decision (保密审查, 公开属性, publish now / at a time / later)."""
    pub = _visible(request, pk)
    _require(request, Action.REVIEW, pub)
    if pub.status != Status.IN_REVIEW:
        messages.info(request, _("该信息不在待审核状态。"))
        return redirect("console:pub_detail", pk=pub.pk)
    form = ReviewForm(
        request.POST or None, initial={"disclosure_attribute": pub.disclosure_attribute}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                services.publication_review(
                    actor=actor(request),
                    publication=pub,
                    secrecy_ok=d["secrecy_ok"],
                    disclosure_attribute=d["disclosure_attribute"],
                    withholding_reason=d["withholding_reason"],
                    withholding_basis=d["withholding_basis"],
                    opinion=d["opinion"],
                )
                if d["disclosure_attribute"] == "proactive" and d["publish"] != form.PUBLISH_LATER:
                    at = d["publish_at"] if d["publish"] == form.PUBLISH_AT else None
                    services.publication_publish(actor=actor(request), publication=pub, at=at)
        except ValidationError as exc:
            _add_error(form, exc)
            services.publication_rescan(pub)
        else:
            messages.success(request, _("审核意见已保存。"))
            return redirect("console:pub_detail", pk=pub.pk)
    context = _detail_context(request, pub)
    context.update(
        form=form,
        return_form=ReturnForm(),
        justify_form=JustifyForm(),
        body_findings=[f for f in context["findings"] if f.attachment_id is None],
    )
    return render(request, "console/publications/review.html", context)


@login_required
@require_POST
def pub_return(request: HttpRequest, pk: int) -> HttpResponse:
    pub = _visible(request, pk)
    _require(request, Action.REVIEW, pub)
    form = ReturnForm(request.POST)
    opinion = form.cleaned_data["opinion"] if form.is_valid() else ""
    _run(
        request,
        lambda: services.publication_return(actor=actor(request), publication=pub, opinion=opinion),
        _("已退回起草人。"),
    )
    return redirect("console:pub_detail", pk=pub.pk)


def _visible_finding(request: HttpRequest, pk: int) -> PiiFinding:
    finding = PiiFinding.objects.filter(pk=pk).select_related("publication").first()
    if (
        finding is None
        or selectors.visible_publication(request.user, finding.publication_id) is None
    ):
        raise Http404
    _require(request, Action.REVIEW, finding.publication)
    return finding


@login_required
@require_POST
def pub_pii_mask(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _visible_finding(request, pk)
    _run(
        request,
        lambda: services.pii_mask(actor=actor(request), finding=finding),
        _("已遮盖并重新检查。"),
    )
    return redirect("console:pub_review", pk=finding.publication_id)


@login_required
@require_POST
def pub_pii_justify(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _visible_finding(request, pk)
    form = JustifyForm(request.POST)
    text = form.cleaned_data["justification"] if form.is_valid() else ""
    _run(
        request,
        lambda: services.pii_justify(actor=actor(request), finding=finding, justification=text),
        _("已记录依法公开的理由。"),
    )
    return redirect("console:pub_review", pk=finding.publication_id)


@login_required
@require_POST
def pub_pii_viewed(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _visible_finding(request, pk)
    form = ViewedForm(request.POST)
    if not form.is_valid():  # a remark too long is refused, not dropped
        messages.error(request, _("备注不能超过500字。"))
        return redirect("console:pub_review", pk=finding.publication_id)
    remark = form.cleaned_data["remark"]
    _run(
        request,
        lambda: services.pii_confirm_viewed(actor=actor(request), finding=finding, remark=remark),
        _("已登记人工查看。"),
    )
    return redirect("console:pub_review", pk=finding.publication_id)


@login_required
@require_POST
def pub_publish(request: HttpRequest, pk: int) -> HttpResponse:
    pub = _visible(request, pk)
    _require(request, Action.REVIEW, pub)
    form = PublishForm(request.POST)
    at = form.cleaned_data["publish_at"] if form.is_valid() else None
    _run(
        request,
        lambda: services.publication_publish(actor=actor(request), publication=pub, at=at),
        _("已定时发布。") if at else _("已发布。"),
    )
    return redirect("console:pub_detail", pk=pub.pk)


@login_required
@require_POST
def pub_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    pub = _visible(request, pk)
    _require(request, Action.REVIEW, pub)
    form = WithdrawForm(request.POST, ended=services.ended_only_by(pub))
    valid = form.is_valid()
    reason = form.cleaned_data["reason"] if valid else ""
    restore = valid and form.cleaned_data.get("restore_ended", False)
    _run(
        request,
        lambda: services.publication_withdraw(
            actor=actor(request), publication=pub, reason=reason, restore_ended=restore
        ),
        _("已撤回。"),
    )
    return redirect("console:pub_detail", pk=pub.pk)


@login_required
@require_POST
def pub_amend(request: HttpRequest, pk: int) -> HttpResponse:
    pub = _visible(request, pk)
    _require(request, Action.WORK, pub)
    result: dict[str, Publication] = {}

    def call() -> None:
        result["new"] = services.publication_amend(actor=actor(request), publication=pub)

    if _run(request, call, _("已创建修订稿；发布后原文件有效性变为“已修改”。")):
        return redirect("console:pub_edit", pk=result["new"].pk)
    return redirect("console:pub_detail", pk=pub.pk)


@login_required
@require_POST
def pub_validity(request: HttpRequest, pk: int) -> HttpResponse:
    pub = _visible(request, pk)
    _require(request, Action.REVIEW, pub)
    form = ValidityForm(request.POST, normative=pub.is_normative)
    if not form.is_valid():
        messages.error(request, _("请选择有效性、日期并说明依据。"))
        return redirect("console:pub_detail", pk=pub.pk)
    d = form.cleaned_data
    _run(
        request,
        lambda: services.publication_set_validity(
            actor=actor(request),
            publication=pub,
            validity=d["validity"],
            on=d["on"],
            reason=d["reason"],
        ),
        _("有效性已更新。"),
    )
    return redirect("console:pub_detail", pk=pub.pk)


@login_required
@require_POST
def pub_reassess(request: HttpRequest, pk: int) -> HttpResponse:
    pub = _visible(request, pk)
    _require(request, Action.REVIEW, pub)
    form = ReassessForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择评估结论并填写评估意见。"))
        return redirect("console:pub_detail", pk=pub.pk)
    d = form.cleaned_data
    if d["decision"] == form.CONVERT:
        _run(
            request,
            lambda: services.publication_convert_to_proactive(
                actor=actor(request), publication=pub, opinion=d["opinion"]
            ),
            _("已转为主动公开，请完成发布。"),
        )
    else:
        _run(
            request,
            lambda: services.publication_reassess(
                actor=actor(request), publication=pub, opinion=d["opinion"]
            ),
            _("评估已记录。"),
        )
    return redirect("console:pub_detail", pk=pub.pk)


# --- queues and figures --------------------------------------------------------------------
@login_required
def pub_review_queue(request: HttpRequest) -> HttpResponse:
    """Waiting for review or publishing, and the 第十八条 re-assessments that are due."""
    today = timezone.localdate()
    return render(
        request,
        "console/publications/review_queue.html",
        {
            "page": paginate(request, selectors.review_inbox(request.user)),
            "reassess": selectors.reassessment_queue(request.user, today)[:200],
            "suggestions": suggestions(request.user, today),
            "query": query_without_page(request),
        },
    )


def _year(request: HttpRequest, today: date) -> int:
    form = YearForm(request.GET)
    if form.is_valid() and form.cleaned_data["year"]:
        return int(form.cleaned_data["year"])
    return today.year


@login_required
def pub_timeliness(request: HttpRequest) -> HttpResponse:
    """第二十六条 per organisation for a year, the items past their limit, 三同步 gaps."""
    today = timezone.localdate()
    year = _year(request, today)
    organizations = list(orgs_for(request.user, Action.VIEW).order_by("path"))
    names = {o.pk: o.name for o in organizations}
    rows = selectors.timeliness_by_org(names, year, today)
    visible = selectors.console_list(request.user)
    overdue = visible.filter(
        status__in=selectors.PENDING_STATUSES, publish_due_on__lt=today
    ).order_by("publish_due_on")
    missing = selectors.missing_interpretations(visible.filter(published_on__year=year), today)
    reassessed = selectors.conversions_count(names, year)
    suggested = converted_suggestions_count(names, year)
    return render(
        request,
        "console/publications/timeliness.html",
        {
            "year": year,
            "form": YearForm(initial={"year": year}),
            "rows": [
                (
                    names[r.organization_id],
                    r,
                    reassessed.get(r.organization_id, 0),
                    suggested.get(r.organization_id, 0),
                )
                for r in rows
                if r.published
                or r.pending_overdue
                or r.organization_id in reassessed
                or r.organization_id in suggested
            ],
            "page": paginate(request, overdue),
            "missing": missing[:200],
            "query": query_without_page(request),
            "resolution_open": PiiResolution.OPEN,
        },
    )
