"""Console forms for the ledger (台账), misuse decisions, 第四十四条 suggestions and the
filters shared by the inbox and the ledger export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gongkai.console.forms_requests import DATE_WIDGET, OUTCOME_GROUPS, InboxFilterForm
from gongkai.inforequests.misuse_selectors import unpublished_link_candidates
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.models_ledger import MisuseKind, MisuseVerdict, SuggestionVerdict
from gongkai.orgs.constants import Action
from gongkai.orgs.models import Organization
from gongkai.orgs.permissions import scope
from gongkai.publications.models import Publication


class RequestFilterForm(InboxFilterForm):
    """The inbox filters plus organisation, outcome and a range of receipt dates; the ledger
    export uses exactly these (what you see is what you export)."""

    organization = forms.ModelChoiceField(
        label=_("受理机关"), required=False, queryset=Organization.objects.none()
    )
    outcome = forms.ChoiceField(label=_("办理结果"), required=False)
    received_from = forms.DateField(label=_("收到日期自"), required=False, widget=DATE_WIDGET)
    received_to = forms.DateField(label=_("收到日期至"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["outcome"].choices = [  # type: ignore[attr-defined]
            ("", _("全部")),
            *[
                (str(group), [(o.value, o.label) for o in members])
                for group, members in OUTCOME_GROUPS
            ],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("结束日期不能早于开始日期。"))
        return data


def apply_filters(qs: QuerySet[InfoRequest], data: dict[str, Any]) -> QuerySet[InfoRequest]:
    """The filters beyond the inbox's state and search (the queryset is already scoped)."""
    if data.get("organization"):
        qs = qs.filter(organization=data["organization"])
    if data.get("outcome"):
        qs = qs.filter(outcome=data["outcome"])
    if data.get("received_from"):
        qs = qs.filter(received_on__gte=data["received_from"])
    if data.get("received_to"):
        qs = qs.filter(received_on__lte=data["received_to"])
    return qs


def describe_filters(data: dict[str, Any]) -> dict[str, Any]:
    """The filters as the audit log keeps them."""
    out: dict[str, Any] = {}
    for name in ("state", "q", "outcome"):
        if data.get(name):
            out[name] = data[name]
    if data.get("organization"):
        out["organization"] = data["organization"].pk
    for name in ("received_from", "received_to"):
        if data.get(name):
            out[name] = data[name].isoformat()
    return out


class LedgerImportForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("受理机关"), queryset=Organization.objects.none())
    file = forms.FileField(
        label=_("台账文件（.xlsx）"),
        help_text=_("请使用导入模板填写；任何一行有误，整个文件都不导入。"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class MisuseDecisionForm(forms.Form):
    kind = forms.ChoiceField(choices=MisuseKind.choices, widget=forms.HiddenInput)
    verdict = forms.ChoiceField(
        label=_("认定"), choices=MisuseVerdict.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SuggestionLinkForm(forms.Form):
    """The publication that made a converted suggestion's information 主动公开 (第四十四条):
    a published item by its 索引号, or one still on its way to publishing from a list. Only
    items of the suggestion's organisation that the user may see are found."""

    index_number = forms.CharField(
        label=_("已发布信息的索引号"),
        required=False,
        max_length=80,
        help_text=_("已在目录中发布的，填写其索引号。"),
    )
    publication = forms.ModelChoiceField(
        label=_("尚未发布的信息"),
        required=False,
        queryset=Publication.objects.none(),
        empty_label=_("（不选）"),
        error_messages={"invalid_choice": _("所选信息不是本机关待发布的主动公开信息。")},
    )

    def __init__(self, *args: Any, user: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.organization = organization
        self.fields["publication"].queryset = unpublished_link_candidates(user, organization)  # type: ignore[attr-defined]

    def clean_index_number(self) -> Publication | None:
        number = self.cleaned_data["index_number"].strip()
        if not number:
            return None
        found = (
            scope(Publication.objects.all(), self.user, Action.VIEW)
            .filter(organization=self.organization, index_number=number)
            .first()
        )
        if found is None:
            raise forms.ValidationError(
                _("索引号“%(number)s”不是%(org)s已发布的信息，请核对。"),
                params={"number": number, "org": self.organization.name},
            )
        return found

    def chosen(self) -> list[Publication]:
        """The publications named, at most one per field, without repeats."""
        picked = [self.cleaned_data.get("index_number"), self.cleaned_data.get("publication")]
        result: list[Publication] = []
        for pub in picked:
            if pub is not None and pub not in result:
                result.append(pub)
        return result


class SuggestionDecisionForm(SuggestionLinkForm):
    key = forms.CharField(max_length=300, widget=forms.HiddenInput)
    verdict = forms.ChoiceField(
        label=_("处理"), choices=SuggestionVerdict.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不予转为主动公开的须说明理由。"),
    )
