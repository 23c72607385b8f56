"""Reads of 主动公开 shared by the console, the portal, search, the API and the annual report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Min, Q, QuerySet

from gongkai.core.workdays import load_calendar
from gongkai.orgs.constants import Action
from gongkai.orgs.permissions import scope
from gongkai.publications import rules
from gongkai.publications.constants import Kind, NormativeKind, Status
from gongkai.publications.models import Publication
from gongkai.publications.topics import topic_codes_under

# Keys of table 二's first block (reports.formats.TABLE2_BLOCKS, 2021 format).
TABLE2_ROWS: dict[str, str] = {
    NormativeKind.RULE: "regulations",
    NormativeKind.NORMATIVE: "normative_documents",
}
PENDING_STATUSES = (Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED)


@dataclass(frozen=True)
class Filters:
    organization: int | None = None
    statutory_category: str = ""
    topic: str = ""  # a class also finds its sub-classes
    year: int | None = None  # of the 发布日期
    validity: str = ""
    status: str = ""
    kind: str = ""
    normative_kind: str = ""
    q: str = ""  # title or 文号 contains (the search app does full text)


def apply_filters(qs: QuerySet[Publication], f: Filters) -> QuerySet[Publication]:
    if f.organization:
        qs = qs.filter(organization_id=f.organization)
    if f.statutory_category:
        qs = qs.filter(statutory_category=f.statutory_category)
    if f.topic:
        qs = qs.filter(topic__in=topic_codes_under(f.topic))
    if f.year:
        qs = qs.filter(published_on__year=f.year)
    if f.validity:
        qs = qs.filter(validity=f.validity)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.normative_kind:
        qs = qs.filter(normative_kind=f.normative_kind)
    if f.q:
        key = rules.document_number_key(f.q)
        qs = qs.filter(Q(title__icontains=f.q.strip()) | Q(document_number_key=key))
    return qs


def console_list(user: Any, filters: Filters = Filters()) -> QuerySet[Publication]:
    """What a member of staff may see, newest first."""
    qs = scope(Publication.objects.all(), user, Action.VIEW).select_related("organization")
    return apply_filters(qs, filters).order_by("-updated_at", "-id")


def visible_publication(user: Any, pk: int) -> Publication | None:
    return (
        scope(Publication.objects.all(), user, Action.VIEW)
        .select_related("organization", "amends", "interpretation__document")
        .filter(pk=pk)
        .first()
    )


def public_list(filters: Filters = Filters()) -> QuerySet[Publication]:
    """What the portal shows: published items, newest first."""
    qs = Publication.objects.published().select_related("organization")
    return apply_filters(qs, filters).order_by("-published_on", "-id")


def public_publication(pk: int) -> Publication | None:
    """A published or withdrawn item (the portal shows a withdrawal notice for the latter)."""
    return (
        Publication.objects.filter(status__in=(Status.PUBLISHED, Status.WITHDRAWN), pk=pk)
        .select_related("organization", "amends")
        .first()
    )


def find_by_document_number(text: str) -> QuerySet[Publication]:
    return Publication.objects.published().filter(
        document_number_key=rules.document_number_key(text)
    )


def current_version(pub: Publication) -> Publication:
    """Follow the amendment chain to the version now in force (for the validity banner)."""
    seen = {pub.pk}
    current = pub
    while True:
        nxt = current.amended_by.filter(status=Status.PUBLISHED).order_by("published_on").first()
        if nxt is None or nxt.pk in seen:
            return current
        seen.add(nxt.pk)
        current = nxt


@dataclass(frozen=True)
class ValidityLinks:
    """A document's published neighbours in the validity chain, both ways: what it amends
    and repeals, what amended and repealed it, and the version now in force."""

    amends: Publication | None
    amended_by: list[Publication]
    current: Publication | None  # only when another version is now in force
    repeals: list[Publication]
    repealed_by: list[Publication]


def validity_links(pub: Publication) -> ValidityLinks:
    published = Status.PUBLISHED
    current = current_version(pub)
    return ValidityLinks(
        amends=pub.amends if pub.amends and pub.amends.status == published else None,
        amended_by=list(pub.amended_by.filter(status=published).order_by("published_on", "pk")),
        current=current if current.pk != pub.pk else None,
        repeals=list(pub.repeals.filter(status=published).order_by("published_on", "pk")),
        repealed_by=list(pub.repealed_by.filter(status=published).order_by("published_on", "pk")),
    )


def interpretations_of(pub: Publication, *, published_only: bool = True) -> QuerySet[Publication]:
    qs = Publication.objects.filter(interpretation__document=pub).select_related("interpretation")
    return qs.filter(status=Status.PUBLISHED) if published_only else qs


# --- annual report, table 二 (第二十条第（一）项) ---------------------------------------------
def _table2_columns(year: int) -> dict[str, Q]:
    """The conditions of table 二's three columns for `year`, one per aggregate."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    issued_day = Q(written_on__range=(start, end)) | Q(
        written_on__isnull=True, published_on__range=(start, end)
    )
    in_force = Q(
        Q(effective_on__isnull=True) | Q(effective_on__lte=end),
        Q(ceased_on__isnull=True) | Q(ceased_on__gt=end),
        Q(expires_on__isnull=True) | Q(expires_on__gte=end),
        published_on__lte=end,
    )
    return {
        "issued": issued_day,
        "repealed": Q(validity="repealed", ceased_on__range=(start, end)),
        "in_force": in_force,
    }


