"""Console forms for 依申请公开: registering an application received off-line, and the
officer's actions on it (assign, record a step, close)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.ids import credit_code_problem, resident_id_problem
from gongkai.core.text import normalize_code
from gongkai.core.validators import validate_mobile_or_phone
from gongkai.inforequests.channels import Channel
from gongkai.inforequests.clock import receipt_date
from gongkai.inforequests.clock_events import ClockEvent, ConsultedParty
from gongkai.inforequests.constants import ApplicantType, IdDocument, Outcome
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.services import APPLICANT_FIELDS
from gongkai.orgs.constants import Role
from gongkai.orgs.models import Organization, User

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# Channels an officer registers by hand; online applications come through the portal.
REGISTER_CHANNELS = (
    Channel.IN_PERSON,
    Channel.POST,
    Channel.LETTER,
    Channel.FAX,
    Channel.EMAIL,
    Channel.OTHER,
)

# The form field holding the date that 第三十一条 makes the date of receipt, per channel.
RECEIPT_FIELD: dict[str, str] = {
    Channel.IN_PERSON: "submitted_on",
    Channel.POST: "signed_on",
    Channel.LETTER: "confirmed_on",
    Channel.ONLINE: "confirmed_on",
    Channel.FAX: "confirmed_on",
    Channel.EMAIL: "system_received_on",
    Channel.OTHER: "confirmed_on",
}

# Outcomes grouped as the rows of the annual report's table 三 (2021 format).
OUTCOME_GROUPS: tuple[tuple[Any, tuple[Outcome, ...]], ...] = (
    (_("（一）予以公开"), (Outcome.DISCLOSED,)),
    (_("（二）部分公开"), (Outcome.PARTLY_DISCLOSED,)),
    (
        _("（三）不予公开"),
        (
            Outcome.WITHHELD_STATE_SECRET,
            Outcome.WITHHELD_LAW,
            Outcome.WITHHELD_SECURITY,
            Outcome.WITHHELD_THIRD_PARTY,
            Outcome.WITHHELD_INTERNAL,
            Outcome.WITHHELD_PROCESS,
            Outcome.WITHHELD_ENFORCEMENT_FILE,
            Outcome.WITHHELD_QUERY,
        ),
    ),
    (
        _("（四）无法提供"),
        (
            Outcome.UNAVAILABLE_NOT_HELD,
            Outcome.UNAVAILABLE_NEEDS_CREATION,
            Outcome.UNAVAILABLE_UNCLEAR,
        ),
    ),
    (
        _("（五）不予处理"),
        (
            Outcome.NOT_PROCESSED_PETITION,
            Outcome.NOT_PROCESSED_REPEATED,
            Outcome.NOT_PROCESSED_PUBLICATION,
            Outcome.NOT_PROCESSED_EXCESSIVE,
            Outcome.NOT_PROCESSED_CONFIRMATION,
        ),
    ),
    (
        _("（六）其他处理"),
        (Outcome.OTHER_NO_CORRECTION, Outcome.OTHER_FEE_UNPAID, Outcome.OTHER),
    ),
)

# Steps recorded through the event form; receipt and reply come from registering and closing.
EVENT_KINDS = tuple(k for k in ClockEvent if k not in (ClockEvent.RECEIVED, ClockEvent.REPLIED))
CONSULTATION_KINDS = (ClockEvent.CONSULTATION_SENT, ClockEvent.CONSULTATION_ANSWERED)
MAX_CORRECTION_WORKDAYS = 60
ORAL_MARKER = "【口头申请，工作人员代为填写】"


def _not_in_future(value: date | None) -> None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(_("日期不能晚于今天。"), code="future")


class InboxFilterForm(forms.Form):
    STATE_OPEN, STATE_SOON, STATE_OVERDUE, STATE_CLOSED, STATE_ALL = (
        "",
        "soon",
        "overdue",
        "closed",
        "all",
    )
    state = forms.ChoiceField(
        label=_("范围"),
        required=False,
        choices=[
            (STATE_OPEN, _("全部未办结")),
            (STATE_SOON, _("即将到期（≤5个工作日）")),
            (STATE_OVERDUE, _("已逾期")),
            (STATE_CLOSED, _("已办结")),
            (STATE_ALL, _("全部（含已办结）")),
        ],
    )
    q = forms.CharField(
        label=_("申请编号或所需信息名称"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class RegisterForm(forms.ModelForm):
    """An application received by letter, in person, fax or e-mail (条例第二十九条、第三十一条)."""

    organization = forms.ModelChoiceField(
        label=_("受理机关"), queryset=Organization.objects.none(), empty_label=None
    )
    channel = forms.ChoiceField(
        label=_("申请渠道"),
        choices=[(c.value, c.label) for c in REGISTER_CHANNELS],
        help_text=_(
            "收到申请之日按条例第三十一条确定：当面提交的，以提交之日为准；以邮政快递等方式"
            "提交并需签收的，以签收之日为准；以平常信函等无需签收的方式提交的，以政府信息公开"
            "工作机构与申请人确认之日为准（应在收到信函当日确认）；通过传真、互联网渠道提交的，"
            "以双方确认之日为准；通过公布的电子邮箱提交的，以邮件系统收到之日为准"
            "（国办公开办函〔2015〕207号）。"
        ),
    )
    submitted_on = forms.DateField(
        label=_("提交日期"),
        required=False,
        widget=DATE_WIDGET,
        validators=[_not_in_future],
        help_text=_("当面提交时必填，即收到申请之日；其他渠道可填写申请人寄出或发送的日期。"),
    )
    signed_on = forms.DateField(
        label=_("签收日期"),
        required=False,
        widget=DATE_WIDGET,
        validators=[_not_in_future],
        help_text=_("邮寄（需签收）时必填，即收到申请之日（第三十一条第（二）项）。"),
    )
    confirmed_on = forms.DateField(
        label=_("确认日期"),
        required=False,
        widget=DATE_WIDGET,
        validators=[_not_in_future],
        help_text=_(
            "平信：与申请人确认收到的日期；传真及其他公布的渠道：双方确认的日期"
            "（第三十一条第（二）、（三）项）。"
        ),
    )
    system_received_on = forms.DateField(
        label=_("邮件系统收到日期"),
        required=False,
        widget=DATE_WIDGET,
        validators=[_not_in_future],
        help_text=_("电子邮箱时必填（国办公开办函〔2015〕207号）。"),
    )
    oral = forms.BooleanField(
        label=_("口头提出申请，由工作人员代为填写"),
        required=False,
        help_text=_(
            "申请人书写确有困难的，可以口头提出，由工作人员代为填写申请（条例第二十九条第一款）。"
            "请在“所需信息的描述”中如实记录申请人口述的内容，并请申请人确认。"
        ),
    )
    # Registering the same form twice (double click, reload) gives one application.
    submission_key = forms.RegexField(
        regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput, required=False
    )

    class Meta:
        model = InfoRequest
        fields = list(APPLICANT_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["phone"].validators.append(validate_mobile_or_phone)
        self.order_fields(
            [
                "organization",
                "channel",
                "submitted_on",
                "signed_on",
                "confirmed_on",
                "system_received_on",
                "oral",
                *APPLICANT_FIELDS,
            ]
        )
        self.received_on: date | None = None

    def clean_id_number(self) -> str:
        return normalize_code(self.cleaned_data.get("id_number", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_receipt(data)
        self._clean_identity(data)
        if data.get("oral"):
            if data.get("channel") != Channel.IN_PERSON:
                self.add_error("oral", _("口头申请只能当面提出，请将申请渠道选为“当面提交”。"))
            elif not (data.get("description") or "").strip():
                self.add_error(
                    "description", _("口头申请须在“所需信息的描述”中记录申请人口述的内容。")
                )
        return data

    def _clean_receipt(self, data: dict[str, Any]) -> None:
        channel = data.get("channel")
        if not channel:
            return
        field = RECEIPT_FIELD[channel]
        if field in self.errors:
            return
        try:
            self.received_on = receipt_date(
                channel,
                submitted_on=data.get("submitted_on"),
                signed_on=data.get("signed_on"),
                confirmed_on=data.get("confirmed_on"),
                system_received_on=data.get("system_received_on"),
            )
        except ValueError as exc:
            self.add_error(field, str(exc))

    def _clean_identity(self, data: dict[str, Any]) -> None:
        document, number = data.get("id_document"), data.get("id_number")
        if not document or not number:
            return
        if document == IdDocument.RESIDENT_ID:
            problem = resident_id_problem(number)
            if problem:
                self.add_error("id_number", _("居民身份证号码无效：%(p)s") % {"p": problem})
        elif document == IdDocument.CREDIT_CODE:
            problem = credit_code_problem(number)
            if problem:
                self.add_error("id_number", _("统一社会信用代码无效：%(p)s") % {"p": problem})
        applicant = data.get("applicant_type")
        if applicant == ApplicantType.NATURAL_PERSON and document == IdDocument.CREDIT_CODE:
            self.add_error("id_document", _("自然人请提供个人身份证件。"))

    def applicant_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in APPLICANT_FIELDS}
        if self.cleaned_data.get("oral"):
            # The record shows that the office wrote the request down (第二十九条第一款); the
            # marker is stored data, so it stays in Chinese whatever the interface language.
            data["description"] = f"{ORAL_MARKER}{data['description']}"
        return data


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("承办人"), queryset=User.objects.none())

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "assign_%s")  # several forms share the detail page
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                is_active=True,
                admin_role="",
                memberships__organization=organization,
                memberships__role=Role.OFFICER,
            )
            .distinct()
            .order_by("username")
        )


class EventForm(forms.Form):
    """One step of the clock: correction, consultation, fee, extension (第三十至三十四条)."""

    kind = forms.ChoiceField(label=_("事项"), choices=[(k.value, k.label) for k in EVENT_KINDS])
    on = forms.DateField(label=_("日期"), widget=DATE_WIDGET, validators=[_not_in_future])
    detail = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=200,
        help_text=_("如补正内容、征求意见的对象名称、延长的批准人等。"),
    )
    party = forms.ChoiceField(
        label=_("征求对象"),
        required=False,
        choices=[("", _("（非征求意见事项不填）")), *ConsultedParty.choices],
        help_text=_(
            "征求第三方意见（第三十二条）或其他机关意见（第三十四条），期限均为15个工作日。"
        ),
    )
    period_workdays = forms.IntegerField(
        label=_("补正期限（工作日）"),
        required=False,
        min_value=1,
        max_value=MAX_CORRECTION_WORKDAYS,
        help_text=_("告知补正时必填：给予申请人的合理补正期限（第三十条）。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "event_%s")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if not kind:
            return data
        if kind in CONSULTATION_KINDS:
            if kind == ClockEvent.CONSULTATION_SENT and not data.get("party"):
                self.add_error("party", _("发出征求意见时请选择征求对象。"))
        elif data.get("party"):
            self.add_error("party", _("只有征求意见事项可以选择征求对象。"))
        if kind == ClockEvent.CORRECTION_REQUESTED:
            if data.get("period_workdays") is None and "period_workdays" not in self.errors:
                self.add_error("period_workdays", _("告知补正时请填写补正期限。"))
        elif data.get("period_workdays") is not None:
            self.add_error("period_workdays", _("只有告知补正事项可以填写补正期限。"))
        return data


class CloseForm(forms.Form):
    """Close with one outcome, its legal basis and reasons (条例第三十六条、第三十七条)."""

    outcome = forms.ChoiceField(
        label=_("办理结果"),
        choices=[
            ("", _("请选择")),
            *[(group, [(o.value, o.label) for o in members]) for group, members in OUTCOME_GROUPS],
        ],
        help_text=_("按政府信息公开工作年度报告表三的分类选择，每件申请只能选择一项。"),
    )
    legal_basis = forms.CharField(
        label=_("法律依据"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写法律依据。")},
        help_text=_("如：《中华人民共和国政府信息公开条例》第三十六条第（二）项。"),
    )
    reasons = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写理由。")},
        help_text=_("部分公开的，写明不予公开的内容及理由（第三十七条）。"),
    )
    on = forms.DateField(label=_("答复日期"), widget=DATE_WIDGET, validators=[_not_in_future])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "close_%s")
        super().__init__(*args, **kwargs)
