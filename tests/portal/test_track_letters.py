"""The applicant downloads sent letters from the progress page, with the same proof as the page
itself (application number and tracking code); nobody else can (条例第三十六条; SECURITY.md
V4 4.2.1: no IDOR)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.inforequests import services
from gongkai.inforequests.channels import Channel
from gongkai.inforequests.constants import Outcome
from gongkai.inforequests.letters import services as letters
from gongkai.inforequests.models import InfoRequest, Letter
from tests.conftest import APPLICANT, District
from tests.inforequests.letters_support import approved_reply

TODAY = date(2024, 3, 20)


@pytest.fixture(autouse=True)
def _today() -> Any:
    cache.clear()
    with time_machine.travel(TODAY, tick=False):
        yield
    cache.clear()


def _application(district: District, received: date = date(2024, 3, 1)) -> InfoRequest:
    request, _ = services.request_submit(
        organization=district.dept_a, data=APPLICANT, channel=Channel.ONLINE, received_on=received
    )
    return request


def _sent_reply(district: District, info: InfoRequest) -> Letter:
    letter = approved_reply(info, Outcome.PARTLY_DISCLOSED, officer=district.officer_a)
    return letters.letter_mark_sent(
        actor=district.officer_a, letter=letter, method="online", delivered_on=TODAY
    )


def _url(letter: Letter, fmt: str = "pdf") -> str:
    return reverse("portal:track_letter", kwargs={"pk": letter.pk, "fmt": fmt})


def _track(client: Client, info: InfoRequest, code: str | None = None) -> str:
    response = client.post("/track/", {"number": info.number, "code": code or info.tracking_code})
    return response.content.decode()


@pytest.mark.django_db
def test_download_needs_the_number_and_code(district: District) -> None:
    info = _application(district)
    letter = approved_reply(info, Outcome.PARTLY_DISCLOSED, officer=district.officer_a)
    client = Client()
    # Approved but not sent: not on the page, not downloadable.
    assert _url(letter) not in _track(client, info)
    assert client.get(_url(letter)).status_code == 404
    letters.letter_mark_sent(
        actor=district.officer_a, letter=letter, method="online", delivered_on=TODAY
    )

    # Without the proof (a fresh browser, or a wrong code): 404, as for a letter that is not there.
    stranger = Client()
    assert stranger.get(_url(letter)).status_code == 404
    assert _url(letter) not in _track(stranger, info, code="WRONG123")
    assert stranger.get(_url(letter)).status_code == 404

    html = _track(client, info)
    assert _url(letter, "pdf") in html and _url(letter, "docx") in html
    pdf = client.get(_url(letter, "pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment")
    assert "no-store" in pdf["Cache-Control"] or "no-cache" in pdf["Cache-Control"]
    docx = client.get(_url(letter, "docx"))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert client.get(_url(letter, "exe")).status_code == 404
    # Each copy the applicant took is in the audit trail, and only those.
    taken = AuditEvent.objects.filter(verb="letter.downloaded_by_applicant")
    assert sorted(e.after["format"] for e in taken) == ["docx", "pdf"]
    assert {e.object_id for e in taken} == {str(letter.pk)}


@pytest.mark.django_db
def test_proof_for_one_application_does_not_open_another(district: District) -> None:
    mine, theirs = _application(district), _application(district, date(2024, 3, 4))
    _sent_reply(district, mine)
    their_letter = _sent_reply(district, theirs)
    client = Client()
    _track(client, mine)
    assert client.get(_url(their_letter)).status_code == 404


@pytest.mark.django_db
def test_progress_page_shows_no_personal_data_with_letters(district: District) -> None:
    info = _application(district)
    _sent_reply(district, info)
    html = _track(Client(), info)
    assert "答复书和告知书" in html
    for personal in (APPLICANT["applicant_name"], APPLICANT["id_number"], APPLICANT["phone"]):
        assert personal not in html
