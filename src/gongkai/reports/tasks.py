"""Daily reminders of annual reports due (条例第四十九条: departments by 31 January, people's
governments by 31 March, both configurable). Like the application reminders in
gongkai.inforequests.tasks: pure functions build the mails, one task sends them.

Who is reminded: the officers and the org admin of the organisation, and the supervisors of
it or of any organisation above it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gongkai.orgs.constants import Role
from gongkai.orgs.models import Organization
from gongkai.orgs.selectors import member_addresses, supervisor_addresses
from gongkai.reports.selectors import DueReport, reports_due

logger = logging.getLogger(__name__)

RESPONSIBLE_ROLES = (Role.OFFICER, Role.ORG_ADMIN)


def recipients_by_report(due: list[DueReport]) -> dict[str, list[DueReport]]:
    """address → the due reports it is reminded of (two queries)."""
    if not due:
        return {}
    own = member_addresses({d.organization.pk for d in due}, RESPONSIBLE_ROLES)
    supervisors = supervisor_addresses(d.organization for d in due)
    grouped: dict[str, list[DueReport]] = defaultdict(list)
    for item in due:
        for address in own[item.organization.pk] | supervisors[item.organization.pk]:
            grouped[address].append(item)
    return dict(grouped)


def reminder_message(due: list[DueReport], today: date) -> tuple[str, str]:
    overdue = sum(1 for d in due if d.overdue)
    subject = _(
        "年度报告发布提醒：%(total)s个机关的政府信息公开工作年度报告尚未发布（其中已逾期%(overdue)s个）"
    ) % {"total": len(due), "overdue": overdue}
    lines = [
        _("截至%(today)s，以下机关的政府信息公开工作年度报告尚未发布（条例第四十九条）：")
        % {"today": today.isoformat()},
        "",
    ]
    for d in due:
        if d.overdue:
            state = _("已逾期%(n)s天") % {"n": -d.days_left}
        elif d.days_left == 0:
            state = _("今天到期")
        else:
            state = _("还有%(n)s天") % {"n": d.days_left}
        lines.append(
            _("%(org)s　%(year)s年度报告　发布期限：%(deadline)s（%(state)s）")
            % {
                "org": d.organization.name,
                "year": d.year,
                "deadline": d.deadline.isoformat(),
                "state": state,
            }
        )
    lines += ["", _("请登录政府信息公开工作台编写、发布年度报告。本邮件由系统自动发送，请勿回复。")]
    return subject, "\n".join(lines)


@db_periodic_task(crontab(hour="7", minute="40"))
def remind_due_reports() -> int:
    """Every morning from REPORT_REMIND_DAYS before the deadline to REPORT_REMIND_DAYS after
    it, until the report is published: mail the responsible staff. Returns the number of mails
    sent."""
    today = timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        due = reports_due(Organization.objects.all(), today)
        sent = 0
        for address, own in sorted(recipients_by_report(due).items()):
            subject, body = reminder_message(own, today)
            try:
                sent += send_mail(subject, body, None, [address], fail_silently=False)
            except Exception:  # one bad address must not stop the other reminders
                logger.exception("年度报告发布提醒发送失败：%s", address)
    logger.info("年度报告发布提醒：%s个机关的年度报告尚未发布，发送%s封邮件。", len(due), sent)
    return sent
