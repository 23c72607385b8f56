"""Applications through the services: numbering, double submission, the clock cache, closing
with one outcome, permissions and audit (条例第二十九至三十六条)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.audit.models import AuditEvent
from gongkai.core.workdays import add_workdays
from gongkai.inforequests import services
from gongkai.inforequests.channels import Channel
from gongkai.inforequests.clock_events import ClockEvent
from gongkai.inforequests.constants import Outcome, Status
from gongkai.inforequests.models import InfoRequest
from tests.conftest import APPLICANT, District
from tests.inforequests.letters_support import approved_reply

TODAY = date(2024, 3, 20)  # inside the seeded calendar years


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(date(2024, 3, 20), tick=False):
        yield


def submit(district: District, received: date = date(2024, 3, 1), **kw: Any) -> InfoRequest:
    request, _ = services.request_submit(
        organization=district.dept_a,
        data=APPLICANT,
        channel=Channel.ONLINE,
        received_on=received,
        **kw,
    )
    return request


def test_submission_gets_number_code_event_and_due_date(district: District) -> None:
    """第三十三条: 20 workdays from the day after receipt."""
    request = submit(district)
    assert request.number.startswith("2024-")
    assert len(request.tracking_code) == 8
    assert list(request.events.values_list("kind", flat=True)) == [ClockEvent.RECEIVED]
    assert request.due_on == add_workdays(date(2024, 3, 1), 20).value
    assert request.status == Status.REGISTERED


def test_numbers_are_sequential_per_organisation_and_year(district: District) -> None:
    numbers = [submit(district).number for _ in range(3)]
    assert [n.rsplit("-", 1)[1] for n in numbers] == ["00001", "00002", "00003"]


def test_same_submission_key_gives_one_application(district: District) -> None:
    first = submit(district, submission_key="k-123")
    second, created = services.request_submit(
        organization=district.dept_a,
        data=APPLICANT,
        channel=Channel.ONLINE,
        received_on=date(2024, 3, 1),
        submission_key="k-123",
    )
    assert second.pk == first.pk and not created
    assert InfoRequest.objects.count() == 1


def test_future_receipt_date_is_refused(district: District) -> None:
    with pytest.raises(ValidationError):
        submit(district, received=TODAY + timedelta(days=1))


def test_audit_names_the_application_not_the_applicant(district: District) -> None:
    """PIPL 第五十一条: personal data stays out of the audit log."""
    request = submit(district)
    event = AuditEvent.objects.get(verb="inforequest.submitted")
    assert event.object_id == str(request.pk)
    text = f"{event.after}{event.before}{event.object_repr}{event.reason}"
    for personal in ("张三", "11010519491231002X", "13812345678", "zhangsan@"):
        assert personal not in text


def test_correction_pauses_and_corrected_application_restarts(district: District) -> None:
    """第三十条: the limit restarts from receipt of the corrected application."""
    request = submit(district)
    services.request_add_event(
        actor=district.officer_a,
        request=request,
        kind=ClockEvent.CORRECTION_REQUESTED,
        on=date(2024, 3, 5),
        period_workdays=10,
    )
    request.refresh_from_db()
    assert request.status == Status.AWAITING_CORRECTION and request.due_on is None
    services.request_add_event(
        actor=district.officer_a,
        request=request,
        kind=ClockEvent.CORRECTION_RECEIVED,
        on=date(2024, 3, 11),
    )
    request.refresh_from_db()
    assert request.due_on == add_workdays(date(2024, 3, 11), 20).value
    # The cache is what the clock says from the events.
    assert request.due_on == services.request_clock(request).due_on


def test_extension_adds_twenty_workdays(district: District) -> None:
    """第三十三条第二款: at most 20 more workdays."""
    request = submit(district)
    before = request.due_on
    services.request_add_event(
        actor=district.officer_a,
        request=request,
        kind=ClockEvent.EXTENSION_APPROVED,
        on=date(2024, 3, 15),
    )
    request.refresh_from_db()
    assert before is not None
    assert request.due_on == add_workdays(before, 20).value


def test_officer_of_another_organisation_cannot_act(district: District) -> None:
    request = submit(district)
    with pytest.raises(PermissionDenied):
        services.request_add_event(
            actor=district.officer_b,
            request=request,
            kind=ClockEvent.EXTENSION_APPROVED,
            on=date(2024, 3, 15),
        )
    with pytest.raises(PermissionDenied):
        services.request_close(
            actor=district.officer_b,
            request=request,
            outcome=Outcome.DISCLOSED,
            legal_basis="第三十六条第（二）项",
            reasons="予以公开",
            on=TODAY,
        )


def test_close_needs_basis_and_reasons_and_records_the_reply(district: District) -> None:
    """第三十六条: every reply states its basis and reasons; one outcome per application."""
    request = submit(district)
    with pytest.raises(ValidationError):
        services.request_close(
            actor=district.officer_a,
            request=request,
            outcome=Outcome.DISCLOSED,
            legal_basis="",
            reasons="",
            on=TODAY,
        )
    close = {
        "actor": district.officer_a,
        "request": request,
        "outcome": Outcome.PARTLY_DISCLOSED,
        "legal_basis": "《政府信息公开条例》第三十七条",
        "reasons": "部分内容涉及个人隐私",
        "on": TODAY,
    }
    # The reply is a letter: no closing before a legal reviewer approved one for this outcome.
    with pytest.raises(ValidationError, match="法制审核"):
        services.request_close(**close)
    approved_reply(request, Outcome.DISCLOSED, officer=district.officer_a)
    with pytest.raises(ValidationError, match="办理结果"):
        services.request_close(**close)
    request.letters.update(status="sent")  # that letter went out; a new one for 部分公开
    approved_reply(request, Outcome.PARTLY_DISCLOSED, officer=district.officer_a)
    services.request_close(**close)
    request.refresh_from_db()
    assert request.status == Status.CLOSED and request.outcome == Outcome.PARTLY_DISCLOSED
    assert request.events.filter(kind=ClockEvent.REPLIED, on=TODAY).exists()
    with pytest.raises(ValidationError):
        services.request_add_event(
            actor=district.officer_a,
            request=request,
            kind=ClockEvent.EXTENSION_APPROVED,
            on=TODAY,
        )


def test_assign_only_to_an_officer_of_the_organisation(district: District) -> None:
    request = submit(district)
    with pytest.raises(ValidationError):
        services.request_assign(
            actor=district.officer_a, request=request, officer=district.officer_b
        )
    services.request_assign(actor=district.officer_a, request=request, officer=district.officer_a)
    request.refresh_from_db()
    assert request.officer == district.officer_a and request.status == Status.IN_PROGRESS
