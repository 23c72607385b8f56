"""Console forms for letters: drafting, editing, review, delivery, receipts and templates.
They only collect input; every change goes through `gongkai.inforequests.letters.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.console.forms_requests import DATE_WIDGET, OUTCOME_GROUPS
from gongkai.inforequests.fees import FeeMethod
from gongkai.inforequests.letters.constants import DeliveryMethod, LetterKind
from gongkai.inforequests.letters.uploads import MAX_RECEIPT_BYTES

OUTCOME_CHOICES = [
    ("", _("请选择")),
    *[(group, [(o.value, o.label) for o in members]) for group, members in OUTCOME_GROUPS],
]


class LetterCreateForm(forms.Form):
    """起草文书: the kind, and what the template cannot know."""

    kind = forms.ChoiceField(label=_("文书类型"), choices=LetterKind.choices)
    outcome = forms.ChoiceField(
        label=_("办理结果（答复书）"), choices=OUTCOME_CHOICES, required=False
    )
    withheld = forms.CharField(
        label=_("不予公开的部分及理由（部分公开）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("部分公开的，写明不予公开的内容及理由（条例第三十七条）。"),
    )
    responsible_agency = forms.CharField(
        label=_("负责公开该信息的机关及联系方式"),
        max_length=200,
        required=False,
        help_text=_(
            "不属于本机关负责公开的，能够确定负责机关的，告知其名称、联系方式（第三十六条第（五）项）。"
        ),
    )
    correction_items = forms.CharField(
        label=_("需要补正的事项（补正告知书）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("一次性告知申请人需要补正的全部事项（条例第三十条）。"),
    )
    correction_period = forms.IntegerField(
        label=_("补正期限（工作日）"), min_value=1, max_value=60, required=False, initial=10
    )
    extension_reason = forms.CharField(
        label=_("延期理由（延期答复告知书）"), max_length=200, required=False
    )
    fee_method = forms.ChoiceField(
        label=_("计收方式（收费通知书）"),
        choices=[("", _("请选择")), (FeeMethod.BY_ITEMS.value, _("按件计收")),
                 (FeeMethod.BY_PAGES.value, _("按量计收"))],
        required=False,
    )  # fmt: skip
    fee_quantity = forms.IntegerField(
        label=_("本月第几件申请（按件）或页数（按量）"), min_value=1, required=False
    )
    payment_instructions = forms.CharField(
        label=_("缴费方式"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("如：缴款码、收款账户、缴费地点及时间。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "letter_%s")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = str(data.get("kind") or "")
        required: dict[str, dict[str, Any]] = {
            LetterKind.REPLY: {"outcome": _("请选择办理结果。")},
            LetterKind.CORRECTION: {
                "correction_items": _("请写明需要补正的事项。"),
                "correction_period": _("请填写补正期限。"),
            },
            LetterKind.FEE: {
                "fee_method": _("请选择计收方式。"),
                "fee_quantity": _("请填写件数或页数。"),
                "payment_instructions": _("请写明缴费方式。"),
            },
        }
        for field, message in required.get(kind, {}).items():
            if data.get(field) in (None, ""):
                self.add_error(field, message)
        return data


class LetterEditForm(forms.Form):
    addressee = forms.CharField(label=_("主送（申请人）"), max_length=120)
    outcome = forms.ChoiceField(label=_("办理结果"), choices=OUTCOME_CHOICES, required=False)
    legal_basis = forms.CharField(
        label=_("法律依据"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    reasons = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    withheld = forms.CharField(
        label=_("不予公开的部分及理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    responsible_agency = forms.CharField(
        label=_("负责公开该信息的机关及联系方式"), max_length=200, required=False
    )
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 16}),
        required=False,
        help_text=_("每行为一个自然段。修改办理结果、法律依据或理由后，可按模板重新生成正文。"),
    )

    def __init__(self, *args: Any, reply: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "edit_%s")
        super().__init__(*args, **kwargs)
        if not reply:
            for name in ("outcome", "legal_basis", "reasons", "withheld", "responsible_agency"):
                del self.fields[name]


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("审核意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("退回修改时必须填写。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "review_%s")
        super().__init__(*args, **kwargs)


class SendForm(forms.Form):
    method = forms.ChoiceField(label=_("送达方式"), choices=DeliveryMethod.choices)
    delivered_on = forms.DateField(label=_("送达日期"), widget=DATE_WIDGET)
    tracking_number = forms.CharField(
        label=_("邮件单号"), max_length=40, required=False, help_text=_("邮寄送达的必填。")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "send_%s")
        super().__init__(*args, **kwargs)


class ReceiptForm(forms.Form):
    receipt = forms.FileField(
        label=_("送达回证扫描件"),
        help_text=_("PDF、JPEG 或 PNG 文件，不超过 10 MB。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "receipt_%s")
        super().__init__(*args, **kwargs)

    def clean_receipt(self) -> Any:
        upload = self.cleaned_data["receipt"]
        if upload.size > MAX_RECEIPT_BYTES:
            raise forms.ValidationError(_("回执扫描件不能超过 10 MB。"))
        return upload


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100)
    body = forms.CharField(
        label=_("正文模板"),
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("使用下方列出的占位符，如 {{ applicant_name }}；每行为一个自然段。"),
    )
