"""Public forms of the portal: the online disclosure application (条例第二十九条) and the
progress lookup.

Everything a citizen types is normalised before it is validated: NFKC folds full-width digits
and letters (１２３ → 123, ＠ → @), odd spaces collapse, and identifiers lose spaces and hyphens.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from gongkai.core.text import normalize, normalize_code
from gongkai.core.validators import (
    validate_credit_code,
    validate_mobile_or_phone,
    validate_resident_id,
)
from gongkai.inforequests.constants import ApplicantType, DeliveryWay, IdDocument, ProvisionForm
from gongkai.orgs.models import Organization

SUBMISSION_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$", re.ASCII)
OTHER_ID_RE = re.compile(r"^[A-Z0-9]{5,30}$", re.ASCII)
POSTCODE_RE = re.compile(r"^\d{6}$", re.ASCII)
# Derived subject when only a description is given (the register needs a short title).
SUBJECT_FROM_DESCRIPTION_CHARS = 60
# A name or description is meaningful with at least this many letters, digits or characters.
MEANINGFUL_MIN_CHARS = 2

PERSONAL_DOCUMENTS = [
    (value, label) for value, label in IdDocument.choices if value != IdDocument.CREDIT_CODE
]


def new_submission_key() -> str:
    """A random token for one rendering of the form: the same key twice is one application."""
    return secrets.token_urlsafe(24)


def valid_submission_key(value: object) -> bool:
    return isinstance(value, str) and bool(SUBMISSION_KEY_RE.match(value))


def normalize_lines(text: str) -> str:
    """`normalize` line by line, keeping the line breaks of a description."""
    lines = [normalize(line) for line in (text or "").splitlines()]
    return "\n".join(lines).strip()


def normalize_phone(text: str) -> str:
    """Full-width digits to half-width, no spaces; hyphens of a landline stay."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text or ""))


def meaningful(text: str) -> bool:
    """True when the text has some letters, digits or Chinese characters, not only
    punctuation or a single character."""
    return sum(1 for ch in text if ch.isalnum()) >= MEANINGFUL_MIN_CHARS


def organisation_choices() -> tuple[list[Any], dict[int, Organization]]:
    """Active organisations for a <select>, grouped by their parent.

    Each organisation with active children opens a group holding itself and those of its
    children that have none, so that a 人民政府 and its departments sit together and every
    organisation is listed once; organisations under an inactive parent are left out. Returns the grouped choices and the organisations by primary key.
    """
    nodes = list(Organization.objects.order_by("path"))
    inactive_paths: list[str] = []
    active: list[Organization] = []
    for node in nodes:
        if not node.is_active or any(node.path.startswith(p) for p in inactive_paths):
            inactive_paths.append(node.path)
            continue
        active.append(node)
    children: dict[str, list[Organization]] = {}
    for node in active:
        children.setdefault(node.path[: -Organization.steplen], []).append(node)
    choices: list[Any] = [("", _("请选择受理机关"))]
    for node in active:
        own = children.get(node.path)
        if own:
            # Children with children of their own head their own group further down.
            leaves = [c for c in own if c.path not in children]
            choices.append((node.name, [(m.pk, m.name) for m in [node, *leaves]]))
        elif node.depth == 1:
            choices.append((node.pk, node.name))
    return choices, {node.pk: node for node in active}


class NormalizedCharField(forms.CharField):
    """A text field whose value is normalised before its length and validators are checked."""

    def __init__(self, *args: Any, simplify: bool = True, multiline: bool = False, **kw: Any):
        self.simplify = simplify
        self.multiline = multiline
        super().__init__(*args, **kw)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        if self.multiline:
            return normalize_lines(text)
        return normalize(text, simplify=self.simplify)


class NormalizedEmailField(forms.EmailField):
    def to_python(self, value: Any) -> str:
        text = unicodedata.normalize("NFKC", super().to_python(value) or "")
        return text.strip()


