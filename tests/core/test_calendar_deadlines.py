"""Deadlines cached from the workday calendar follow a new 节假日安排: an application's 答复期限
(条例第三十三条) and an item's 公开期限 (第二十六条) computed before next year's arrangement was
published are computed again when it is saved."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from gongkai.audit.models import AuditEvent
from gongkai.core.services import arrangement_save
from gongkai.core.workdays import add_workdays, load_calendar
from gongkai.inforequests import services as requests
from gongkai.inforequests.channels import Channel
from gongkai.publications import rules
from gongkai.publications import services as publications
from tests.conftest import APPLICANT, District
from tests.publications.conftest import draft_data

pytestmark = pytest.mark.django_db

# Made up for 2027 (the seeded calendar ends with 2026): a long New Year break and a Saturday
# that is worked, the two ways an arrangement moves a deadline.
HOLIDAYS = [(date(2027, 1, d), "元旦") for d in (1, 4, 5, 6)]
MAKEUP = [(date(2027, 1, 16), "元旦")]


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(date(2026, 12, 21), tick=False):
        yield


def save_2027(on_commit: Any) -> None:
    with on_commit(execute=True):
        arrangement_save(
            actor=None,
            year=2027,
            title="",
            holidays=HOLIDAYS,
            makeup_workdays=MAKEUP,
        )


def test_a_new_arrangement_moves_open_applications_due_dates(
    district: District, django_capture_on_commit_callbacks: Any
) -> None:
    request, _ = requests.request_submit(
        organization=district.dept_a,
        data=APPLICANT,
        channel=Channel.ONLINE,
        received_on=date(2026, 12, 18),
    )
    assert request.due_provisional
    provisional = request.due_on
    save_2027(django_capture_on_commit_callbacks)
    request.refresh_from_db()
    expected = add_workdays(date(2026, 12, 18), 20, load_calendar([2026, 2027])).value
    assert request.due_on == expected != provisional
    assert not request.due_provisional
    event = AuditEvent.objects.get(verb="inforequest.due_recomputed")
    assert event.object_id == str(request.pk)


def test_a_new_arrangement_moves_the_article_26_deadline_of_items(
    district: District, django_capture_on_commit_callbacks: Any
) -> None:
    pub = publications.publication_create(
        actor=district.officer_a,
        organization=district.dept_a,
        data=draft_data(written_on=date(2026, 12, 18)),
    )
    before = pub.publish_due_on
    save_2027(django_capture_on_commit_callbacks)
    pub.refresh_from_db()
    expected = rules.publish_due_on(date(2026, 12, 18), load_calendar([2026, 2027]))
    assert pub.publish_due_on == expected != before
