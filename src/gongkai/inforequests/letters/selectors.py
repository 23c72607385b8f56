"""Reads of letters: what a user may see, the template in force, the printable document."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from gongkai.inforequests.letters import templating
from gongkai.inforequests.letters.constants import FINAL, LetterStatus
from gongkai.inforequests.letters.models import Letter, LetterTemplate
from gongkai.inforequests.letters.render import LetterDocument
from gongkai.orgs.constants import Action
from gongkai.orgs.models import Organization
from gongkai.orgs.permissions import scope


def visible_letters(user: Any) -> QuerySet[Letter]:
    return scope(Letter.objects.all(), user, Action.VIEW)


def visible_letter(user: Any, pk: int) -> Letter | None:
    return visible_letters(user).select_related("request", "organization").filter(pk=pk).first()


def letters_of(request: Any) -> QuerySet[Letter]:
    return Letter.objects.filter(request=request).select_related(
        "created_by", "reviewed_by", "delivery"
    )


def sent_letters(request: Any) -> QuerySet[Letter]:
    """What the applicant may download once the number and code are proven."""
    return Letter.objects.filter(request=request, status=LetterStatus.SENT).order_by("id")


def template_for(organization: Organization, key: str) -> tuple[str, str, bool]:
    """(title, body, overridden): the organisation's own template, else the default."""
    own = LetterTemplate.objects.filter(organization=organization, key=key).first()
    if own is not None:
        return own.title, own.body, True
    title, body = templating.default_template(key)
    return title, body, False


def format_date(d: date) -> str:
    """A letter's date: 2024年3月1日 (GB/T 9704 §7.3.5: Arabic numerals, no leading zero)."""
    return f"{d.year}年{d.month}月{d.day}日"


def letter_document(letter: Letter) -> LetterDocument:
    return LetterDocument(
        title=letter.title,
        number=letter.number,
        addressee=letter.addressee,
        paragraphs=tuple(templating.paragraphs(letter.body)),
        organization=letter.organization.name,
        dated=format_date(letter.issued_on or timezone.localdate()),
        draft=letter.status not in FINAL,
    )