def table2_counts(org_ids: Iterable[int], year: int) -> dict[int, dict[str, dict[str, int]]]:
    """规章 and 行政规范性文件 per organisation: 本年制发 (成文日期 in the year, else 发布日期),
    本年废止 (repealed during the year), 现行有效 (in force on 31 December). One query.

    Returns {org_id: {"regulations": {"issued", "repealed", "in_force"},
    "normative_documents": {...}}} with every requested organisation present."""
    ids = list(org_ids)
    column = _table2_columns(year)
    rows = (
        Publication.objects.published()
        .documents()
        .normative()
        .filter(organization_id__in=ids)
        .values("organization_id", "normative_kind")
        .annotate(
            issued=Count("pk", filter=column["issued"]),
            repealed=Count("pk", filter=column["repealed"]),
            in_force=Count("pk", filter=column["in_force"]),
        )
    )
    out = {
        org: {row: {"issued": 0, "repealed": 0, "in_force": 0} for row in TABLE2_ROWS.values()}
        for org in ids
    }
    for r in rows:
        out[r["organization_id"]][TABLE2_ROWS[r["normative_kind"]]] = {
            "issued": r["issued"],
            "repealed": r["repealed"],
            "in_force": r["in_force"],
        }
    return out


def table2_counts_all(year: int) -> dict[int, dict[str, dict[str, int]]]:
    """`table2_counts` for every organisation that has published anything, in one pass over
    the published items (for building every organisation's report at once). Organisations
    that never published anything are absent: their officers enter table 二 by hand
    (reports.sources)."""
    normative = Q(kind=Kind.DOCUMENT) & ~Q(normative_kind=NormativeKind.NONE)
    column = _table2_columns(year)
    rows = (
        Publication.objects.published()
        .values_list("organization_id", "normative_kind")
        .annotate(
            issued=Count("pk", filter=normative & column["issued"]),
            repealed=Count("pk", filter=normative & column["repealed"]),
            in_force=Count("pk", filter=normative & column["in_force"]),
        )
        .order_by()
    )
    out: dict[int, dict[str, dict[str, int]]] = {}
    for org, normative_kind, issued, repealed, in_force in rows:
        per_org = out.setdefault(
            org,
            {row: {"issued": 0, "repealed": 0, "in_force": 0} for row in TABLE2_ROWS.values()},
        )
        if normative_kind in TABLE2_ROWS:
            cells = per_org[TABLE2_ROWS[normative_kind]]
            cells["issued"] += issued
            cells["repealed"] += repealed
            cells["in_force"] += in_force
    return out


# --- timeliness (第二十六条) ----------------------------------------------------------------
@dataclass(frozen=True)
class OrgTimeliness:
    organization_id: int
    published: int  # published in the year with a formation date
    on_time: int
    late: int
    pending_overdue: int  # not yet published and already past the limit

    @property
    def rate(self) -> float | None:
        return self.on_time / self.published if self.published else None


