from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.constants import AdminRole, Role
from gongkai.orgs.models import Organization, User
from gongkai.orgs.services import ORG_EDITABLE_FIELDS


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = list(ORG_EDITABLE_FIELDS)


class OrganizationCreateForm(OrganizationForm):
    parent = forms.ModelChoiceField(
        label=_("上级机关"),
        queryset=Organization.objects.all(),
        required=False,
        empty_label=_("（无，作为顶级机关）"),
    )


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("人员"),
        queryset=User.objects.filter(is_active=True, admin_role="").order_by("username"),
    )
    role = forms.ChoiceField(label=_("岗位"), choices=Role.choices)


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("账号"),
        regex=r"^[A-Za-z0-9_.-]{3,30}$",
        error_messages={"invalid": _("账号为3–30位字母、数字、点、下划线或连字符。")},
    )
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    admin_role = forms.ChoiceField(
        label=_("管理员角色"),
        choices=AdminRole.choices,
        required=False,
        help_text=_("业务人员留空；三员账号不得兼任业务岗位。"),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    verb = forms.CharField(label=_("事件类型"), required=False, max_length=60)
    outcome = forms.ChoiceField(
        label=_("结果"),
        required=False,
        choices=[("", _("全部")), ("success", _("成功")), ("failure", _("失败"))],
    )
    since = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data


class ArrangementForm(forms.Form):
    title = forms.CharField(label=_("通知标题"), max_length=200)
    document_number = forms.CharField(label=_("文号"), max_length=60, required=False)
    source_url = forms.URLField(label=_("来源网址"), required=False, assume_scheme="https")
    holidays = forms.CharField(
        label=_("放假日期"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("每行一个日期或日期范围及节日名称，如“2027-02-06 至 2027-02-13 春节”。"),
    )
    makeup_workdays = forms.CharField(
        label=_("调休上班日期"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("每行一个周六或周日的上班日期，如“2027-02-14 春节调休”。"),
    )
