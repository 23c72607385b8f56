"""依申请公开 records: the application (件) and its event log.

The due date is derived from the events (clock.compute_due_date); `due_on` on the application
is a cache refreshed by the services after every event, and a test recomputes it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.fields import BlindIndexField, EncryptedCharField
from gongkai.inforequests.channels import Channel
from gongkai.inforequests.clock_events import ClockEvent, ConsultedParty
from gongkai.inforequests.constants import (
    ApplicantType,
    DeliveryWay,
    IdDocument,
    Outcome,
    ProvisionForm,
    Status,
)


class InfoRequestQuerySet(models.QuerySet["InfoRequest"]):
    def open(self) -> InfoRequestQuerySet:
        return self.exclude(status=Status.CLOSED)

    def overdue(self, today: object) -> InfoRequestQuerySet:
        return self.open().filter(due_on__lt=today)

    def of_applicant(self, id_number: str) -> InfoRequestQuerySet:
        """One applicant's applications, found by the ID number's digest (never decrypted)."""
        return self.filter(id_number=id_number)


class InfoRequest(models.Model):
    """One 政府信息公开申请 (条例第二十九条)."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("受理机关"),
        on_delete=models.PROTECT,
        related_name="info_requests",
    )
    number = models.CharField(_("申请编号"), max_length=30, unique=True)
    tracking_code = models.CharField(_("查询码"), max_length=12)
    # Double submissions (double click, reload, retry) carry the same key: one application.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    channel = models.CharField(_("申请渠道"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(_("收到申请之日"))

    # 申请人 (第二十九条第（一）项). Personal data: never shown on the portal.
    applicant_type = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantType.choices)
    applicant_name = models.CharField(_("姓名或名称"), max_length=100)
    id_document = models.CharField(_("身份证明"), max_length=20, choices=IdDocument.choices)
    # Encrypted at rest (SECURITY.md #20); equality lookups go through the digests.
    id_number = EncryptedCharField(_("证件号码"), max_length=40, index="id_number_digest")
    phone = EncryptedCharField(_("联系电话"), max_length=30, index="phone_digest")
    id_number_digest = BlindIndexField(source="id_number")
    phone_digest = BlindIndexField(source="phone")
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)

    # 所需信息 (第二十九条第（二）项)
    subject = models.CharField(_("所需信息名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    description = models.TextField(_("所需信息的描述"), blank=True)
    # 形式要求 (第二十九条第（三）项)
    provision_form = models.CharField(_("提供形式"), max_length=20, choices=ProvisionForm.choices)
    delivery_way = models.CharField(_("获取方式"), max_length=20, choices=DeliveryWay.choices)

    status = models.CharField(
        _("状态"), max_length=30, choices=Status.choices, default=Status.REGISTERED
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("办理结果"), max_length=40, choices=Outcome.choices, blank=True)
    legal_basis = models.TextField(_("法律依据"), blank=True)
    reasons = models.TextField(_("理由"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)

    # Cache of the legal clock; refreshed by services.request_refresh_clock().
    due_on = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InfoRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=Status.CLOSED) | ~models.Q(outcome=""),
                name="closed_request_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"


class RequestEvent(models.Model):
    """One step in an application's life that the legal clock depends on."""

    request = models.ForeignKey(InfoRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=30, choices=ClockEvent.choices)
    on = models.DateField(_("日期"))
    detail = models.CharField(_("说明"), max_length=200, blank=True)
    party = models.CharField(
        _("征求对象"), max_length=20, choices=ConsultedParty.choices, blank=True
    )
    period_workdays = models.PositiveSmallIntegerField(
        _("补正期限（工作日）"), null=True, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("办理事项")
        verbose_name_plural = _("办理事项")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"


class NumberSequence(models.Model):
    """Gap-free application numbers per organisation and year, allocated under a row lock."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="one_sequence_per_org_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.year}: {self.last}"


# --- files, redactions and transfers (models_files.py keeps them out of this module) --------
# 答复书 and notices (补正、延期、收费) live in their own module; importing them here makes
# them models of this app.
from gongkai.inforequests.letters.models import (  # noqa: E402
    Delivery,
    Letter,
    LetterSequence,
    LetterTemplate,
)
from gongkai.inforequests.models_files import (  # noqa: E402
    Attachment,
    Redaction,
    Transfer,
)

# Decisions on misuse flags and 第四十四条 suggestions; ledger imports (their own module).
from gongkai.inforequests.models_ledger import (  # noqa: E402, F401
    DisclosureSuggestionDecision,
    ImportedRequest,
    LedgerImport,
    MisuseDecision,
    SuggestionPublication,
)

__all__ = [
    "Attachment",
    "Delivery",
    "InfoRequest",
    "Letter",
    "LetterSequence",
    "LetterTemplate",
    "NumberSequence",
    "Redaction",
    "RequestEvent",
    "Transfer",
]
