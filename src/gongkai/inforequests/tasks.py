"""Daily reminders of applications close to or past their reply limit (条例第三十三条).

The selection and the mail text are pure functions (`select_reminders`, `group_by_recipient`,
`reminder_message`); only `due_items` reads the database and `remind_due_requests` sends mail.
The mails name the application (number, subject, due date), never the applicant.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from gongkai.core.signals import calendar_changed
from gongkai.core.workdays import Calendar, add_workdays, load_calendar, workdays_between
from gongkai.inforequests import services
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.selectors import supervisor_addresses

logger = logging.getLogger(__name__)

# Applications due within this many workdays are flagged in the inbox and reminded daily.
WARN_WORKDAYS = 5


def remaining_workdays(today: date, due_on: date, calendar: Calendar) -> int:
    """Workdays left until `due_on` (0 on the due date itself); negative when overdue, by the
    number of workdays that have passed since the due date."""
    if due_on >= today:
        return workdays_between(today, due_on, calendar).value
    return -workdays_between(due_on, today, calendar).value


def due_soon_cutoff(today: date, calendar: Calendar | None = None) -> date:
    """The last due date that counts as "due soon": the WARN_WORKDAYS-th workday after today."""
    return add_workdays(today, WARN_WORKDAYS, calendar).value


def calendar_for(today: date, due_dates: Iterable[date | None]) -> Calendar:
    """One calendar covering today and every given due date (two queries)."""
    years = {today.year} | {d.year for d in due_dates if d is not None}
    return load_calendar(range(min(years), max(years) + 2))


@dataclass(frozen=True)
class DueItem:
    """What a reminder says about one open application: no personal data of the applicant."""

    pk: int
    number: str
    subject: str
    organization: str
    due_on: date
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class Reminder:
    item: DueItem
    remaining: int  # workdays left; negative when overdue

    @property
    def overdue(self) -> bool:
        return self.remaining < 0


def select_reminders(items: Iterable[DueItem], today: date, calendar: Calendar) -> list[Reminder]:
    """The items due within WARN_WORKDAYS workdays or overdue, the most urgent first."""
    reminders = []
    for item in items:
        remaining = remaining_workdays(today, item.due_on, calendar)
        if remaining <= WARN_WORKDAYS:
            reminders.append(Reminder(item, remaining))
    return sorted(reminders, key=lambda r: (r.item.due_on, r.item.number))


def group_by_recipient(reminders: Iterable[Reminder]) -> dict[str, list[Reminder]]:
    """One mail per address, listing every application it is reminded of."""
    grouped: dict[str, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        for address in reminder.item.recipients:
            grouped[address].append(reminder)
    return dict(grouped)


def reminder_message(reminders: list[Reminder], today: date) -> tuple[str, str]:
    """Subject and body of one reminder mail (Chinese, translated through gettext)."""
    overdue = sum(1 for r in reminders if r.overdue)
    subject = _(
        "依申请公开到期提醒：%(total)s件申请即将到期或已逾期（其中已逾期%(overdue)s件）"
    ) % {"total": len(reminders), "overdue": overdue}
    lines = [
        _("截至%(today)s，以下政府信息公开申请的答复期限即将届满或已经届满（条例第三十三条）：")
        % {"today": today.isoformat()},
        "",
    ]
    for r in reminders:
        if r.overdue:
            state = _("已逾期%(n)s个工作日") % {"n": -r.remaining}
        elif r.remaining == 0:
            state = _("今天到期")
        else:
            state = _("剩余%(n)s个工作日") % {"n": r.remaining}
        lines.append(
            _("%(number)s　%(subject)s　%(org)s　答复期限：%(due)s（%(state)s）")
            % {
                "number": r.item.number,
                "subject": r.item.subject,
                "org": r.item.organization,
                "due": r.item.due_on.isoformat(),
                "state": state,
            }
        )
    lines += ["", _("请登录政府信息公开工作台及时办理。本邮件由系统自动发送，请勿回复。")]
    return subject, "\n".join(lines)


def due_items(today: date, calendar: Calendar | None = None) -> list[DueItem]:
    """Open applications whose (running) clock ends within WARN_WORKDAYS workdays or has
    ended, with the addresses to remind: the officer and the supervisors above."""
    cutoff = due_soon_cutoff(today, calendar)
    items = []
    qs = list(
        InfoRequest.objects.open()
        .filter(due_on__isnull=False, due_on__lte=cutoff)
        .select_related("organization", "officer")
        .order_by("due_on", "number")
    )
    supervisors = supervisor_addresses(request.organization for request in qs)
    for request in qs:
        assert request.due_on is not None
        recipients: list[str] = []
        officer = request.officer
        if officer is not None and officer.is_active and officer.email:
            recipients.append(officer.email)
        for address in sorted(supervisors[request.organization.pk]):
            if address not in recipients:
                recipients.append(address)
        items.append(
            DueItem(
                pk=request.pk,
                number=request.number,
                subject=request.subject,
                organization=request.organization.name,
                due_on=request.due_on,
                recipients=tuple(recipients),
            )
        )
    return items


@db_periodic_task(crontab(hour="7", minute="30"))
def remind_due_requests() -> int:
    """Every morning: mail each officer and supervisor the applications that need a reply
    within WARN_WORKDAYS workdays or are overdue. Returns the number of mails sent."""
    today = timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        items = due_items(today)
        reminders = select_reminders(items, today, calendar_for(today, [i.due_on for i in items]))
        sent = 0
        for address, own in sorted(group_by_recipient(reminders).items()):
            subject, body = reminder_message(own, today)
            try:
                sent += send_mail(subject, body, None, [address], fail_silently=False)
            except Exception:  # one bad address must not stop the other reminders
                logger.exception("依申请公开到期提醒发送失败：%s", address)
    without = sum(1 for r in reminders if not r.item.recipients)
    logger.info(
        "依申请公开到期提醒：%s件申请即将到期或已逾期（其中已逾期%s件），发送%s封邮件，"
        "%s件申请没有可提醒的邮箱。",
        len(reminders),
        sum(1 for r in reminders if r.overdue),
        sent,
        without,
    )
    return sent


@db_task()
def refresh_clocks(year: int) -> int:
    return services.refresh_clocks(year)


@receiver(calendar_changed)
def _calendar_changed(sender: Any, year: int, **kwargs: Any) -> None:
    refresh_clocks(year)
