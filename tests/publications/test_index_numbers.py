"""索引号: allocated at publication, per organisation and year, unique and gap-free, also when
several officers publish at the same moment (RULES.md §5.2)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from gongkai.publications import services
from gongkai.publications.models import IndexSequence, Publication
from tests.publications.conftest import make_draft, publish


def _reviewed(district: Any, n: int) -> list[Publication]:
    pubs = []
    for i in range(n):
        pub = make_draft(district, title=f"并发发布测试{i}")
        services.publication_submit(actor=district.officer_a, publication=pub)
        services.publication_review(
            actor=district.reviewer_a,
            publication=pub,
            secrecy_ok=True,
            disclosure_attribute="proactive",
        )
        pubs.append(pub)
    return pubs


def test_numbers_follow_the_pattern_per_organisation(district: Any, settings: Any) -> None:
    settings.INDEX_NUMBER_PATTERN = "{division_code}-{org_id}/{yyyy}-{seq:04d}"
    first = publish(district, make_draft(district))
    second = publish(district, make_draft(district))
    year = timezone.localdate().year
    assert first.index_number == f"-{district.dept_a.pk}/{year}-0001"
    assert second.index_number == f"-{district.dept_a.pk}/{year}-0002"
    other = services.publication_create(
        actor=district.officer_b, organization=district.dept_b, data={"title": "x"}
    )
    assert other.index_number is None  # drafts use no number


def test_a_draft_that_is_never_published_leaves_no_gap(district: Any) -> None:
    make_draft(district)
    pub = publish(district, make_draft(district))
    assert pub.index_seq == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite serialises"
)
def test_concurrent_publishing_gives_gap_free_unique_numbers(district: Any) -> None:
    n = 8
    pubs = _reviewed(district, n)
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def worker(pub: Publication) -> None:
        try:
            barrier.wait()
            services.publication_publish(actor=district.reviewer_a, publication=pub)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(p,)) for p in pubs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    seqs = sorted(
        Publication.objects.filter(pk__in=[p.pk for p in pubs]).values_list("index_seq", flat=True)
    )
    assert seqs == list(range(1, n + 1))
    numbers = Publication.objects.exclude(index_number=None).values_list("index_number", flat=True)
    assert len(set(numbers)) == n
    assert IndexSequence.objects.get(organization=district.dept_a).last == n
