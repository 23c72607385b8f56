"""Misuse and reuse of the application procedure, as pure rules (no database).

- 重复申请 (条例第三十六条第（六）项): the agency has already replied to the applicant's
  application and the applicant asks again for the same information.
- 大量、频繁申请 (条例第三十五条): the number or frequency of one applicant's applications
  clearly exceeds a reasonable range.
- 转为主动公开 (条例第四十四条): several different applicants ask for the same information that
  can be disclosed.

These rules only *flag*. The officer reads the evidence and decides (第三十五条 lets the agency ask
the applicant for reasons first); the decision is recorded with its reason and audited.

"The same information" is decided on the request text: the same 文号 (normalised), or names
whose character-bigram similarity reaches `SUBJECT_SIMILARITY`. Bigrams suit Chinese titles
(no word segmentation needed) and tolerate a changed particle or an added year word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from gongkai.core.text import normalize
from gongkai.inforequests.constants import Outcome

# Two names of requested information are "the same" from this Jaccard similarity of their
# character bigrams on (0.8: e.g. "2023年老旧小区改造项目清单" vs "2023年老旧小区改造的项目清单").
SUBJECT_SIMILARITY = 0.8

# Applications closed without a reply on the substance (the agency stopped processing them)
# do not make a later identical application a repeat: the applicant never got an answer.
NOT_ANSWERED = frozenset({Outcome.OTHER_NO_CORRECTION, Outcome.OTHER_FEE_UNPAID, Outcome.OTHER})

# 第四十四条 covers information that can be disclosed: the replies that gave it out.
DISCLOSED = frozenset({Outcome.DISCLOSED, Outcome.PARTLY_DISCLOSED})

# Characters that carry no meaning in a title: punctuation, quotes, brackets, spaces.
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
# 文号 brackets come as 〔〕, [], 【】, （）, ［］: one form.
_DOCNO_BRACKETS = str.maketrans({"〔": "[", "〕": "]", "【": "[", "】": "]", "(": "[", ")": "]"})


def subject_key(subject: str) -> str:
    """The name of the requested information without spelling noise: NFKC, 繁→简, no
    punctuation or spaces, lower case."""
    return _NOISE.sub("", normalize(subject)).lower()


def document_number_key(document_number: str) -> str:
    """A 文号 in one spelling: full-width → half-width, one kind of bracket, no spaces."""
    text = normalize(document_number).translate(_DOCNO_BRACKETS)
    return re.sub(r"\s+", "", text).upper()


def _bigrams(key: str) -> frozenset[str]:
    if len(key) < 2:
        return frozenset({key}) if key else frozenset()
    return frozenset(key[i : i + 2] for i in range(len(key) - 1))


def subject_similarity(a: str, b: str) -> float:
    """Jaccard similarity of the character bigrams of two subject keys (0…1)."""
    ba, bb = _bigrams(a), _bigrams(b)
    if not ba or not bb:
        return 0.0
    return len(ba & bb) / len(ba | bb)


@dataclass(frozen=True)
class RequestFacts:
    """What the rules need of one application."""

    pk: int
    number: str
    received_on: date
    subject: str
    document_number: str = ""
    outcome: str = ""
    closed_on: date | None = None
    applicant: tuple[str, str] = ("", "")

    @property
    def subject_key(self) -> str:
        return subject_key(self.subject)

    @property
    def document_key(self) -> str:
        return document_number_key(self.document_number)


def same_information(
    a: RequestFacts, b: RequestFacts, threshold: float = SUBJECT_SIMILARITY
) -> bool:
    """Whether two applications ask for the same information: the same 文号 when both give
    one, otherwise similar names."""
    if a.document_key and b.document_key:
        return a.document_key == b.document_key
    return subject_similarity(a.subject_key, b.subject_key) >= threshold


def repeated_request_evidence(
    current: RequestFacts, earlier_same_applicant: Iterable[RequestFacts]
) -> list[RequestFacts]:
    """条例第三十六条第（六）项: the applicant's earlier applications to the same agency that
    were already answered (closed with a reply on the substance, on or before the current
    application's receipt) and asked for the same information. Empty: no repeat."""
    return [
        e
        for e in earlier_same_applicant
        if e.pk != current.pk
        and e.closed_on is not None
        and e.closed_on <= current.received_on
        and e.outcome
        and e.outcome not in NOT_ANSWERED
        and same_information(current, e)
    ]


@dataclass(frozen=True)
class VolumeEvidence:
    """条例第三十五条: one applicant's applications in the window before an application,
    against the organisation's norm for the same length of time."""

    window_days: int
    applicant_count: int
    norm: float  # mean applications per applicant (who applied at all) per window
    min_count: int
    factor: float
    monthly: tuple[tuple[str, int], ...] = field(default=())  # (YYYY-MM, the applicant's count)

    @property
    def ratio(self) -> float:
        return self.applicant_count / self.norm if self.norm else float(self.applicant_count)

    @property
    def excessive(self) -> bool:
        return excessive_volume(self.applicant_count, self.norm, self.min_count, self.factor)


def excessive_volume(count: int, norm: float, min_count: int, factor: float) -> bool:
    """条例第三十五条 ("数量、频次明显超过合理范围"), as a flag for the officer: at least
    `min_count` applications in the window AND at least `factor` times the organisation's norm.
    The floor keeps a small office (norm near 1) from flagging an applicant with three
    applications; the factor keeps a busy office's regular users from being flagged."""
    return count >= min_count and count >= factor * norm


def volume_norm(per_applicant_counts: Sequence[int], period_days: int, window_days: int) -> float:
    """The organisation's norm: mean applications per applicant who applied in the reference
    period, scaled to the window (a 365-day period and a 30-day window: × 30/365)."""
    if not per_applicant_counts or period_days <= 0:
        return 0.0
    mean = sum(per_applicant_counts) / len(per_applicant_counts)
    return mean * window_days / period_days


def window_start(received_on: date, window_days: int) -> date:
    """The first day of the window of `window_days` days ending on `received_on`."""
    return received_on - timedelta(days=window_days - 1)


@dataclass(frozen=True)
class SameInformation:
    """条例第四十四条: applications from different applicants for the same information."""

    key: str  # stable: the key of the earliest application
    title: str
    requests: tuple[RequestFacts, ...]

    @property
    def applicant_count(self) -> int:
        return len({r.applicant for r in self.requests})


def cluster_key(facts: RequestFacts) -> str:
    return f"docno:{facts.document_key}" if facts.document_key else f"subject:{facts.subject_key}"


def same_information_groups(
    requests: Iterable[RequestFacts],
    *,
    min_applicants: int,
    threshold: float = SUBJECT_SIMILARITY,
) -> list[SameInformation]:
    """Group disclosed applications that ask for the same information and keep the groups
    with at least `min_applicants` different applicants (条例第四十四条: "多个申请人").

    Exact keys (文号, else the subject key) group first; groups are then merged when their first
    applications are similar. Each group is keyed by its earliest application, so a later
    application joining it does not change the key a decision was recorded under.
    """
    ordered = sorted(requests, key=lambda r: (r.received_on, r.pk))
    groups: list[list[RequestFacts]] = []
    by_key: dict[str, list[RequestFacts]] = {}
    for facts in ordered:
        if facts.outcome not in DISCLOSED:
            continue
        exact = by_key.get(cluster_key(facts))
        if exact is None:
            exact = next((g for g in groups if same_information(g[0], facts, threshold)), None)
        if exact is None:
            exact = []
            groups.append(exact)
        exact.append(facts)
        by_key.setdefault(cluster_key(facts), exact)
    result = [
        SameInformation(key=cluster_key(g[0]), title=g[0].subject, requests=tuple(g))
        for g in groups
    ]
    return [g for g in result if g.applicant_count >= min_applicants]
