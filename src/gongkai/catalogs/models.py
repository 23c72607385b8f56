"""标准目录 (RULES.md §4): the areas (领域) as an extensible code list, catalog items with the
columns of the published catalogues, adoption by organisations and the link from a publication
to the items it fulfils. And the register of filed 公文 with their 公开属性, from which the
主动公开率 is computed.

Writes happen only in services.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongkai.catalogs.constants import Channel
from gongkai.publications.constants import DisclosureAttribute, WithholdingReason


class Domain(models.Model):
    """A 领域 of 基层政务公开标准化规范化: the 26 pilot areas plus what a locality adds."""

    code = models.CharField(_("领域代码"), max_length=8, unique=True)
    name = models.CharField(_("领域名称"), max_length=50, unique=True)
    note = models.CharField(_("说明"), max_length=100, blank=True)
    # The 26 areas of 国办发〔2019〕54号 are loaded by a data migration; later ones are local.
    is_standard = models.BooleanField(_("国家试点领域"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("标准目录领域")
        verbose_name_plural = _("标准目录领域")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CatalogItem(models.Model):
    """One row of a 标准目录, with its columns as printed in county catalogues (RULES.md §4).

    `organization` is empty for items of the standard guide shared by everyone, or names the
    organisation that compiled a local item; either way an organisation adopts what applies."""

    domain = models.ForeignKey(
        Domain, verbose_name=_("领域"), on_delete=models.PROTECT, related_name="items"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("编制单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    code = models.CharField(_("事项编码"), max_length=20, blank=True)
    item = models.CharField(_("一级事项"), max_length=100)
    sub_item = models.CharField(_("二级事项"), max_length=100, blank=True)
    content = models.TextField(_("公开内容（要素）"))
    basis = models.TextField(_("公开依据"))
    time_limit = models.CharField(_("公开时限"), max_length=200)
    subject = models.CharField(_("公开主体"), max_length=200)
    channels = models.JSONField(_("公开渠道和载体"), default=list, blank=True)
    audience_public = models.BooleanField(_("公开对象：全社会"), default=False)
    audience_specific = models.BooleanField(_("公开对象：特定群众"), default=False)
    method_proactive = models.BooleanField(_("公开方式：主动"), default=False)
    method_on_request = models.BooleanField(_("公开方式：依申请公开"), default=False)
    level_county = models.BooleanField(_("公开层级：县级"), default=False)
    level_township = models.BooleanField(_("公开层级：乡级"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("标准目录事项")
        verbose_name_plural = _("标准目录事项")
        ordering = ["domain__code", "code", "id"]

    def __str__(self) -> str:
        return f"{self.item}－{self.sub_item}" if self.sub_item else self.item

    @property
    def channel_display(self) -> str:
        labels = dict(Channel.choices)
        return "、".join(str(labels.get(c, c)) for c in self.channels)


class Adoption(models.Model):
    """An organisation has taken a catalog item into its own 标准目录."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="catalog_adoptions"
    )
    item = models.ForeignKey(CatalogItem, on_delete=models.PROTECT, related_name="adoptions")
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    adopted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "item"], name="one_adoption_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}:{self.item_id}"


class PublicationItem(models.Model):
    """A publication fulfils a catalog item its organisation adopted (for the coverage view)."""

    publication = models.ForeignKey(
        "publications.Publication", on_delete=models.CASCADE, related_name="catalog_links"
    )
    item = models.ForeignKey(
        CatalogItem, on_delete=models.PROTECT, related_name="publication_links"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "item"], name="one_link_per_publication_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.publication_id}→{self.item_id}"


class FiledDocument(models.Model):
    """A 公文 an organisation issued and filed (备案) in a year, with the 公开属性 decided when
    it was drafted; the 主动公开率 is the share of them that are 主动公开."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("发文机关"),
        on_delete=models.PROTECT,
        related_name="filed_documents",
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    document_number = models.CharField(_("发文字号"), max_length=100)
    # publications.rules.document_number_key: one form for 〔〕[]【】() and 繁/简.
    document_number_key = models.CharField(max_length=100, db_index=True)
    title = models.CharField(_("公文标题"), max_length=300)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    disclosure_attribute = models.CharField(
        _("公开属性"), max_length=20, choices=DisclosureAttribute.choices
    )
    withholding_reason = models.CharField(
        _("不主动公开的理由"), max_length=30, choices=WithholdingReason.choices, blank=True
    )
    withholding_note = models.TextField(_("理由说明"), blank=True)
    publication = models.ForeignKey(
        "publications.Publication",
        verbose_name=_("公开的信息"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("备案公文")
        verbose_name_plural = _("备案公文")
        ordering = ["-year", "organization", "document_number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "document_number_key"],
                name="one_filed_document_per_number",
                violation_error_message=_("本单位该年度已登记此发文字号"),
            ),
            models.CheckConstraint(
                condition=Q(disclosure_attribute=DisclosureAttribute.PROACTIVE)
                | ~Q(withholding_reason=""),
                name="filed_document_withheld_has_reason",
                violation_error_message=_("依申请公开或不予公开的公文须选择理由并写明说明"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_number} {self.title}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("等待导入")
    RUNNING = "running", _("正在导入")
    DONE = "done", _("已导入")
    FAILED = "failed", _("未导入")


class ImportFailure(models.TextChoices):
    CHANGED = (
        "changed",
        _("导入时数据已被他人修改（如索引号已被使用），未导入任何一行，请重新上传。"),
    )
    ROWS = "rows", _("导入时重新检查发现问题，未导入任何一行，请修改后重新上传。")
    PERMISSION = "permission", _("导入人已不再同时具有本单位信息员和审核员权限，未导入任何一行。")
    ERROR = "error", _("导入时发生系统错误，未导入任何一行，请稍后重新上传或联系管理员。")


class CatalogImport(models.Model):
    """An accepted catalog file, written by the task queue (a file of 2,000 rows takes a few
    minutes: longer than a web request may last). All its rows are written or none."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("发布机构"), on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(max_length=64)
    # The uploaded file until the import has run; read again by the worker, which checks every
    # row once more against the data as it is then.
    content = models.BinaryField(default=b"")
    row_count = models.PositiveIntegerField(_("行数"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    imported = models.PositiveIntegerField(_("已导入条数"), default=0)
    # [{"row": 3, "column": "发布日期", "message": "…"}]: the problems found when it ran.
    errors = models.JSONField(default=list, blank=True)
    failure = models.CharField(
        _("未导入的原因"), max_length=20, choices=ImportFailure.choices, blank=True
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("目录导入")
        verbose_name_plural = _("目录导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.row_count}, {self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)
