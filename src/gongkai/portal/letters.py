"""The applicant's copy of sent letters, from the progress page.

Downloading needs the same proof as the progress page: after /track/ accepted the number and
tracking code, the application's id is kept in the session (`remember_proof`); a download of
a letter of any other application, or before the proof, is 404. The letter's id alone is
worthless without that session, so the address may be plain.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gongkai.inforequests.letters.constants import LetterStatus
from gongkai.inforequests.letters.models import Letter
from gongkai.inforequests.letters.responses import letter_file
from gongkai.inforequests.letters.selectors import sent_letters
from gongkai.inforequests.letters.services import letter_downloaded_by_applicant
from gongkai.inforequests.models import InfoRequest

SESSION_PROVEN = "portal_tracked_requests"
MAX_PROVEN = 20


def remember_proof(request: HttpRequest, info: InfoRequest) -> None:
    proven = [pk for pk in request.session.get(SESSION_PROVEN, []) if pk != info.pk]
    request.session[SESSION_PROVEN] = [*proven, info.pk][-MAX_PROVEN:]


def proven(request: HttpRequest, info_pk: int) -> bool:
    return info_pk in request.session.get(SESSION_PROVEN, [])


def letters_for_applicant(info: InfoRequest) -> list[dict[str, Any]]:
    """Sent letters: title, 文号, date and the two download links; nothing else."""
    return [
        {
            "title": letter.title,
            "number": letter.number,
            "issued_on": letter.issued_on,
            "pdf": reverse("portal:track_letter", kwargs={"pk": letter.pk, "fmt": "pdf"}),
            "docx": reverse("portal:track_letter", kwargs={"pk": letter.pk, "fmt": "docx"}),
        }
        for letter in sent_letters(info)
    ]


@never_cache
@require_GET
def track_letter(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    letter = (
        Letter.objects.select_related("organization")
        .filter(pk=pk, status=LetterStatus.SENT)
        .first()
    )
    if letter is None or not proven(request, letter.request_id):
        raise Http404
    response = letter_file(letter, fmt)  # 404 for an unknown format
    if response.status_code == 200:
        letter_downloaded_by_applicant(letter=letter, fmt=fmt)
    return response
