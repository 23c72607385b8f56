"""行政复议 and 行政诉讼 cases about an organisation's disclosure work (条例第五十一条).

A case is linked to the application it arose from, or stands alone (e.g. a complaint about
proactive disclosure). The applicant's name is personal data: it is never shown on the portal,
never written to the audit log and never part of `__str__`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gongkai.appeals.constants import AppealResult, LitigationRoute

# A case is 尚未审结 exactly when it has no decision (judgment) date.
PENDING_IFF_UNDECIDED = Q(result=AppealResult.PENDING, decided_on__isnull=True) | (
    ~Q(result=AppealResult.PENDING) & Q(decided_on__isnull=False)
)
DECIDED_AFTER_FILED = Q(decided_on__isnull=True) | Q(decided_on__gte=F("filed_on"))


class AppealCase(models.Model):
    """What a 行政复议 and a 行政诉讼 record have in common."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("被申请人（被告）机关"),
        on_delete=models.PROTECT,
        related_name="%(class)ss",
    )
    info_request = models.ForeignKey(
        "inforequests.InfoRequest",
        verbose_name=_("所涉政府信息公开申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(class)ss",
    )
    # Personal data: never public, never audited.
    applicant_name = models.CharField(_("申请人（原告）"), max_length=100)
    case_number = models.CharField(_("案号"), max_length=60, blank=True)
    filed_on = models.DateField(_("申请（立案）日期"), db_index=True)
    decided_on = models.DateField(_("决定（裁判）日期"), null=True, blank=True)
    result = models.CharField(
        _("结果"), max_length=20, choices=AppealResult.choices, default=AppealResult.PENDING
    )
    notes = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-filed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=PENDING_IFF_UNDECIDED,
                name="%(app_label)s_%(class)s_pending_iff_undecided",
            ),
            models.CheckConstraint(
                condition=DECIDED_AFTER_FILED, name="%(app_label)s_%(class)s_decided_after_filed"
            ),
        ]

    def __str__(self) -> str:
        return self.case_number or f"#{self.pk}"


class Reconsideration(AppealCase):
    """One 行政复议 case: the respondent organisation, the 复议机关, the result."""

    body = models.CharField(_("复议机关"), max_length=100)

    class Meta(AppealCase.Meta):
        verbose_name = _("行政复议")
        verbose_name_plural = _("行政复议")


class Litigation(AppealCase):
    """One 行政诉讼 case; `route` picks its group in table 四 (直接起诉 or 复议后起诉)."""

    court = models.CharField(_("法院"), max_length=100)
    route = models.CharField(_("起诉方式"), max_length=30, choices=LitigationRoute.choices)
    reconsideration = models.ForeignKey(
        Reconsideration,
        verbose_name=_("此前的行政复议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="litigations",
    )

    class Meta(AppealCase.Meta):
        verbose_name = _("行政诉讼")
        verbose_name_plural = _("行政诉讼")
        constraints = [
            *AppealCase.Meta.constraints,
            models.CheckConstraint(
                condition=Q(route=LitigationRoute.AFTER_RECONSIDERATION)
                | Q(reconsideration__isnull=True),
                name="%(app_label)s_%(class)s_direct_without_reconsideration",
            ),
        ]
