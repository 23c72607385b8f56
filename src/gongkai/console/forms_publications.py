"""Console forms for 主动公开. They parse input only; every change goes through
`gongkai.publications.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.text import quote_title
from gongkai.orgs.models import Organization
from gongkai.publications.constants import (
    DisclosureAttribute,
    InterpretationForm,
    NormativeKind,
    Status,
    StatutoryCategory,
    Validity,
    WithholdingReason,
)
from gongkai.publications.models import Publication, validate_web_url
from gongkai.publications.selectors import Filters
from gongkai.publications.services import EDITABLE_FIELDS
from gongkai.publications.topics import top_level, topic_choices

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BLANK = [("", "—")]


class PublicationForm(forms.ModelForm):
    """The catalog metadata and body of a draft (RULES.md §5.3)."""

    topic = forms.ChoiceField(label=_("主题分类"), required=False)
    repeals = forms.ModelMultipleChoiceField(
        label=_("本文件废止的文件"),
        queryset=Publication.objects.none(),
        required=False,
        help_text=_("发布后，所选文件的有效性变为“已废止”"),
    )

    class Meta:
        model = Publication
        fields = EDITABLE_FIELDS
        widgets = {
            "written_on": DATE_WIDGET,
            "formed_on": DATE_WIDGET,
            "effective_on": DATE_WIDGET,
            "expires_on": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 14}),
        }
        help_texts = {
            "formed_on": _("第二十六条：自形成或者变更之日起20个工作日内公开；留空则取成文日期"),
            "body": _("可使用段落、加粗、列表、表格和链接；脚本和样式会被清除"),
            "genre": _(
                "本机关政府信息公开工作的制度（如保密审查、依申请公开办理、发布协调制度）"
                "请选“政府信息公开制度”，门户将其列入该栏目"
            ),
        }

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization] | None = None,
        repealable: QuerySet[Publication] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = BLANK + topic_choices()  # type: ignore[attr-defined]
        if organizations is not None:
            self.fields["organization"] = forms.ModelChoiceField(
                label=_("发布机构"), queryset=organizations, empty_label=None
            )
            self.order_fields(["organization", *EDITABLE_FIELDS])
        if repealable is not None:
            self.fields["repeals"].queryset = repealable  # type: ignore[attr-defined]
            if self.instance.pk:
                self.initial.setdefault("repeals", list(self.instance.repeals.all()))
        else:
            del self.fields["repeals"]
        self.fields["statutory_category"].required = True

    def service_data(self) -> dict[str, Any]:
        return {f: self.cleaned_data.get(f) for f in EDITABLE_FIELDS}


class InterpretationDetailsForm(forms.Form):
    form = forms.ChoiceField(label=_("解读形式"), choices=InterpretationForm.choices)
    media_url = forms.URLField(
        label=_("视频或访谈地址"),
        required=False,
        assume_scheme="https",
        validators=[validate_web_url],
    )
    speaker = forms.CharField(
        label=_("解读人"),
        max_length=100,
        required=False,
        help_text=_("在线访谈请填写出席嘉宾"),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件文件"), help_text=_("PDF、DOCX、XLSX、OFD、PNG、JPEG"))
    title = forms.CharField(label=_("附件名称"), max_length=200, required=False)


class ReviewForm(forms.Form):
    """条例第十七条: 保密审查 and the 公开属性, then publish now, at a time, or later."""

    PUBLISH_NOW, PUBLISH_AT, PUBLISH_LATER = "now", "at", "later"

    secrecy_ok = forms.BooleanField(label=_("已进行保密审查，不涉及国家秘密"), required=True)
    disclosure_attribute = forms.ChoiceField(
        label=_("公开属性"), choices=DisclosureAttribute.choices
    )
    withholding_reason = forms.ChoiceField(
        label=_("不主动公开的理由"), choices=BLANK + list(WithholdingReason.choices), required=False
    )
    withholding_basis = forms.CharField(
        label=_("法律依据"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    opinion = forms.CharField(
        label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    publish = forms.ChoiceField(
        label=_("发布"),
        choices=[
            (PUBLISH_NOW, _("审核通过后立即发布")),
            (PUBLISH_AT, _("定时发布")),
            (PUBLISH_LATER, _("暂不发布")),
        ],
        initial=PUBLISH_NOW,
        widget=forms.RadioSelect,
    )
    publish_at = forms.DateTimeField(
        label=_("定时发布时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("disclosure_attribute") != DisclosureAttribute.PROACTIVE:
            if not data.get("withholding_reason"):
                self.add_error("withholding_reason", _("请选择理由"))
            if not (data.get("withholding_basis") or "").strip():
                self.add_error("withholding_basis", _("请写明法律依据"))
        if data.get("publish") == self.PUBLISH_AT:
            at = data.get("publish_at")
            if at is None or at <= timezone.now():
                self.add_error("publish_at", _("请填写将来的时间"))
        return data


class ReturnForm(forms.Form):
    opinion = forms.CharField(label=_("退回意见"), widget=forms.Textarea(attrs={"rows": 2}))


class JustifyForm(forms.Form):
    justification = forms.CharField(
        label=_("依法公开的理由"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ViewedForm(forms.Form):
    remark = forms.CharField(label=_("备注"), required=False, max_length=500)


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("定时发布时间（留空立即发布）"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回理由（将在门户公开）"), widget=forms.Textarea(attrs={"rows": 3})
    )
    restore_ended = forms.BooleanField(
        label=_("同时将本文件修改或废止的文件恢复为有效（本文件误发时勾选）"), required=False
    )

    def __init__(self, *args: Any, ended: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if ended:
            titles = "、".join(quote_title(p.title) for p in ended)
            self.fields["restore_ended"].help_text = _("将恢复：%(titles)s") % {"titles": titles}
        else:
            del self.fields["restore_ended"]


class ValidityForm(forms.Form):
    validity = forms.ChoiceField(label=_("有效性"), choices=Validity.choices)
    on = forms.DateField(label=_("日期"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("依据"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, normative: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not normative:  # another document can only be restored (services.validity_settable)
            field = self.fields["validity"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(v, label) for v, label in Validity.choices if v == Validity.VALID]


class ReassessForm(forms.Form):
    KEEP, CONVERT = "keep", "convert"
    decision = forms.ChoiceField(
        label=_("评估结论"),
        choices=[(KEEP, _("维持原公开属性")), (CONVERT, _("依申请转主动公开"))],
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(label=_("评估意见"), widget=forms.Textarea(attrs={"rows": 2}))


class ListFilterForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("发布机构"), queryset=Organization.objects.none(), required=False
    )
    statutory_category = forms.ChoiceField(
        label=_("法定主动公开内容"), choices=BLANK + list(StatutoryCategory.choices), required=False
    )
    topic = forms.ChoiceField(label=_("主题分类"), required=False)
    year = forms.IntegerField(label=_("发布年度"), required=False, min_value=1990, max_value=2100)
    validity = forms.ChoiceField(
        label=_("有效性"), choices=BLANK + list(Validity.choices), required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=BLANK + list(Status.choices), required=False
    )
    normative_kind = forms.ChoiceField(
        label=_("文件类别"),
        choices=BLANK + [c for c in NormativeKind.choices if c[0]],
        required=False,
    )
    q = forms.CharField(label=_("名称或文号"), required=False, max_length=100)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["topic"].choices = BLANK + [(t.code, t.name) for t in top_level()]  # type: ignore[attr-defined]

    def filters(self) -> Filters:
        """The listing filters chosen (none when the form is empty or invalid)."""
        if not self.is_valid():
            return Filters()
        d = self.cleaned_data
        return Filters(
            organization=d["organization"].pk if d["organization"] else None,
            statutory_category=d["statutory_category"],
            topic=d["topic"],
            year=d["year"],
            validity=d["validity"],
            status=d["status"],
            normative_kind=d["normative_kind"],
            q=d["q"].strip(),
        )


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100, required=False)
