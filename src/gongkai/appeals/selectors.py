"""Reading 行政复议 and 行政诉讼 records: always through the permission scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gongkai.appeals.models import Litigation, Reconsideration
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.constants import Action
from gongkai.orgs.permissions import scope


def reconsiderations(user: Any) -> QuerySet[Reconsideration]:
    """The 行政复议 cases a user may see, the most recently filed first."""
    return scope(
        Reconsideration.objects.select_related("organization", "info_request"), user, Action.VIEW
    ).order_by("-filed_on", "-id")


def litigations(user: Any) -> QuerySet[Litigation]:
    """The 行政诉讼 cases a user may see, the most recently filed first."""
    return scope(
        Litigation.objects.select_related("organization", "info_request", "reconsideration"),
        user,
        Action.VIEW,
    ).order_by("-filed_on", "-id")


def visible_reconsideration(user: Any, pk: int) -> Reconsideration | None:
    return reconsiderations(user).filter(pk=pk).first()


def visible_litigation(user: Any, pk: int) -> Litigation | None:
    return litigations(user).filter(pk=pk).first()


def for_request(
    user: Any, request: InfoRequest
) -> tuple[QuerySet[Reconsideration], QuerySet[Litigation]]:
    """The cases arising from one application, as far as `user` may see them."""
    return (
        reconsiderations(user).filter(info_request=request),
        litigations(user).filter(info_request=request),
    )
