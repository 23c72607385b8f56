from __future__ import annotations

import hmac
from typing import Any

from django.db.models import F, QuerySet

from gongkai.inforequests.constants import Status
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.constants import Action
from gongkai.orgs.permissions import scope


def inbox(user: Any, *, include_closed: bool = False) -> QuerySet[InfoRequest]:
    """The applications a user may see, the most urgent first (nearest due date)."""
    qs = scope(InfoRequest.objects.select_related("organization", "officer"), user, Action.VIEW)
    if not include_closed:
        qs = qs.exclude(status=Status.CLOSED)
    return qs.order_by(F("due_on").asc(nulls_last=True), "received_on", "id")


def visible_request(user: Any, pk: int) -> InfoRequest | None:
    return scope(InfoRequest.objects.all(), user, Action.VIEW).filter(pk=pk).first()


def find_for_applicant(number: str, tracking_code: str) -> InfoRequest | None:
    """The progress page's lookup: number and code must both match (compared in constant
    time so that the code cannot be guessed by timing)."""
    request = InfoRequest.objects.filter(number=number.strip()).first()
    if request is None:
        return None
    if not hmac.compare_digest(request.tracking_code, tracking_code.strip().upper()):
        return None
    return request
