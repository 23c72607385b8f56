"""The official holiday calendar, one State Council notice per year (RULES.md §6)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.constants import DayKind


class HolidayArrangement(models.Model):
    """《国务院办公厅关于YYYY年部分节假日安排的通知》 for one year."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    title = models.CharField(_("标题"), max_length=200)
    document_number = models.CharField(
        _("文号"), max_length=100, blank=True, help_text=_("例如：国办发明电〔2025〕7号")
    )
    source_url = models.URLField(_("来源网址"), max_length=500, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")

    def __str__(self) -> str:
        return self.title or f"{self.year}年节假日安排"


class CalendarDay(models.Model):
    """A day off or a 调休 make-up workday set by an arrangement; other days follow the week."""

    arrangement = models.ForeignKey(
        HolidayArrangement,
        on_delete=models.CASCADE,
        related_name="days",
        verbose_name=_("节假日安排"),
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("节日名称"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日安排日期")
        verbose_name_plural = _("节假日安排日期")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()

    def clean(self) -> None:
        super().clean()
        if self.date and self.arrangement_id and self.date.year != self.arrangement.year:
            message = ValidationError(
                _("日期 %(date)s 不在 %(year)s 年内。"),
                code="date_outside_year",
                params={"date": self.date.isoformat(), "year": self.arrangement.year},
            )
            raise ValidationError({"date": message})
