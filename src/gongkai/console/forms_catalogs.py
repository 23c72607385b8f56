"""Console forms for 标准目录, the register of filed 公文 and the Excel import. They parse
input only; every change goes through `gongkai.catalogs.services` / `imports`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.catalogs.constants import Channel
from gongkai.catalogs.excel import MAX_UPLOAD_BYTES
from gongkai.catalogs.models import CatalogItem, Domain, FiledDocument
from gongkai.orgs.models import Organization
from gongkai.publications.constants import DisclosureAttribute, Status, WithholdingReason
from gongkai.publications.models import Publication

BLANK = [("", "—")]


def _this_year() -> int:
    return timezone.localdate().year


class DomainForm(forms.ModelForm):
    """A local area beyond the 26 pilot areas (统计, 交通运输, …)."""

    class Meta:
        model = Domain
        fields = ("code", "name", "note")
        help_texts = {"code": _("本地增加的领域建议用两位以上数字，如 27")}


class ItemFilterForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("单位"), queryset=Organization.objects.none(), required=False
    )
    domain = forms.ModelChoiceField(
        label=_("领域"), queryset=Domain.objects.filter(is_active=True), required=False
    )
    q = forms.CharField(label=_("事项名称"), required=False, max_length=100)
    adopted = forms.BooleanField(label=_("只看已采用"), required=False)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class CatalogItemForm(forms.ModelForm):
    organization = forms.ModelChoiceField(label=_("编制单位"), queryset=Organization.objects.none())
    channels = forms.MultipleChoiceField(
        label=_("公开渠道和载体"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CatalogItem
        fields = (
            "domain",
            "code",
            "item",
            "sub_item",
            "content",
            "basis",
            "time_limit",
            "subject",
            "channels",
            "audience_public",
            "audience_specific",
            "method_proactive",
            "method_on_request",
            "level_county",
            "level_township",
        )
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "basis": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["domain"].queryset = Domain.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.order_fields(["organization"])

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "organization"}


class PublicationItemsForm(forms.Form):
    items = forms.ModelMultipleChoiceField(
        label=_("本信息对应的目录事项"),
        queryset=CatalogItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, adopted: QuerySet[CatalogItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = adopted  # type: ignore[attr-defined]
        self.fields["items"].label_from_instance = (  # type: ignore[attr-defined]
            lambda i: f"{i.domain.name}：{i}"
        )


class OrgYearForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("单位"), queryset=Organization.objects.none(), required=False
    )
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100, required=False)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class FiledDocumentForm(forms.ModelForm):
    organization = forms.ModelChoiceField(label=_("发文机关"), queryset=Organization.objects.none())
    publication_index = forms.CharField(
        label=_("公开信息的索引号"),
        required=False,
        max_length=80,
        help_text=_("主动公开的公文发布后，填写其索引号以关联"),
    )

    class Meta:
        model = FiledDocument
        fields = (
            "year",
            "document_number",
            "title",
            "filed_on",
            "disclosure_attribute",
            "withholding_reason",
            "withholding_note",
        )
        widgets = {
            "filed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "withholding_note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "withholding_note": _("依申请公开或不予公开的，写明理由和依据"),
        }

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization],
        publications: QuerySet[Publication],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.publications = publications
        org_field = self.fields["organization"]
        org_field.queryset = organizations  # type: ignore[attr-defined]
        if self.instance.pk:
            org_field.disabled = True
            org_field.initial = self.instance.organization
            if self.instance.publication is not None:
                self.fields["publication_index"].initial = self.instance.publication.index_number
        else:
            self.fields["year"].initial = _this_year()
        self.fields["withholding_reason"].choices = BLANK + list(WithholdingReason.choices)  # type: ignore[attr-defined]
        self.fields["disclosure_attribute"].choices = list(DisclosureAttribute.choices)  # type: ignore[attr-defined]
        self.order_fields(["organization"])

    def clean_publication_index(self) -> Publication | None:
        number = self.cleaned_data["publication_index"].strip()
        if not number:
            return None
        pub = self.publications.filter(index_number=number, status=Status.PUBLISHED).first()
        if pub is None:
            raise forms.ValidationError(_("没有找到该索引号的已发布信息"))
        return pub

    def service_data(self) -> dict[str, Any]:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        data["publication"] = self.cleaned_data["publication_index"]
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("删除理由"), max_length=300)


class ImportForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("发布机构"), queryset=Organization.objects.none())
    file = forms.FileField(
        label=_("目录文件（.xlsx）"),
        help_text=_("请使用导入模板；任何一行有错误时整个文件都不导入"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("文件过大：不能超过 %(mb)d MB") % {"mb": MAX_UPLOAD_BYTES // 1024 // 1024}
            )
        return upload
