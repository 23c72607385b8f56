"""Who "the same applicant" is: the one place that matches applicants for equality.

Misuse flags (重复申请, 第三十六条第（六）项; 大量、频繁申请, 第三十五条) and the 按件计收 fee count
need to know which applications come from one person or organisation. They all go through
this module, so that storing ID numbers differently (e.g. encrypted with a digest column for
lookups) changes only these functions.

The identity is the ID document type and number (第二十九条第（一）项: 身份证明), never the
name: two people share a name far more often than a document.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from gongkai.inforequests.models import InfoRequest

# The stored fields that identify an applicant; group by these to count per applicant.
IDENTITY_FIELDS = ("id_document", "id_number")

ApplicantKey = tuple[str, str]


def applicant_key(info: InfoRequest) -> ApplicantKey:
    """A hashable identity of the applicant of one application."""
    return (info.id_document, info.id_number)


def key_of_values(row: dict[str, Any]) -> ApplicantKey:
    """The identity from a `.values(*IDENTITY_FIELDS)` row."""
    return (row["id_document"], row["id_number"])


def same_applicant_q(info: InfoRequest) -> Q:
    """A filter for the applications from the applicant of `info` (including `info`)."""
    return Q(id_document=info.id_document, id_number=info.id_number)


def same_applicant(qs: QuerySet[InfoRequest], info: InfoRequest) -> QuerySet[InfoRequest]:
    return qs.filter(same_applicant_q(info))
