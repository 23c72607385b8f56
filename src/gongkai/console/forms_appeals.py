"""Console forms for 行政复议 and 行政诉讼 records (条例第五十一条)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gongkai.appeals.constants import AppealResult, LitigationRoute
from gongkai.appeals.models import Reconsideration
from gongkai.console.forms_requests import DATE_WIDGET
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.models import Organization

KIND_RECONSIDERATION, KIND_LITIGATION = "reconsideration", "litigation"
KIND_CHOICES = [
    (KIND_RECONSIDERATION, _("行政复议")),
    (KIND_LITIGATION, _("行政诉讼")),
]


class AppealFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部")), *KIND_CHOICES]
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2008, max_value=2100)
    result = forms.ChoiceField(
        label=_("结果"), required=False, choices=[("", _("全部")), *AppealResult.choices]
    )


class _CaseForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("被申请人（被告）机关"), queryset=Organization.objects.none()
    )
    request_number = forms.CharField(
        label=_("所涉申请编号"),
        required=False,
        max_length=30,
        help_text=_("由政府信息公开申请引起的，填写申请编号；不涉及具体申请的留空。"),
    )
    applicant_name = forms.CharField(label=_("申请人（原告）"), max_length=100)
    case_number = forms.CharField(label=_("案号"), required=False, max_length=60)
    filed_on = forms.DateField(label=_("申请（立案）日期"), widget=DATE_WIDGET)
    result = forms.ChoiceField(
        label=_("结果"), choices=AppealResult.choices, initial=AppealResult.PENDING
    )
    decided_on = forms.DateField(
        label=_("决定（裁判）日期"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("尚未审结的留空。"),
    )
    notes = forms.CharField(
        label=_("备注"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization],
        requests: QuerySet[InfoRequest],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self._requests = requests
        self.info_request: InfoRequest | None = None

    def clean_request_number(self) -> str:
        number = (self.cleaned_data.get("request_number") or "").strip()
        if number:
            self.info_request = self._requests.filter(number=number).first()
            if self.info_request is None:
                raise forms.ValidationError(_("找不到该申请编号（或无权查看该申请）。"))
        return number


class ReconsiderationForm(_CaseForm):
    body = forms.CharField(label=_("复议机关"), max_length=100)
    field_order = ["organization", "request_number", "applicant_name", "body"]


class LitigationForm(_CaseForm):
    court = forms.CharField(label=_("法院"), max_length=100)
    route = forms.ChoiceField(label=_("起诉方式"), choices=LitigationRoute.choices)
    reconsideration = forms.ModelChoiceField(
        label=_("此前的行政复议"),
        required=False,
        queryset=Reconsideration.objects.none(),
        help_text=_("复议后起诉的，选择已登记的行政复议案件。"),
    )
    field_order = ["organization", "request_number", "applicant_name", "court", "route"]

    def __init__(
        self, *args: Any, reconsiderations: QuerySet[Reconsideration], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reconsideration"]
        field.queryset = reconsiderations  # type: ignore[attr-defined]
        field.label_from_instance = lambda r: (  # type: ignore[attr-defined]
            f"{r.case_number or '#' + str(r.pk)} {r.body} {r.filed_on:%Y-%m-%d}"
        )


class DecideForm(forms.Form):
    result = forms.ChoiceField(
        label=_("结果"),
        choices=[c for c in AppealResult.choices if c[0] != AppealResult.PENDING],
    )
    decided_on = forms.DateField(label=_("决定（裁判）日期"), widget=DATE_WIDGET)