class ApplicationForm(forms.Form):
    """The online application (条例第二十九条); field names follow InfoRequest."""

    organization = forms.TypedChoiceField(
        label=_("受理机关"),
        coerce=int,
        help_text=_("请选择制作或者保存所需信息的行政机关。"),
        error_messages={
            "required": _("请选择受理机关。"),
            "invalid_choice": _("请从列表中选择受理机关。"),
        },
    )
    # 第二十九条第（一）项：申请人的姓名或者名称、身份证明、联系方式
    applicant_type = forms.ChoiceField(
        label=_("申请人类型"),
        choices=[
            (ApplicantType.NATURAL_PERSON.value, ApplicantType.NATURAL_PERSON.label),
            (
                _("法人或者其他组织"),
                [(value, label) for value, label in ApplicantType.choices[1:]],
            ),
        ],
        initial=ApplicantType.NATURAL_PERSON,
        error_messages={"required": _("请选择申请人类型。")},
    )
    applicant_name = NormalizedCharField(
        label=_("姓名或者名称"),
        max_length=100,
        # A person's name must match the identity document: no 繁→简 conversion.
        simplify=False,
        help_text=_("自然人填写姓名；法人或者其他组织填写名称，与证件一致。"),
        error_messages={"required": _("请填写姓名或者名称。")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_document = forms.ChoiceField(
        label=_("身份证明"),
        choices=IdDocument.choices,
        initial=IdDocument.RESIDENT_ID,
        help_text=_("法人或者其他组织请选择“统一社会信用代码”。"),
        error_messages={"required": _("请选择身份证明的种类。")},
    )
    id_number = forms.CharField(
        label=_("证件号码"),
        max_length=40,
        error_messages={"required": _("请填写证件号码。")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        help_text=_("手机号码，或者带区号的固定电话，如 021-12345678。"),
        error_messages={"required": _("请填写联系电话。")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = NormalizedEmailField(
        label=_("电子邮箱"),
        required=False,
        help_text=_("选择以电子邮件获取信息的，必须填写。"),
        error_messages={"invalid": _("请填写有效的电子邮箱，如 name@example.com。")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = NormalizedCharField(
        label=_("通信地址"),
        max_length=200,
        required=False,
        help_text=_("选择邮寄的，必须填写。"),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postcode = forms.CharField(
        label=_("邮政编码"),
        max_length=12,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "inputmode": "numeric", "class": "input-short"}
        ),
    )
    # 第二十九条第（二）项：申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述
    subject = NormalizedCharField(
        label=_("所需信息名称"),
        max_length=200,
        required=False,
        help_text=_("所需信息名称和描述至少填写一项。"),
    )
    document_number = NormalizedCharField(
        label=_("文号"),
        max_length=60,
        required=False,
        help_text=_("如知道文件的文号，请填写，例如：×府发〔2024〕1号。"),
    )
    description = NormalizedCharField(
        label=_("所需信息的描述"),
        max_length=2000,
        required=False,
        multiline=True,
        help_text=_("便于行政机关查询的特征性描述，例如制作机关、时间、涉及的事项或者地点。"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    # 第二十九条第（三）项：申请公开的政府信息的形式要求，包括获取信息的方式、途径
    provision_form = forms.ChoiceField(
        label=_("提供形式"),
        choices=ProvisionForm.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择提供形式。")},
    )
    delivery_way = forms.ChoiceField(
        label=_("获取方式"),
        choices=DeliveryWay.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择获取方式。")},
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    SECTIONS = (
        (_("受理机关"), ("organization",)),
        (
            _("申请人信息（条例第二十九条第二款第（一）项）"),
            (
                "applicant_type",
                "applicant_name",
                "id_document",
                "id_number",
                "phone",
                "email",
                "address",
                "postcode",
            ),
        ),
        (
            _("所需信息（条例第二十九条第二款第（二）项）"),
            ("subject", "document_number", "description"),
        ),
        (
            _("形式要求（条例第二十九条第二款第（三）项）"),
            ("provision_form", "delivery_way"),
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices, self.organisations = organisation_choices()
        cast(forms.TypedChoiceField, self.fields["organization"]).choices = choices

    # --- normalisation of single fields -------------------------------------------------------

    def clean_id_number(self) -> str:
        return normalize_code(self.cleaned_data.get("id_number", ""))

    def clean_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data.get("phone", ""))
        validate_mobile_or_phone(phone)
        return phone

    def clean_postcode(self) -> str:
        code = normalize_code(self.cleaned_data.get("postcode", ""))
        if code and not POSTCODE_RE.match(code):
            raise ValidationError(_("邮政编码应为6位数字。"), code="postcode")
        return code

    # --- rules across fields --------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_identity(data)
        described = meaningful(data.get("subject", "")) or meaningful(data.get("description", ""))
        if not described and "subject" not in self.errors and "description" not in self.errors:
            self.add_error(
                "subject",
                ValidationError(
                    _(
                        "请填写所需信息的名称，或者对所需信息作出描述"
                        "（条例第二十九条第二款第（二）项）。"
                    ),
                    code="subject",
                ),
            )
        way = data.get("delivery_way")
        if way == DeliveryWay.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error(
                "email",
                ValidationError(_("选择以电子邮件获取的，请填写电子邮箱。"), code="email"),
            )
        if way == DeliveryWay.POST and not data.get("address") and "address" not in self.errors:
            self.add_error(
                "address", ValidationError(_("选择邮寄的，请填写通信地址。"), code="address")
            )
        return data

    def _clean_identity(self, data: dict[str, Any]) -> None:
        kind, document = data.get("applicant_type"), data.get("id_document")
        if not kind or not document:
            return
        if kind == ApplicantType.NATURAL_PERSON and document == IdDocument.CREDIT_CODE:
            self.add_error(
                "id_document",
                ValidationError(_("自然人请选择个人身份证件，如居民身份证。"), code="document"),
            )
            return
        if kind != ApplicantType.NATURAL_PERSON and document != IdDocument.CREDIT_CODE:
            self.add_error(
                "id_document",
                ValidationError(_("法人或者其他组织请选择“统一社会信用代码”。"), code="document"),
            )
            return
        number = data.get("id_number")
        if not number:
            return
        try:
            if document == IdDocument.RESIDENT_ID:
                validate_resident_id(number)
            elif document == IdDocument.CREDIT_CODE:
                validate_credit_code(number)
            elif not OTHER_ID_RE.match(number):
                raise ValidationError(_("证件号码应为5至30位字母或者数字。"), code="id_number")
        except ValidationError as error:
            self.add_error("id_number", error)

    # --- for the view ---------------------------------------------------------------------------

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(legend), [self[name] for name in names]) for legend, names in self.SECTIONS]

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor, label, message) for the summary at the top of the form, in field order."""
        entries: list[tuple[str, str, str]] = []
        for message in self.non_field_errors():
            entries.append(("", "", str(message)))
        for _legend, names in self.SECTIONS:
            for name in names:
                bound = self[name]
                anchor = f"{bound.auto_id}_0" if bound.use_fieldset else bound.auto_id
                for message in bound.errors:
                    entries.append((anchor, str(bound.label), str(message)))
        return entries

    def selected_organisation(self) -> Organization:
        return self.organisations[self.cleaned_data["organization"]]

    def service_data(self) -> dict[str, Any]:
        """The applicant fields for inforequests.services.request_submit."""
        data = self.cleaned_data
        subject = data["subject"]
        if not meaningful(subject):
            # The register needs a title: the start of the description stands in for it.
            lines = data["description"].splitlines()
            first_line = next((line for line in lines if meaningful(line)), data["description"])
            subject = Truncator(first_line).chars(SUBJECT_FROM_DESCRIPTION_CHARS)
        return {
            "applicant_type": data["applicant_type"],
            "applicant_name": data["applicant_name"],
            "id_document": data["id_document"],
            "id_number": data["id_number"],
            "phone": data["phone"],
            "email": data["email"],
            "address": data["address"],
            "postcode": data["postcode"],
            "subject": subject,
            "document_number": data["document_number"],
            "description": data["description"],
            "provision_form": data["provision_form"],
            "delivery_way": data["delivery_way"],
        }


class TrackForm(forms.Form):
    """Number and tracking code of an application, as given on the confirmation page."""

    number = forms.CharField(
        label=_("申请编号"),
        max_length=40,
        help_text=_("提交申请后页面显示的编号，如 2025-0001-00001。"),
        error_messages={"required": _("请填写申请编号。")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    code = forms.CharField(
        label=_("查询码"),
        max_length=20,
        help_text=_("提交申请后页面显示的8位查询码。"),
        error_messages={"required": _("请填写查询码。")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )

    def clean_number(self) -> str:
        return unicodedata.normalize("NFKC", self.cleaned_data.get("number", "")).strip()

    def clean_code(self) -> str:
        return normalize_code(self.cleaned_data.get("code", ""))

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [("", [self["number"], self["code"]])]

    def error_summary(self) -> list[tuple[str, str, str]]:
        entries = [("", "", str(m)) for m in self.non_field_errors()]
        for name in ("number", "code"):
            bound = self[name]
            entries.extend((bound.auto_id, str(bound.label), str(m)) for m in bound.errors)
        return entries
