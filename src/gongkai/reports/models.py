"""The stored annual report of an organisation (条例第四十九、五十条).

`Report` holds what the records cannot give: the officer's table 二 figures (with the system
each comes from), the six narrative sections, and for a people's government which
organisations below it the report consolidates. Tables 三 and 四 are always built from the
records. Every save appends a `ReportVersion` (a full snapshot, who, which parts changed);
publishing appends one more with `published_at` set. Versions are never changed afterwards,
so a published report stays exactly as it was published.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Organization


class Report(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("报告年度"))
    # Organisations below a government whose records are consolidated into its report.
    includes = models.ManyToManyField(
        Organization, blank=True, related_name="+", verbose_name=_("合并的下属机关")
    )
    # Officer-entered cells of table 二: row key → column key → value as a decimal string.
    table2 = models.JSONField(default=dict, blank=True)
    # Where each entered table 二 row comes from: row key → text (e.g. "区政务服务网统计").
    table2_sources = models.JSONField(default=dict, blank=True)
    # The six narrative sections: SECTION_KEYS → text.
    sections = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="report_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.organization.name}{self.year}年政府信息公开工作年度报告"


class ReportVersionQuerySet(models.QuerySet["ReportVersion"]):
    def published(self) -> ReportVersionQuerySet:
        return self.filter(published_at__isnull=False)


class ReportVersion(models.Model):
    """One saved or published state of a report; append-only."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    # StatutoryReport.to_json() as it stood, plus the table 二 sources and included orgs.
    content = models.JSONField()
    table2_sources = models.JSONField(default=dict, blank=True)
    includes = models.JSONField(default=list, blank=True)  # organisation ids
    changed = models.JSONField(
        default=list, blank=True
    )  # which parts changed, e.g. "section.other"
    findings = models.JSONField(default=list, blank=True)  # the validator's, at this version
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    objects = ReportVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度报告版本")
        verbose_name_plural = _("年度报告版本")
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")
        ]
        indexes = [models.Index(fields=["published_at"], name="report_version_published")]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("ReportVersion is append-only")
        super().save(*args, **kwargs)
