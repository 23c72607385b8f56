"""主动公开 records (条例第三章): the publication with the catalog metadata of RULES.md §5.3, its
attachments with extracted text, policy interpretations, personal-data findings and the
gap-free 索引号 sequence.

Workflow changes happen only in services.py; the derived values (publishing deadline of
第二十六条, next 第十八条 re-assessment) are caches the services refresh.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongkai.publications.constants import (
    MASKABLE_TYPES,
    AttachmentType,
    DisclosureAttribute,
    ExtractionStatus,
    Genre,
    InterpretationForm,
    Kind,
    NormativeKind,
    PiiKind,
    PiiResolution,
    Status,
    StatutoryCategory,
    TextGapKind,
    Validity,
    WithholdingReason,
)
from gongkai.publications.topics import validate_topic


class PublicationQuerySet(models.QuerySet["Publication"]):
    def published(self) -> PublicationQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def documents(self) -> PublicationQuerySet:
        return self.filter(kind=Kind.DOCUMENT)

    def normative(self) -> PublicationQuerySet:
        """规章 and 行政规范性文件 (table 二, 第二十条第（一）项)."""
        return self.exclude(normative_kind=NormativeKind.NONE)

    def in_force_on(self, day: date) -> PublicationQuerySet:
        """Published, already in force and not yet repealed, superseded or expired on `day`."""
        return self.published().filter(
            Q(effective_on__isnull=True) | Q(effective_on__lte=day),
            Q(ceased_on__isnull=True) | Q(ceased_on__gt=day),
            Q(expires_on__isnull=True) | Q(expires_on__gte=day),
        )

    def reassessment_due(self, day: date) -> PublicationQuerySet:
        """依申请公开 / 不予公开 items whose periodic re-assessment (第十八条) is due."""
        return self.exclude(disclosure_attribute=DisclosureAttribute.PROACTIVE).filter(
            reassess_on__lte=day
        )


class Publication(models.Model):
    """One item of government information in the disclosure catalog (条例第十二条、第二十条)."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("发布机构"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.DOCUMENT)

    # --- catalog metadata (RULES.md §5.3) -------------------------------------------------
    # Allocated when the item is published (services.publication_publish), never typed.
    index_number = models.CharField(_("索引号"), max_length=80, unique=True, null=True, blank=True)
    index_year = models.PositiveSmallIntegerField(null=True, blank=True)
    index_seq = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(_("信息名称"), max_length=300)
    summary = models.TextField(_("内容概述"), blank=True, help_text=_("一般不超过100字"))
    written_on = models.DateField(_("成文日期"), null=True, blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True, db_index=True)
    document_number = models.CharField(_("发文字号"), max_length=100, blank=True)
    # rules.document_number_key(): 〔〕[]【】() folded, 繁→简, no spaces; for exact 文号 lookups.
    document_number_key = models.CharField(max_length=100, blank=True, db_index=True)
    topic = models.CharField(
        _("主题分类"), max_length=8, blank=True, validators=[validate_topic], db_index=True
    )
    genre = models.CharField(_("体裁分类"), max_length=20, choices=Genre.choices, blank=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    statutory_category = models.CharField(
        _("法定主动公开内容"),
        max_length=8,
        choices=StatutoryCategory.choices,
        blank=True,
        db_index=True,
    )
    source = models.CharField(_("信息来源"), max_length=100, blank=True)

    # --- 公开属性 (第十三条至第十六条) and periodic re-assessment (第十八条) ---------------------
    disclosure_attribute = models.CharField(
        _("公开属性"),
        max_length=20,
        choices=DisclosureAttribute.choices,
        default=DisclosureAttribute.PROACTIVE,
    )
    withholding_reason = models.CharField(
        _("不主动公开的理由"), max_length=30, choices=WithholdingReason.choices, blank=True
    )
    withholding_basis = models.TextField(_("法律依据"), blank=True)
    reassess_on = models.DateField(_("下次定期评估日期"), null=True, blank=True, db_index=True)
    reassessed_on = models.DateField(_("上次评估日期"), null=True, blank=True)
    # Set once when an 依申请公开 item is turned into a proactive one; counted per year.
    converted_to_proactive_on = models.DateField(_("依申请转主动日期"), null=True, blank=True)

    # --- 规章 / 行政规范性文件 and 有效性 -----------------------------------------------------
    normative_kind = models.CharField(
        _("规章或行政规范性文件"),
        max_length=20,
        choices=NormativeKind.choices,
        blank=True,
        default=NormativeKind.NONE,
    )
    validity = models.CharField(
        _("有效性"), max_length=20, choices=Validity.choices, default=Validity.VALID
    )
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    # The day it stopped being in force because it was repealed or replaced by an amended
    # version; table 二 counts 本年废止 and 现行有效 from it.
    ceased_on = models.DateField(_("废止日期"), null=True, blank=True)
    amends = models.ForeignKey(
        "self",
        verbose_name=_("修改的文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amended_by",
        help_text=_("本文件是其新版本（修订）"),
    )
    repeals = models.ManyToManyField(
        "self",
        verbose_name=_("废止的文件"),
        symmetrical=False,
        blank=True,
        related_name="repealed_by",
    )

    # --- content ---------------------------------------------------------------------------
    # Sanitised HTML (rules.sanitize_body, nh3) — never rendered unsanitised.
    body = models.TextField(_("正文"), blank=True)

    # --- workflow --------------------------------------------------------------------------
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # 形成或者变更之日 (第二十六条): the 20-workday publishing limit runs from here.
    formed_on = models.DateField(_("信息形成或变更日期"), null=True, blank=True)
    publish_due_on = models.DateField(_("公开期限"), null=True, blank=True, db_index=True)
    secrecy_reviewed = models.BooleanField(_("已通过保密审查"), default=False)
    review_opinion = models.TextField(_("审核意见"), blank=True)
    scheduled_for = models.DateTimeField(_("定时发布时间"), null=True, blank=True, db_index=True)
    withdrawal_reason = models.TextField(_("撤回理由（公开）"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)
    submitted_at = models.DateTimeField(_("提交审核时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府信息")
        verbose_name_plural = _("政府信息")
        ordering = ["-published_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "status", "published_on"]),
            models.Index(fields=["normative_kind", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(disclosure_attribute=DisclosureAttribute.PROACTIVE)
                | ~Q(withholding_reason=""),
                name="publication_withheld_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(index_number__isnull=False),
                name="publication_published_has_index_number",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.WITHDRAWN) | ~Q(withdrawal_reason=""),
                name="publication_withdrawn_has_reason",
            ),
            models.UniqueConstraint(
                fields=["organization", "index_year", "index_seq"],
                name="publication_one_index_seq",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_normative(self) -> bool:
        return self.normative_kind != NormativeKind.NONE

    @property
    def is_public(self) -> bool:
        """Shown on the portal: published (a withdrawn item shows only its withdrawal notice)."""
        return self.status == Status.PUBLISHED


class IndexSequence(models.Model):
    """Gap-free 索引号 sequence per organisation and year, allocated under a row lock."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="one_index_sequence_per_org_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.year}: {self.last}"


# Its own code, so that a form's generic "invalid URL" message does not replace it.
validate_web_url = URLValidator(
    schemes=["http", "https"],
    message=_("请填写以 http:// 或 https:// 开头的网址"),
    code="not_web_url",
)


class Interpretation(models.Model):
    """政策解读: itself a publication (kind = interpretation, with its own 索引号 and workflow),
    linked to the document it explains (docs/decisions/0006-publications-model.md)."""

    publication = models.OneToOneField(
        Publication,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="interpretation",
    )
    document = models.ForeignKey(
        Publication,
        verbose_name=_("解读的文件"),
        on_delete=models.PROTECT,
        related_name="interpretations",
    )
    form = models.CharField(
        _("解读形式"),
        max_length=20,
        choices=InterpretationForm.choices,
        default=InterpretationForm.TEXT,
    )
    # Linked from the public page: only web addresses (no ftp:, data:, javascript:).
    media_url = models.URLField(_("视频或访谈地址"), blank=True, validators=[validate_web_url])
    # 解读人; for an 在线访谈, the guests who took part (出席嘉宾).
    speaker = models.CharField(_("解读人"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")

    def __str__(self) -> str:
        return f"{self.get_form_display()}：{self.publication_id}"


def attachment_upload_to(instance: Any, filename: str) -> str:
    # Never the uploaded name on disk: it may carry personal data or path tricks.
    return f"publications/originals/{uuid.uuid4().hex}"


def attachment_public_to(instance: Any, filename: str) -> str:
    return f"publications/public/{uuid.uuid4().hex}/{filename}"


class Attachment(models.Model):
    """A file of a publication. The original is kept for staff; the portal serves only
    `public_file`, a copy with the document metadata (author, company, editing history)
    stripped."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="attachments"
    )
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    title = models.CharField(_("附件名称"), max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    file = models.FileField(_("文件"), upload_to=attachment_upload_to)
    file_type = models.CharField(_("文件类型"), max_length=10, choices=AttachmentType.choices)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    public_file = models.FileField(
        _("公开文件"), upload_to=attachment_public_to, blank=True, max_length=200
    )
    page_count = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    extraction_status = models.CharField(
        _("文本提取"),
        max_length=10,
        choices=ExtractionStatus.choices,
        default=ExtractionStatus.PENDING,
    )
    extraction_error = models.CharField(max_length=200, blank=True)
    # Tracked changes or comments left in a DOCX/XLSX (files.review_markup), set when the file
    # is processed; None: not processed yet, or processed before this check existed.
    has_markup = models.BooleanField(_("含修订痕迹或批注"), null=True, default=None)
    # Pictures of at least rules.PICTURE_MIN_SIDE pixels on each side inside a DOCX/XLSX
    # (files.pictures; 0 for other types), counted when the file is processed so that a scan
    # does not open the file again. None: processed before this count existed; the next scan
    # counts it once and stores it. `gongkai attachments reprocess` counts again (after a
    # change of PICTURE_MIN_SIDE).
    pictures = models.PositiveSmallIntegerField(_("文中图片数"), null=True, default=None)
    # Fingerprints (services._fingerprint) of the values a reviewer chose to mask; never the
    # values. Processing masks every hit with one of these in the public copy and the texts.
    masked_fingerprints = models.JSONField(_("已遮盖的个人信息"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def maskable(self) -> bool:
        """Whether a value found in it can be masked in its public copy (masking.py)."""
        return self.file_type in MASKABLE_TYPES


class AttachmentText(models.Model):
    """Text extracted from an attachment, one row per page (PDF, OFD), sheet (XLSX) or chunk
    of about 2,000 characters (DOCX); search indexes these and groups hits by document."""

    attachment = models.ForeignKey(Attachment, on_delete=models.CASCADE, related_name="texts")
    page = models.PositiveIntegerField(_("页码或段号"))
    text = models.TextField()

    class Meta:
        ordering = ["attachment", "page"]
        constraints = [
            models.UniqueConstraint(fields=["attachment", "page"], name="one_text_per_page")
        ]

    def __str__(self) -> str:
        return f"{self.attachment_id}#{self.page}"


class PiiFinding(models.Model):
    """A piece of personal data found by the pre-publication scan (rules.scan_pii), or an
    attachment (or pages of it) the scan cannot read (rules.text_gap). It blocks publishing
    while open; the reviewer masks it or records why publishing it is lawful, or for an
    unreadable attachment records having looked at it (`justification` is then the optional
    remark).

    The value itself is not stored: `fingerprint` (keyed hash) lets a re-scan recognise a
    finding already justified, and `excerpt` shows it masked."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="pii_findings"
    )
    attachment = models.ForeignKey(
        Attachment, null=True, blank=True, on_delete=models.CASCADE, related_name="pii_findings"
    )
    page = models.PositiveIntegerField(null=True, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=PiiKind.choices)
    excerpt = models.CharField(_("上下文（已遮盖）"), max_length=200)
    # UNREADABLE only: what could not be read (rules.TextGap.kind). The blocker message and the
    # console go by this, never by the wording of `excerpt`, which is for people.
    gap = models.CharField(
        _("无法检查的部分"), max_length=10, choices=TextGapKind.choices, blank=True
    )
    fingerprint = models.CharField(max_length=64)
    resolution = models.CharField(
        _("处理"), max_length=20, choices=PiiResolution.choices, default=PiiResolution.OPEN
    )
    justification = models.TextField(_("依法公开的理由"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("个人信息检查结果")
        verbose_name_plural = _("个人信息检查结果")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(resolution=PiiResolution.JUSTIFIED) | ~Q(justification=""),
                name="pii_justified_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.excerpt}"
