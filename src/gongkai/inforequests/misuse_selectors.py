"""Reading misuse flags and 第四十四条 suggestions from the applications (the rules are in
`misuse`; who counts as the same applicant is decided in `applicants`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from gongkai.inforequests import misuse
from gongkai.inforequests.applicants import (
    IDENTITY_FIELDS,
    applicant_key,
    same_applicant,
)
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.models_ledger import (
    DisclosureSuggestionDecision,
    MisuseDecision,
    SuggestionPublication,
    SuggestionVerdict,
)
from gongkai.orgs.constants import Action
from gongkai.orgs.models import Organization
from gongkai.orgs.permissions import orgs_for, scope
from gongkai.publications.constants import DisclosureAttribute, Status
from gongkai.publications.models import Publication

WINDOW_DAYS = 30  # the period of 第三十五条's "频次": applications in the last 30 days
NORM_PERIOD_DAYS = 365  # the organisation's norm is taken over the past year
MONTHS_SHOWN = 6  # evidence: the applicant's applications per month, last six months
SUGGESTION_PERIOD_DAYS = 365


def facts(info: InfoRequest) -> misuse.RequestFacts:
    return misuse.RequestFacts(
        pk=info.pk,
        number=info.number,
        received_on=info.received_on,
        subject=info.subject,
        document_number=info.document_number,
        outcome=info.outcome,
        closed_on=info.closed_on,
        applicant=applicant_key(info),
    )


def repeated_evidence(info: InfoRequest) -> list[InfoRequest]:
    """The applicant's earlier answered applications to this organisation for the same
    information (第三十六条第（六）项), earliest first."""
    earlier = same_applicant(
        InfoRequest.objects.filter(
            organization=info.organization_id, closed_on__lte=info.received_on
        ).exclude(pk=info.pk),
        info,
    ).order_by("received_on", "id")
    by_pk = {e.pk: e for e in earlier}
    hits = misuse.repeated_request_evidence(facts(info), [facts(e) for e in by_pk.values()])
    return [by_pk[h.pk] for h in hits]


def volume_evidence(info: InfoRequest) -> misuse.VolumeEvidence:
    """The applicant's applications to this organisation in the 30 days up to this one, the
    organisation's norm over the past year, and the applicant's months (第三十五条)."""
    org_qs = InfoRequest.objects.filter(organization=info.organization_id)
    start = misuse.window_start(info.received_on, WINDOW_DAYS)
    mine = same_applicant(org_qs, info)
    count = mine.filter(received_on__gte=start, received_on__lte=info.received_on).count()
    period_start = info.received_on - timedelta(days=NORM_PERIOD_DAYS - 1)
    per_applicant = [
        row["n"]
        for row in org_qs.filter(received_on__gte=period_start, received_on__lte=info.received_on)
        .values(*IDENTITY_FIELDS)
        .annotate(n=Count("id"))
        .order_by()
    ]
    months = Counter(
        d.strftime("%Y-%m")
        for d in mine.filter(received_on__gte=_months_back(info.received_on)).values_list(
            "received_on", flat=True
        )
    )
    return misuse.VolumeEvidence(
        window_days=WINDOW_DAYS,
        applicant_count=count,
        norm=misuse.volume_norm(per_applicant, NORM_PERIOD_DAYS, WINDOW_DAYS),
        min_count=settings.MISUSE_VOLUME_MIN_COUNT,
        factor=settings.MISUSE_VOLUME_FACTOR,
        monthly=tuple((m, months.get(m, 0)) for m in _month_labels(info.received_on, MONTHS_SHOWN)),
    )


def _months_back(day: date) -> date:
    year, month = day.year, day.month - (MONTHS_SHOWN - 1)
    while month <= 0:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def _month_labels(day: date, n: int) -> list[str]:
    first = _months_back(day)
    labels = []
    year, month = first.year, first.month
    for _ in range(n):
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return labels


@dataclass(frozen=True)
class MisuseFlags:
    """What the detail page shows: each flag with its evidence and the latest decision."""

    repeated: list[InfoRequest]
    volume: misuse.VolumeEvidence
    decisions: dict[str, MisuseDecision]
    history: list[MisuseDecision]

    @property
    def any(self) -> bool:
        return bool(self.repeated) or self.volume.excessive


def misuse_flags(info: InfoRequest) -> MisuseFlags:
    history = list(info.misuse_decisions.select_related("actor"))
    latest: dict[str, MisuseDecision] = {}
    for decision in history:  # newest first
        latest.setdefault(decision.kind, decision)
    return MisuseFlags(
        repeated=repeated_evidence(info),
        volume=volume_evidence(info),
        decisions=latest,
        history=history,
    )


@dataclass(frozen=True)
class Suggestion:
    organization: Organization
    group: misuse.SameInformation
    requests: list[InfoRequest]
    decision: DisclosureSuggestionDecision | None


def suggestions(user: Any, today: date, *, include_decided: bool = False) -> list[Suggestion]:
    """条例第四十四条: per organisation the user may work for, the information that several
    different applicants were given in the past year; undecided groups unless asked."""
    since = today - timedelta(days=SUGGESTION_PERIOD_DAYS - 1)
    result: list[Suggestion] = []
    for org in orgs_for(user, Action.WORK).order_by("path"):
        rows = list(
            InfoRequest.objects.filter(
                organization=org, outcome__in=misuse.DISCLOSED, received_on__gte=since
            ).order_by("received_on", "id")
        )
        by_pk = {r.pk: r for r in rows}
        groups = misuse.same_information_groups(
            [facts(r) for r in rows], min_applicants=settings.SUGGESTION_MIN_APPLICANTS
        )
        decided = _decisions(org, groups, since)
        for g in groups:
            decision = _decision_of(g, decided)
            if decision is not None and not include_decided:
                continue
            result.append(Suggestion(org, g, [by_pk[f.pk] for f in g.requests], decision))
    return result


def _decisions(
    org: Organization, groups: list[misuse.SameInformation], since: date
) -> dict[str, DisclosureSuggestionDecision]:
    """The organisation's decisions that may cover `groups`, by their key and by each
    application number they were taken on. A decision covering an application received on or
    after `since` was taken on or after that day, so older ones need only match a key."""
    rows = (
        DisclosureSuggestionDecision.objects.filter(organization=org)
        .filter(Q(key__in=[g.key for g in groups]) | Q(decided_at__date__gte=since))
        .select_related("actor")
        .prefetch_related("links__publication")
        .order_by("decided_at", "id")
    )
    found: dict[str, DisclosureSuggestionDecision] = {}
    for d in rows:
        found.setdefault(f"key:{d.key}", d)
        for number in d.request_numbers:
            found.setdefault(f"number:{number}", d)
    return found


def _decision_of(
    group: misuse.SameInformation, decided: dict[str, DisclosureSuggestionDecision]
) -> DisclosureSuggestionDecision | None:
    """A group is decided when its key or any of its applications was decided on: once the
    earliest application leaves the one-year window the group is keyed by the next one, and
    must not come back as a new suggestion to be decided (and counted) again."""
    for k in [f"key:{group.key}"] + [f"number:{r.number}" for r in group.requests]:
        if k in decided:
            return decided[k]
    return None


def group_decision(
    org: Organization, group: misuse.SameInformation, today: date
) -> DisclosureSuggestionDecision | None:
    since = today - timedelta(days=SUGGESTION_PERIOD_DAYS - 1)
    return _decision_of(group, _decisions(org, [group], since))


def links_to_check(user: Any) -> QuerySet[SuggestionPublication]:
    """Links of 第四十四条 decisions whose publication is no longer 主动公开 (re-assessed as
    不予公开/依申请公开) or was withdrawn: the decision still counts as a conversion, so someone
    must check whether the information is really public and undo the link if not."""
    return (
        scope(SuggestionPublication.objects.all(), user, Action.WORK, "decision__organization")
        .filter(
            ~Q(publication__disclosure_attribute=DisclosureAttribute.PROACTIVE)
            | Q(publication__status__in=(Status.WITHDRAWN, Status.NOT_PUBLISHED))
        )
        .select_related("decision__organization", "publication")
        .order_by("linked_at", "id")
    )


def converted_without_publication(user: Any) -> QuerySet[DisclosureSuggestionDecision]:
    """Suggestions decided as converted (第四十四条) that name no publication yet, for the
    organisations the user works for: nobody can check yet that the information went out."""
    return (
        scope(DisclosureSuggestionDecision.objects.all(), user, Action.WORK)
        .filter(verdict=SuggestionVerdict.CONVERTED, links__isnull=True)
        .select_related("organization", "actor")
        .prefetch_related("links__publication")
        .order_by("decided_at", "id")
    )


def unpublished_link_candidates(user: Any, organization: Organization) -> QuerySet[Publication]:
    """主动公开 items of `organization` not yet published (a new draft, an item converted on
    第十八条 re-assessment waiting for publishing) that the user may see and that no suggestion
    names yet. Published items are named by their 索引号 instead: there are too many to list."""
    return (
        scope(Publication.objects.filter(organization=organization), user, Action.VIEW)
        .filter(
            disclosure_attribute=DisclosureAttribute.PROACTIVE,
            status__in=(Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED),
            suggestion_link__isnull=True,
        )
        .order_by("-updated_at", "-id")
    )


def converted_suggestions_count(org_ids: Iterable[int], year: int) -> dict[int, int]:
    """第四十四条 suggestions decided as converted to proactive disclosure, per organisation,
    in `year`: one per decision, however many publications it names. The publications it
    names are not counted again as 第十八条 conversions (publications.selectors)."""
    rows = (
        DisclosureSuggestionDecision.objects.filter(
            organization_id__in=list(org_ids),
            verdict=SuggestionVerdict.CONVERTED,
            decided_at__year=year,
        )
        .values("organization_id")
        .annotate(n=Count("pk"))
    )
    return {r["organization_id"]: r["n"] for r in rows}


def suggestion_group(org: Organization, key: str, today: date) -> misuse.SameInformation | None:
    since = today - timedelta(days=SUGGESTION_PERIOD_DAYS - 1)
    rows = InfoRequest.objects.filter(
        organization=org, outcome__in=misuse.DISCLOSED, received_on__gte=since
    )
    groups = misuse.same_information_groups(
        [facts(r) for r in rows], min_applicants=settings.SUGGESTION_MIN_APPLICANTS
    )
    return next((g for g in groups if g.key == key), None)
