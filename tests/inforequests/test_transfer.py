"""转办 inside one people's government, and what stays with the applicant: the date of
receipt (条例第三十一条) and so the 20-workday limit (第三十三条). Other cases are answered
under 第三十六条第（五）项."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.inforequests.models import InfoRequest, Transfer
from gongkai.inforequests.release_rules import OrgLink, government_of, transfer_allowed
from gongkai.inforequests.selectors import inbox
from gongkai.inforequests.services import request_assign, request_submit
from gongkai.inforequests.transfer import request_transfer, transfer_targets
from gongkai.orgs.constants import OrgType
from tests.conftest import APPLICANT, District, make_org, make_user
from tests.inforequests.letters_support import close_with_reply


def _submit(district: District) -> InfoRequest:
    info, _ = request_submit(
        organization=district.dept_a,
        data=dict(APPLICANT),
        channel="online",
        received_on=timezone.localdate(),
    )
    return info


def test_government_of_is_the_nearest_government_above() -> None:
    district, dept, town, town_office = (
        OrgLink(1, True),
        OrgLink(2, False),
        OrgLink(3, True),
        OrgLink(4, False),
    )
    assert government_of([district, dept]) == 1
    assert government_of([district, town, town_office]) == 3
    assert transfer_allowed([district, dept], [district])
    assert not transfer_allowed([district, dept], [district, dept])  # not to itself
    # A town is a government of its own: a department's application does not go there.
    assert not transfer_allowed([district, dept], [district, town])


def test_transfer_moves_the_application_keeps_the_clock_and_is_audited(
    district: District,
) -> None:
    info = _submit(district)
    request_assign(actor=district.officer_a, request=info, officer=district.officer_a)
    received, due = info.received_on, info.due_on
    request_transfer(
        actor=district.officer_a, request=info, to=district.dept_b, reason="属于民政局职责"
    )
    info.refresh_from_db()
    assert info.organization == district.dept_b and info.officer is None
    # Not a new receipt: the date of receipt and the due date stay (第三十一条、第三十三条).
    assert (info.received_on, info.due_on) == (received, due)
    assert info in inbox(district.officer_b)
    assert info not in inbox(district.officer_a)
    event = AuditEvent.objects.get(verb="inforequest.transferred")
    assert event.actor_id == district.officer_a.pk
    assert event.before["organization"] == district.dept_a.pk
    assert event.after["organization"] == district.dept_b.pk
    assert Transfer.objects.get().reason == "属于民政局职责"


def test_no_transfer_to_another_government_or_by_a_stranger(district: District) -> None:
    info = _submit(district)
    other_gov = make_org("另一区人民政府", division_code="339906")
    other_dept = make_org("另一区教育局", other_gov)
    with pytest.raises(ValidationError):
        request_transfer(actor=district.officer_a, request=info, to=other_dept, reason="x")
    with pytest.raises(PermissionDenied):
        request_transfer(actor=district.officer_b, request=info, to=district.dept_b, reason="x")
    assert other_dept not in transfer_targets(district.dept_a)
    assert district.dept_b in transfer_targets(district.dept_a)
    assert district.dept_a not in transfer_targets(district.dept_a)


def test_closed_applications_are_not_transferred(district: District) -> None:
    info = _submit(district)
    close_with_reply(
        actor=district.officer_a,
        request=info,
        outcome="unavailable_not_held",
        legal_basis="《中华人民共和国政府信息公开条例》第三十六条第（五）项",
        reasons="该信息由测试区民政局负责公开，联系电话0571-88000000。",
        on=timezone.localdate(),
    )
    with pytest.raises(ValidationError):
        request_transfer(actor=district.officer_a, request=info, to=district.dept_b, reason="x")


def test_transfer_through_the_console(district: District) -> None:
    info = _submit(district)
    client = Client()
    client.force_login(district.officer_a)
    url = reverse("console:request_transfer", kwargs={"pk": info.pk})
    detail = client.get(reverse("console:request_detail", kwargs={"pk": info.pk})).content.decode()
    assert "转办" in detail and district.dept_b.name in detail
    response = client.post(url, {"to": district.dept_b.pk, "reason": "属于民政局职责"})
    assert response.status_code == 302
    assert client.get(reverse("console:request_detail", kwargs={"pk": info.pk})).status_code == 404
    receiving = Client()
    receiving.force_login(district.officer_b)
    page = receiving.get(reverse("console:request_detail", kwargs={"pk": info.pk})).content
    assert "属于民政局职责" in page.decode()


def test_street_office_belongs_to_the_district(district: District) -> None:
    targets = transfer_targets(district.dept_a)
    assert district.street in targets and district.gov in targets
    town = make_org("测试区某镇人民政府", district.gov, org_type=OrgType.TOWN)
    town_office = make_org("测试区某镇党政综合办公室", town, org_type=OrgType.OTHER)
    make_user("town_officer", officer=town)
    targets = transfer_targets(district.dept_a)
    assert town not in targets and town_office not in targets  # a government of its own
    assert district.dept_b in targets
    # The list offered and the rule the service applies agree.
    from gongkai.inforequests.transfer import chain

    for org in [town, town_office, district.dept_b, district.street, district.gov]:
        assert (org in targets) == transfer_allowed(chain(district.dept_a), chain(org))
