"""Console forms for files on an application, redaction boxes and transfers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.inforequests import files
from gongkai.inforequests.release_rules import AttachmentKind, RedactionGround
from gongkai.orgs.models import Organization

MAX_SCANS = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _read_checked(upload: UploadedFile, allowed: frozenset[str]) -> tuple[str, bytes]:
    limit = settings.UPLOAD_MAX_MB * 1024 * 1024
    if upload.size is not None and upload.size > limit:
        raise forms.ValidationError(
            _("%(name)s：文件超过 %(mb)s MB。")
            % {"name": upload.name, "mb": settings.UPLOAD_MAX_MB}
        )
    data = upload.read()
    try:
        files.check_upload(data, allowed=allowed)
    except files.FileRefused as exc:
        raise forms.ValidationError(f"{upload.name}：{exc}") from exc
    return upload.name or "file", data


class ScanForm(forms.Form):
    """Scans of an application received on paper, by fax or by e-mail (条例第二十九条)."""

    scans = MultipleFileField(
        label=_("申请材料扫描件"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scans"].help_text = gettext(
            "可选多个文件，每个不超过 %(mb)s MB；只接受 PDF、JPEG、PNG（按文件内容识别）。"
        ) % {"mb": settings.UPLOAD_MAX_MB}

    def clean_scans(self) -> list[tuple[str, bytes]]:
        uploads = self.cleaned_data.get("scans") or []
        if len(uploads) > MAX_SCANS:
            raise forms.ValidationError(_("一次最多上传 %(n)s 个文件。") % {"n": MAX_SCANS})
        return [_read_checked(u, files.SCAN_TYPES) for u in uploads]


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类别"),
        choices=[
            (AttachmentKind.SCAN.value, AttachmentKind.SCAN.label),
            (AttachmentKind.RELEASE.value, AttachmentKind.RELEASE.label),
        ],
    )
    file = forms.FileField(
        label=_("文件"),
        help_text=_(
            "扫描件：PDF、JPEG、PNG；拟提供的政府信息还可以是 DOCX、OFD。需要遮盖的文件请上传 PDF。"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "file_%s")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload, kind = data.get("file"), data.get("kind")
        if upload and kind:
            allowed = files.SCAN_TYPES if kind == AttachmentKind.SCAN else files.RELEASE_TYPES
            try:
                data["content"] = _read_checked(upload, allowed)
            except forms.ValidationError as exc:
                self.add_error("file", exc)
        return data


def _percent(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=Decimal(0), max_value=Decimal(100), decimal_places=2
    )


class RedactionForm(forms.Form):
    """One box, in percent of the page from its top left corner; works without JavaScript."""

    page = forms.IntegerField(label=_("页码"), min_value=1)
    left = _percent(_("左边距（%）"))
    top = _percent(_("上边距（%）"))
    width = _percent(_("宽度（%）"))
    height = _percent(_("高度（%）"))
    ground = forms.ChoiceField(
        label=_("不予公开的理由"),
        choices=[("", _("请选择")), *RedactionGround.choices],
        help_text=_("依据条例第十四条、第十五条、第十六条，或第三十七条（不属于政府信息）。"),
    )
    note = forms.CharField(
        label=_("遮盖内容说明"),
        max_length=200,
        help_text=_("写明遮盖的是什么，如：第三人姓名和身份证号码。将记入遮盖记录，供法制审核。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "box_%s")
        super().__init__(*args, **kwargs)


class TransferForm(forms.Form):
    to = forms.ModelChoiceField(
        label=_("转至机关"), queryset=Organization.objects.none(), empty_label=_("请选择")
    )
    reason = forms.CharField(
        label=_("转办理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        help_text=_(
            "写明该信息由哪个机关负责公开及依据。转办后收到申请之日不变，答复期限继续计算。"
        ),
    )

    def __init__(self, *args: Any, targets: QuerySet[Organization], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "transfer_%s")
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = targets  # type: ignore[attr-defined]