def timeliness_by_org(org_ids: Iterable[int], year: int, today: date) -> list[OrgTimeliness]:
    """条例第二十六条 per organisation, from the cached deadline (publish_due_on)."""
    ids = list(org_ids)
    published = (
        Publication.objects.filter(
            organization_id__in=ids,
            status__in=(Status.PUBLISHED, Status.WITHDRAWN),
            published_on__year=year,
            publish_due_on__isnull=False,
        )
        .values("organization_id")
        .annotate(
            n=Count("pk"), on_time=Count("pk", filter=Q(published_on__lte=F("publish_due_on")))
        )
    )
    pending = (
        Publication.objects.filter(
            organization_id__in=ids, status__in=PENDING_STATUSES, publish_due_on__lt=today
        )
        .values("organization_id")
        .annotate(n=Count("pk"))
    )
    by_org: dict[int, tuple[int, int]] = {
        r["organization_id"]: (r["n"], r["on_time"]) for r in published
    }
    overdue: dict[int, int] = {r["organization_id"]: r["n"] for r in pending}
    return [
        OrgTimeliness(
            organization_id=org,
            published=by_org.get(org, (0, 0))[0],
            on_time=by_org.get(org, (0, 0))[1],
            late=by_org.get(org, (0, 0))[0] - by_org.get(org, (0, 0))[1],
            pending_overdue=overdue.get(org, 0),
        )
        for org in ids
    ]


def item_timeliness(pub: Publication, today: date) -> rules.Timeliness | None:
    if pub.formed_on is None or pub.status in (Status.NOT_PUBLISHED,):
        return None
    years = range(pub.formed_on.year, max(today.year, pub.formed_on.year) + 2)
    return rules.timeliness(pub.formed_on, pub.published_on, today, load_calendar(years))


# --- 三同步 ------------------------------------------------------------------------------
def missing_interpretations(
    qs: QuerySet[Publication], today: date, grace_workdays: int | None = None
) -> list[Publication]:
    """Published normative documents without an interpretation published in time (三同步)."""
    grace = settings.INTERPRETATION_WORKDAYS if grace_workdays is None else grace_workdays
    docs = list(
        qs.filter(status=Status.PUBLISHED, kind=Kind.DOCUMENT)
        .exclude(normative_kind=NormativeKind.NONE)
        .annotate(
            first_interpretation=Min(
                "interpretations__publication__published_on",
                filter=Q(interpretations__publication__status=Status.PUBLISHED),
            )
        )
    )
    if not docs:
        return []
    years = {d.published_on.year for d in docs if d.published_on} | {today.year}
    cal = load_calendar(range(min(years), max(years) + 2))
    return [
        d
        for d in docs
        if d.published_on
        and rules.interpretation_missing(
            d.published_on,
            d.first_interpretation,
            today,
            grace,
            cal,
        )
    ]


# --- 第十八条 re-assessment and 依申请转主动 -------------------------------------------------
def reassessment_queue(user: Any, today: date) -> QuerySet[Publication]:
    """依申请公开 / 不予公开 items due for periodic re-assessment, for the user's reviewers."""
    qs = scope(Publication.objects.all(), user, Action.REVIEW).select_related("organization")
    return qs.filter(status=Status.NOT_PUBLISHED, reassess_on__lte=today).order_by("reassess_on")


def conversions_count(org_ids: Iterable[int], year: int) -> dict[int, int]:
    """依申请转主动 conversions on 第十八条 re-assessment per organisation in `year`. An item
    named on a 第四十四条 decision (inforequests' SuggestionPublication) is counted there, in
    the decision's year, and left out here, so no conversion is counted twice. A decision of a
    later year cannot take it out: that year's figure is closed (such links are refused; this
    keeps older ones from changing a published report)."""
    rows = (
        Publication.objects.filter(
            organization_id__in=list(org_ids), converted_to_proactive_on__year=year
        )
        .exclude(suggestion_link__decision__decided_at__year__lte=year)
        .values("organization_id")
        .annotate(n=Count("pk"))
    )
    return {r["organization_id"]: r["n"] for r in rows}


def review_inbox(user: Any) -> QuerySet[Publication]:
    """Items waiting for the user's review or publishing."""
    qs = scope(Publication.objects.all(), user, Action.REVIEW).select_related("organization")
    return qs.filter(status__in=(Status.IN_REVIEW, Status.SCHEDULED)).order_by("submitted_at")


def interpretation_candidates(user: Any) -> QuerySet[Publication]:
    """Documents a user may attach an interpretation to."""
    return scope(Publication.objects.filter(kind=Kind.DOCUMENT), user, Action.VIEW).exclude(
        status__in=(Status.WITHDRAWN, Status.NOT_PUBLISHED)
    )
