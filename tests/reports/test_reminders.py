"""Reminders of annual reports due (条例第四十九条: departments by 31 January, people's
governments by 31 March; configurable): daily mails to the responsible staff and a warning on
the console home."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from gongkai.orgs.models import Organization, User
from gongkai.reports.selectors import deadline_for, reports_due
from gongkai.reports.services import report_create, report_publish, report_save
from gongkai.reports.tasks import remind_due_reports
from tests.conftest import District
from tests.reports.test_stored import _fix_problems


def _email(user: User, address: str) -> None:
    user.email = address
    user.save(update_fields=["email"])


def _due(district: District, today: date) -> dict[str, date]:
    return {d.organization.name: d.deadline for d in reports_due(Organization.objects.all(), today)}


def test_deadlines_by_kind_of_organisation(district: District) -> None:
    """条例第四十九条: 部门 by 31 January, 人民政府 by 31 March of the following year."""
    assert deadline_for(district.dept_a, 2024) == date(2025, 1, 31)
    assert deadline_for(district.street, 2024) == date(2025, 1, 31)
    assert deadline_for(district.gov, 2024) == date(2025, 3, 31)


def test_deadlines_are_configurable(district: District, settings: Any) -> None:
    settings.REPORT_DEADLINE_DEPARTMENTS = "01-15"
    settings.REPORT_DEADLINE_GOVERNMENTS = "02-28"
    assert deadline_for(district.dept_a, 2024) == date(2025, 1, 15)
    assert deadline_for(district.gov, 2024) == date(2025, 2, 28)


def test_which_reports_are_due(district: District, settings: Any) -> None:
    settings.REPORT_REMIND_DAYS = 30
    assert _due(district, date(2024, 12, 31)) == {}  # 31 days before the departments' deadline
    due = _due(district, date(2025, 1, 1))
    assert due[district.dept_a.name] == date(2025, 1, 31)
    assert district.gov.name not in due  # its deadline is 31 March
    due = _due(district, date(2025, 3, 1))
    assert due[district.gov.name] == date(2025, 3, 31)
    assert due[district.dept_a.name] == date(2025, 1, 31)  # overdue, still reminded


def test_a_published_report_is_no_longer_due(district: District) -> None:
    with time_machine.travel(date(2025, 1, 20), tick=False):
        report = report_create(actor=district.officer_a, organization=district.dept_a, year=2024)
        report_save(
            actor=district.officer_a,
            report=report,
            sections=_fix_problems(report.sections),
            table2={},
            table2_sources={},
        )
        report_publish(actor=district.admin_a, report=report)
        assert district.dept_a.name not in _due(district, date(2025, 1, 20))
        assert district.dept_b.name in _due(district, date(2025, 1, 20))


def test_daily_task_mails_the_responsible_staff(district: District) -> None:
    _email(district.officer_a, "officer_a@example.gov.cn")
    _email(district.admin_a, "admin_a@example.gov.cn")
    _email(district.reviewer_a, "reviewer_a@example.gov.cn")
    _email(district.supervisor, "supervisor@example.gov.cn")
    with time_machine.travel(date(2025, 1, 25), tick=False):
        sent = remind_due_reports.call_local()
    recipients = {m.to[0]: m for m in mail.outbox}
    assert sent == len(mail.outbox) == 3
    assert set(recipients) == {
        "officer_a@example.gov.cn",
        "admin_a@example.gov.cn",
        "supervisor@example.gov.cn",
    }
    officer_mail = recipients["officer_a@example.gov.cn"]
    assert district.dept_a.name in officer_mail.body
    assert district.dept_b.name not in officer_mail.body
    assert "2025-01-31（还有6天）" in officer_mail.body
    supervisor_mail = recipients["supervisor@example.gov.cn"]
    assert (
        district.dept_b.name in supervisor_mail.body
        and district.street.name in supervisor_mail.body
    )


def test_no_mail_far_from_the_deadline(district: District) -> None:
    _email(district.officer_a, "officer_a@example.gov.cn")
    with time_machine.travel(date(2025, 11, 1), tick=False):
        # 2024's report is long overdue, but the year to report now is 2025: not due yet.
        assert remind_due_reports.call_local() == 0
    assert mail.outbox == []


def test_console_home_warns(district: District) -> None:
    client = Client()
    client.force_login(district.officer_a)
    with time_machine.travel(date(2025, 2, 3), tick=False):
        html = client.get(reverse("console:home")).content.decode()
    assert "年度报告尚未发布" in html
    assert district.dept_a.name in html
    assert "已逾期 3 天" in html
    assert district.dept_b.name not in html


@pytest.mark.parametrize("who", ["auditor", "reviewer_a"])
def test_console_home_does_not_warn_who_cannot_act(district: District, who: str) -> None:
    client = Client()
    client.force_login(getattr(district, who))
    with time_machine.travel(date(2025, 2, 3), tick=False):
        html = client.get(reverse("console:home")).content.decode()
    assert "年度报告尚未发布" not in html
