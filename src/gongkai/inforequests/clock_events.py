"""The events the legal clock of an application is derived from (条例第三十条至第三十四条).

The due date is never typed in: it follows from these events and the workday calendar
(`gongkai.inforequests.clock.compute_due_date`). The enums are Django choices so that an event
log can store them with Chinese labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ClockEvent(models.TextChoices):
    """What happened to an application, as far as its time limit is concerned."""

    RECEIVED = "received", gettext_lazy("收到申请")  # 第三十一条
    CORRECTION_REQUESTED = "correction_requested", gettext_lazy("告知补正")  # 第三十条
    CORRECTION_RECEIVED = "correction_received", gettext_lazy("收到补正申请")  # 第三十条
    CORRECTION_LAPSED = "correction_lapsed", gettext_lazy("逾期未补正")  # 第三十条
    CONSULTATION_SENT = "consultation_sent", gettext_lazy("发出征求意见")  # 第三十二、三十四条
    CONSULTATION_ANSWERED = (
        "consultation_answered",
        gettext_lazy("收到征求意见答复"),
    )  # 第三十二、三十四条
    FEE_NOTICE_SENT = "fee_notice_sent", gettext_lazy("发出收费通知")  # 国办函〔2020〕109号
    FEE_PAID = "fee_paid", gettext_lazy("申请人缴费")  # 国办函〔2020〕109号
    FEE_LAPSED = "fee_lapsed", gettext_lazy("逾期未缴费")  # 国办函〔2020〕109号
    EXTENSION_APPROVED = "extension_approved", gettext_lazy("批准延长答复期限")  # 第三十三条
    REPLIED = "replied", gettext_lazy("作出答复")  # 第三十三条、第三十六条


class ConsultedParty(models.TextChoices):
    """Whom a consultation went to; both have 15 workdays to answer."""

    THIRD_PARTY = "third_party", gettext_lazy("第三方")  # 第三十二条
    OTHER_AGENCY = "other_agency", gettext_lazy("其他机关")  # 第三十四条


_CONSULTATION = frozenset({ClockEvent.CONSULTATION_SENT, ClockEvent.CONSULTATION_ANSWERED})


@dataclass(frozen=True)
class Event:
    """One clock event.

    `detail` is free text (e.g. the name of the consulted company or agency; a sent and an
    answered consultation with the same `party` and `detail` belong together). `party` is only
    for consultations: `ConsultedParty.THIRD_PARTY` (第三十二条), `ConsultedParty.OTHER_AGENCY`
    (第三十四条) or None for an unspecified excluded period. `period_workdays` is only for
    CORRECTION_REQUESTED: the correction period given to the applicant (第三十条).
    """

    kind: ClockEvent
    on: date
    detail: str = ""
    party: ConsultedParty | None = None
    period_workdays: int | None = None

    def __post_init__(self) -> None:
        if self.party is not None and self.kind not in _CONSULTATION:
            raise ValueError(_("只有征求意见事件可以指定征求对象。"))
        if self.period_workdays is not None:
            if self.kind != ClockEvent.CORRECTION_REQUESTED:
                raise ValueError(_("只有告知补正事件可以指定补正期限。"))
            if self.period_workdays <= 0:
                raise ValueError(_("补正期限应为正整数个工作日。"))
