"""Console page where an organisation admin edits the text of its 政府信息公开指南."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.console.views.common import actor
from gongkai.orgs.models import Organization
from gongkai.orgs.permissions import can_edit_organization, can_view_organization
from gongkai.portal import guide, services


class GuideForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("指南正文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 24}),
        max_length=services.GUIDE_MAX_CHARS,
        help_text=gettext_lazy(
            "纯文本，空行分段。办公地址、办公时间、联系电话、传真、电子邮箱和申请渠道根据机关信息自动生成，"
            "无需在此填写。清空后恢复为系统生成的文本。"
        ),
    )


@login_required
def guide_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization, pk=pk)
    if not can_view_organization(request.user, org):
        raise Http404  # do not reveal another agency's record
    if not can_edit_organization(request.user, org):
        raise PermissionDenied
    text, _stored = guide.guide_text(org)
    form = GuideForm(request.POST or None, initial={"text": text})
    if request.method == "POST" and form.is_valid():
        try:
            services.guide_save(
                actor=actor(request), organization=org, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            messages.success(request, _("政府信息公开指南已保存。"))
            return redirect("console:guide_edit", pk=org.pk)
    return render(
        request,
        "console/form.html",
        {"form": form, "title": _("政府信息公开指南：%(name)s") % {"name": org.name}},
    )
