"""A letter as an HTTP download, for the console and for the applicant's progress page."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from gongkai.inforequests.letters.models import Letter
from gongkai.inforequests.letters.render import RENDERERS
from gongkai.inforequests.letters.selectors import letter_document
from gongkai.reports.render import RenderUnavailable


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    response["Cache-Control"] = "no-store"
    return response


def letter_file(letter: Letter, fmt: str) -> HttpResponse:
    if fmt not in RENDERERS:
        raise Http404
    renderer, content_type = RENDERERS[fmt]
    try:
        content = renderer(letter_document(letter))
    except RenderUnavailable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    return attachment(content, content_type, f"letter-{letter.pk}.{fmt}")
