"""Letters of an application, their templates, numbers and delivery.

Imported at the end of `gongkai.inforequests.models`, so these are models of the
`inforequests` app. Nothing here is public: a sent letter reaches the applicant only through
the progress page after the number and tracking code were proven.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.inforequests.constants import Outcome
from gongkai.inforequests.letters.constants import DeliveryMethod, LetterKind, LetterStatus


class Letter(models.Model):
    """One 答复书 or notice. Editable while a draft (or returned); frozen once approved."""

    request = models.ForeignKey(
        "inforequests.InfoRequest", on_delete=models.PROTECT, related_name="letters"
    )
    # The application's organisation, copied for scoping and for the 文号 sequence.
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("文书类型"), max_length=20, choices=LetterKind.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    outcome = models.CharField(_("办理结果"), max_length=40, choices=Outcome.choices, blank=True)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    title = models.CharField(_("标题"), max_length=100)
    addressee = models.CharField(_("主送"), max_length=120)
    body = models.TextField(_("正文"))
    legal_basis = models.TextField(_("法律依据"), blank=True)
    reasons = models.TextField(_("理由"), blank=True)
    withheld = models.TextField(_("不予公开的部分及理由"), blank=True)  # 第三十七条
    responsible_agency = models.CharField(
        _("负责公开该信息的机关及联系方式"), max_length=200, blank=True
    )  # 第三十六条第（五）项
    # Kind-specific values the template used (补正事项, 延长后的期限, 收费金额 …).
    details = models.JSONField(default=dict, blank=True)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("法制审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"],
                condition=~models.Q(number=""),
                name="letter_number_unique_per_org",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=LetterKind.REPLY) | ~models.Q(outcome=""),
                name="reply_letter_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or self.get_status_display()} {self.title}"


class LetterTemplate(models.Model):
    """An organisation's own version of a default template (`templating.DEFAULTS`)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("模板"), max_length=40)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文模板"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "key"], name="one_letter_template_per_org_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.key}"


class LetterSequence(models.Model):
    """文号 per organisation and year, allocated under a row lock when a letter is approved."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="one_letter_sequence_per_org_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.year}: {self.last}"


class Delivery(models.Model):
    """送达: how and when a letter reached the applicant, with the signed receipt's scan."""

    letter = models.OneToOneField(Letter, on_delete=models.PROTECT, related_name="delivery")
    method = models.CharField(_("送达方式"), max_length=20, choices=DeliveryMethod.choices)
    delivered_on = models.DateField(_("送达日期"))
    tracking_number = models.CharField(_("邮件单号"), max_length=40, blank=True)
    # Path relative to the private receipts directory under GONGKAI_DATA_DIR; never a URL.
    receipt_path = models.CharField(max_length=200, blank=True)
    receipt_content_type = models.CharField(max_length=40, blank=True)
    receipt_size = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("送达")
        verbose_name_plural = _("送达")

    def __str__(self) -> str:
        return f"{self.letter_id} {self.get_method_display()} {self.delivered_on}"
