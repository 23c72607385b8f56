"""Records of the officer's decisions on misuse flags and 第四十四条 suggestions, and of ledger
imports. The flags and suggestions themselves are computed from the applications
(`inforequests.misuse`); only what a person decided is stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MisuseKind(models.TextChoices):
    REPEATED = "repeated", _("重复申请（第三十六条第（六）项）")
    EXCESSIVE = "excessive", _("申请数量、频次明显超过合理范围（第三十五条）")


class MisuseVerdict(models.TextChoices):
    CONFIRMED = "confirmed", _("情形属实")
    REJECTED = "rejected", _("不属于该情形")


class MisuseDecision(models.Model):
    """The officer's decision on a misuse flag of one application, with the reason. A later
    decision on the same flag supersedes an earlier one; all are kept."""

    request = models.ForeignKey(
        "inforequests.InfoRequest", on_delete=models.CASCADE, related_name="misuse_decisions"
    )
    kind = models.CharField(_("情形"), max_length=20, choices=MisuseKind.choices)
    verdict = models.CharField(_("认定"), max_length=20, choices=MisuseVerdict.choices)
    reason = models.TextField(_("理由"))
    evidence = models.JSONField(_("依据"), default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("滥用情形认定")
        verbose_name_plural = _("滥用情形认定")
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.verdict}"


class SuggestionVerdict(models.TextChoices):
    CONVERTED = "converted", _("已转为主动公开")
    DISMISSED = "dismissed", _("不予转为主动公开")


class DisclosureSuggestionDecision(models.Model):
    """What an officer decided about a 第四十四条 suggestion. `key` is the key of the group's
    earliest application (misuse.cluster_key), stable as more applications join."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    key = models.CharField(max_length=300)
    title = models.CharField(_("所需信息名称"), max_length=200)
    verdict = models.CharField(_("处理"), max_length=20, choices=SuggestionVerdict.choices)
    reason = models.TextField(_("说明"), blank=True)
    request_numbers = models.JSONField(default=list)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("转为主动公开建议的处理")
        verbose_name_plural = _("转为主动公开建议的处理")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "key"], name="one_suggestion_decision_per_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.title} {self.verdict}"


class SuggestionPublication(models.Model):
    """The publication that made a 第四十四条 suggestion's information 主动公开, named on a
    "converted" decision (at the decision or later). One publication belongs to at most one
    decision, so a conversion is counted once: under 第四十四条, not again as a 第十八条
    re-assessment (publications.selectors.conversions_count leaves linked items out)."""

    decision = models.ForeignKey(
        DisclosureSuggestionDecision, on_delete=models.CASCADE, related_name="links"
    )
    publication = models.OneToOneField(
        "publications.Publication",
        verbose_name=_("公开信息"),
        on_delete=models.PROTECT,
        related_name="suggestion_link",
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("转为主动公开建议关联的公开信息")
        verbose_name_plural = _("转为主动公开建议关联的公开信息")
        ordering = ["linked_at", "id"]

    def __str__(self) -> str:
        return f"{self.decision_id} → {self.publication_id}"


class LedgerImport(models.Model):
    """One accepted import of an existing ledger (台账) file: all its rows or none."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("台账导入")
        verbose_name_plural = _("台账导入")

    def __str__(self) -> str:
        return f"{self.filename} ({self.row_count})"


class ImportedRequest(models.Model):
    """Where an imported application came from: the file's row and its number in the old
    ledger (the application gets a new number like any other)."""

    batch = models.ForeignKey(LedgerImport, on_delete=models.PROTECT, related_name="rows")
    request = models.OneToOneField(
        "inforequests.InfoRequest", on_delete=models.CASCADE, related_name="imported_from"
    )
    row_number = models.PositiveIntegerField()
    original_number = models.CharField(_("原台账编号"), max_length=60, blank=True)

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_number}"
