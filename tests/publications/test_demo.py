"""The demo catalog: every 第二十条 category, chains, interpretations, gap-free 索引号."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils import timezone

from gongkai.orgs.constants import OrgType
from gongkai.orgs.models import Organization
from gongkai.publications.constants import Genre, Status, StatutoryCategory, Validity
from gongkai.publications.demo import build_demo_publications
from gongkai.publications.models import IndexSequence, Interpretation, Publication
from tests.conftest import make_org


def test_demo_catalog(district: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    make_org("测试区青石镇人民政府", district.gov, org_type=OrgType.TOWN)
    today = timezone.localdate()
    made = build_demo_publications(today, per_org_year=15)
    assert made == Publication.objects.count() > 250
    categories = set(Publication.objects.values_list("statutory_category", flat=True))
    assert set(StatutoryCategory.values) <= categories
    assert Interpretation.objects.exists()
    assert Publication.objects.filter(validity=Validity.AMENDED, amended_by__isnull=False).exists()
    assert Publication.objects.filter(
        validity=Validity.REPEALED, repealed_by__isnull=False
    ).exists()
    assert Publication.objects.filter(status=Status.NOT_PUBLISHED).exists()
    # Every organisation has its 政府信息公开制度, and only rules are marked as such.
    rules = Publication.objects.filter(genre=Genre.DISCLOSURE_RULES)
    assert set(rules.values_list("organization", flat=True)) == set(
        Organization.objects.filter(is_active=True).values_list("pk", flat=True)
    )
    assert all("制度" in title for title in rules.values_list("title", flat=True))
    # drafts waiting for the 教育局 reviewer, one with a mobile number for the PII check
    in_review = Publication.objects.filter(status=Status.IN_REVIEW)
    assert in_review.count() == 2 and in_review.filter(pii_findings__kind="mobile").exists()
    numbers = list(
        Publication.objects.exclude(document_number="").values_list("document_number", flat=True)
    )
    assert len(set(numbers)) == len(numbers)  # one 文号, one document
    numbered = Publication.objects.exclude(index_number=None)
    assert numbered.values("index_number").distinct().count() == numbered.count()
    seqs: dict[tuple[int, int], list[int]] = defaultdict(list)
    for org, year, seq in numbered.values_list("organization_id", "index_year", "index_seq"):
        seqs[(org, year)].append(seq)
    for (org, year), got in seqs.items():
        assert sorted(got) == list(range(1, len(got) + 1))
        assert IndexSequence.objects.get(organization_id=org, year=year).last == len(got)
    for pub in Publication.objects.exclude(body=""):
        assert "<script" not in pub.body
