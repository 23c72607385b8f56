"""Files attached to an application, the redactions on files to be released, and transfers
to another organisation. Imported at the end of models.py (one models module for Django)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.inforequests.release_rules import AttachmentKind, RedactionGround


class Attachment(models.Model):
    """One stored file. The bytes live in private storage under DATA_DIR (never a public URL)
    and are served only through permission-checked views."""

    request = models.ForeignKey(
        "inforequests.InfoRequest", on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=AttachmentKind.choices)
    title = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=200, unique=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    # A redacted copy points to its original; the original never leaves the console.
    redacted_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="redacted_copies"
    )
    released = models.BooleanField(_("提供给申请人"), default=False)
    # A redacted copy made before the redactions last changed: kept for the record, never
    # released.
    superseded = models.BooleanField(default=False)
    # What the applicant receives of a file provided as uploaded (kind "release"): the same
    # content without the names of its authors, editors and commenters or a photo's EXIF/GPS
    # (core.public_copy), stored when the file is first released. The original stays for
    # staff; size and sha256 above describe it. Redacted copies are page images made here
    # and go out as they are, so they have none.
    applicant_copy = models.CharField(max_length=200, blank=True)
    applicant_copy_size = models.PositiveIntegerField(null=True, blank=True)
    applicant_copy_sha256 = models.CharField(max_length=64, blank=True)
    # Tracked changes, comments or PDF notes seen when the copy was made; None: not looked.
    has_markup = models.BooleanField(_("含修订痕迹或批注"), null=True, default=None)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("申请附件")
        verbose_name_plural = _("申请附件")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="scan", released=True),
                name="scans_are_never_released",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def delivered_size(self) -> int:
        """The size of what the applicant downloads."""
        if self.applicant_copy and self.applicant_copy_size is not None:
            return self.applicant_copy_size
        return self.size


class Redaction(models.Model):
    """One rectangle to black out on a page of a file to be released, with its legal ground.
    Coordinates are percentages of the page (0–100, from the top left), so they do not depend
    on the page size or the resolution of the rendering."""

    attachment = models.ForeignKey(Attachment, on_delete=models.CASCADE, related_name="redactions")
    page = models.PositiveIntegerField(_("页码"))
    left = models.DecimalField(_("左边距（%）"), max_digits=5, decimal_places=2)
    top = models.DecimalField(_("上边距（%）"), max_digits=5, decimal_places=2)
    width = models.DecimalField(_("宽度（%）"), max_digits=5, decimal_places=2)
    height = models.DecimalField(_("高度（%）"), max_digits=5, decimal_places=2)
    ground = models.CharField(_("不予公开的理由"), max_length=30, choices=RedactionGround.choices)
    note = models.CharField(_("遮盖内容说明"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("遮盖")
        verbose_name_plural = _("遮盖")
        ordering = ["page", "top", "left", "id"]

    def __str__(self) -> str:
        return f"p{self.page} {self.get_ground_display()}"


class Transfer(models.Model):
    """An application moved to the organisation responsible for it (转办)."""

    request = models.ForeignKey(
        "inforequests.InfoRequest", on_delete=models.PROTECT, related_name="transfers"
    )
    from_organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    to_organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField(_("转办日期"))
    reason = models.TextField(_("转办理由"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("转办")
        verbose_name_plural = _("转办")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.to_organization_id}"
