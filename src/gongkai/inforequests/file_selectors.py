from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gongkai.inforequests.models import Attachment, InfoRequest, Redaction
from gongkai.inforequests.release_rules import applicant_may_download
from gongkai.orgs.constants import Action
from gongkai.orgs.permissions import scope


def visible_attachment(user: Any, pk: int) -> Attachment | None:
    qs = scope(
        Attachment.objects.select_related("request", "request__organization"),
        user,
        Action.VIEW,
        field="request__organization",
    )
    return qs.filter(pk=pk).first()


def attachments_of(request: InfoRequest) -> QuerySet[Attachment]:
    return request.attachments.select_related("uploaded_by", "redacted_from").order_by(
        "kind", "created_at", "id"
    )


def redaction_log(request: InfoRequest) -> QuerySet[Redaction]:
    """Which box covers what, on which ground, marked by whom: for the officer and the legal
    reviewer."""
    return Redaction.objects.filter(attachment__request=request).select_related(
        "attachment", "created_by"
    )


def applicant_files(request: InfoRequest) -> list[Attachment]:
    """The files the applicant may download from the progress page."""
    return [
        a
        for a in request.attachments.filter(released=True, superseded=False).order_by("id")
        if applicant_may_download(
            kind=a.kind,
            released=a.released,
            closed=request.status == "closed",
            outcome=request.outcome,
        )
    ]
