"""What the portal stores itself: an organisation's edited 政府信息公开指南 (条例第十二条)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DisclosureGuide(models.Model):
    """The explanatory text of an organisation's 指南 as its admin edited it.

    Only the prose is stored. The office, address, hours, phone, fax, e-mail and the
    application channels are always rendered from the organisation's current data (guide.py),
    so that a change of phone number never leaves a stale 指南 behind."""

    organization = models.OneToOneField(
        "orgs.Organization",
        verbose_name=_("机关"),
        on_delete=models.CASCADE,
        related_name="disclosure_guide",
    )
    text = models.TextField(_("指南正文"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("政府信息公开指南")
        verbose_name_plural = _("政府信息公开指南")

    def __str__(self) -> str:
        return str(self.organization_id)
