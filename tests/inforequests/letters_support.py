"""Helpers for tests that need an answered application: closing requires a reply letter that a
legal reviewer approved (gongkai.inforequests.services.request_close)."""

from __future__ import annotations

from datetime import date

from gongkai.inforequests import services
from gongkai.inforequests.letters import services as letters
from gongkai.inforequests.letters.constants import LetterKind
from gongkai.inforequests.letters.models import Letter
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.models import Organization, User
from tests.conftest import make_user


def legal_reviewer(organization: Organization) -> User:
    """The organisation's 法制审核员 (created on first use)."""
    user = User.objects.filter(username=f"legal_{organization.pk}").first()
    return user or make_user(f"legal_{organization.pk}", legal_reviewer=organization)


def approved_reply(
    request: InfoRequest,
    outcome: str,
    *,
    officer: User,
    legal_basis: str = "",
    reasons: str = "依法作出答复。",
    withheld: str = "",
) -> Letter:
    """A reply letter drafted by `officer`, submitted, and approved by a legal reviewer."""
    letter = letters.letter_create(
        actor=officer,
        request=request,
        kind=LetterKind.REPLY,
        outcome=outcome,
        legal_basis=legal_basis,
        reasons=reasons,
        withheld=withheld or "涉及个人隐私的部分",
    )
    letters.letter_submit(actor=officer, letter=letter)
    return letters.letter_approve(actor=legal_reviewer(request.organization), letter=letter)


def close_with_reply(
    *,
    actor: User,
    request: InfoRequest,
    outcome: str,
    legal_basis: str,
    reasons: str,
    on: date,
) -> InfoRequest:
    """`services.request_close` after the approved reply letter it requires."""
    approved_reply(request, outcome, officer=actor, legal_basis=legal_basis, reasons=reasons)
    return services.request_close(
        actor=actor,
        request=request,
        outcome=outcome,
        legal_basis=legal_basis,
        reasons=reasons,
        on=on,
    )
