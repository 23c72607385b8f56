"""The letters section of an application's page, as one inclusion tag (so the application page
only includes a partial)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from gongkai.console.forms_letters import LetterCreateForm
from gongkai.inforequests.constants import Status
from gongkai.inforequests.letters.selectors import letters_of
from gongkai.orgs.constants import Action
from gongkai.orgs.permissions import can

register = template.Library()


@register.inclusion_tag("console/letters/_list.html", takes_context=True)
def letter_section(context: Any) -> dict[str, Any]:
    request, info = context["request"], context["info"]
    can_work = can(request.user, Action.WORK, info.organization)
    can_draft = can_work and info.status != Status.CLOSED
    initial: dict[str, Any] = {"kind": "reply"}
    clock = context.get("clock")
    if info.outcome:
        initial["outcome"] = info.outcome
    elif clock is not None and clock.suggested_outcome is not None:
        initial["outcome"] = clock.suggested_outcome.value
    return {
        "info": info,
        "letters": list(letters_of(info)),
        "can_draft": can_draft,
        "create_form": LetterCreateForm(initial=initial) if can_draft else None,
        "today": timezone.localdate(),
        "csrf_token": context.get("csrf_token"),
    }
