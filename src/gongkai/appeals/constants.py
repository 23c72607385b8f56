"""The vocabulary of 行政复议 and 行政诉讼 as counted in table 四 of the annual report
(国办公开办函〔2021〕30号; the 2019 trial format uses the same table, RULES.md §2.5).

The values of `AppealResult` are the result keys of `reports.formats.TABLE4_COLUMNS`
(`<group>_<result>`), so a case's result is its column.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppealResult(models.TextChoices):
    """The four result columns of each group of table 四 (labels are the official ones)."""

    UPHELD = "upheld", _("结果维持")
    CORRECTED = "corrected", _("结果纠正")
    OTHER = "other", _("其他结果")
    PENDING = "pending", _("尚未审结")


class LitigationRoute(models.TextChoices):
    """The two 行政诉讼 groups of table 四."""

    DIRECT = "direct", _("未经复议直接起诉")
    AFTER_RECONSIDERATION = "after_reconsideration", _("复议后起诉")
