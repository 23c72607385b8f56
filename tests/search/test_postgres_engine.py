"""The PostgreSQL engine's ways of reading a query (a narrow filter's rows one by one, the
primary key walked down for a broad query, the GIN bitmap) give the same answer as the
substring truth, whichever the planner's estimate selects."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.db import connection

from gongkai.search import api
from gongkai.search.analysis import parse_query
from gongkai.search.api import SearchDocument
from gongkai.search.engines import PostgresEngine
from tests.search.test_search import found, make_doc, truth

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL engine"),
]


@pytest.fixture
def corpus() -> list[SearchDocument]:
    rng = random.Random(21)
    docs = [make_doc(i, rng) for i in range(1, 121)]
    api.index_documents(docs)
    return docs


BROAD = ["工作", "政府信息公开", "低保 通知", "最低生活保"]
NARROW = ["低保户 招生 医保 决算 扶贫", "保障性住房 应急预案 决算 招生", "芭蕾舞团"]


@pytest.mark.parametrize("share", [1.0, 0.05, 0.0])
def test_every_way_of_reading_gives_the_substring_truth(
    corpus: list[SearchDocument], settings: Any, monkeypatch: pytest.MonkeyPatch, share: float
) -> None:
    """share 1.0: every query first walks the newest rows (a narrow one finds too few there
    and falls back to the bitmap); 0.05: windows too long to walk; 0.0: bitmap only."""
    monkeypatch.setattr(PostgresEngine, "_estimate", lambda self, *a: share)
    monkeypatch.setattr(PostgresEngine, "walk_rows", 400)
    settings.SEARCH_BROAD_QUERY_HITS = 10
    for query in BROAD:
        expected = truth(corpus, query)
        newest = sorted(expected, key=lambda k: -int(k.split(":")[1]))
        results = api.search(query, per_page=5)
        assert not results.total_is_exact and results.total == 11
        assert [h.key for h in results.hits] == newest[:5]
        deep = api.search(query, per_page=5, page=len(expected) // 5)
        assert [h.key for h in deep.hits] == newest[(len(expected) // 5 - 1) * 5 :][:5]
    for query in NARROW:
        results = api.search(query, per_page=100)
        assert results.total_is_exact
        assert {h.key for h in results.hits} == truth(corpus, query)


@pytest.mark.parametrize("filter_scan_rows", [3000, 5])
def test_filters_read_row_by_row_or_through_the_index_agree(
    corpus: list[SearchDocument], monkeypatch: pytest.MonkeyPatch, filter_scan_rows: int
) -> None:
    monkeypatch.setattr(PostgresEngine, "filter_scan_rows", filter_scan_rows)
    for query in ["低保", "工作 通知", "最低生活保", "芭蕾舞团"]:
        assert found(query, organization=2, year=2020) == truth(
            corpus, query, organization=2, year=2020
        )
        assert found(query, category="c3") == truth(corpus, query, category="c3")


def test_a_narrow_filter_is_answered_in_one_read(
    corpus: list[SearchDocument], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Count and scores come from the filter's rows together: no capped count first."""

    def no_count(*args: Any) -> int:
        raise AssertionError("counted separately")

    monkeypatch.setattr(PostgresEngine, "count", no_count)
    engine = PostgresEngine()
    phrases = parse_query("低保")
    scored = engine.narrow(phrases, {"organization": [2]}, 3001)
    assert scored is not None
    expected = _entry_ids(truth(corpus, "低保", organization=2))
    assert {rowid >> 10 for rowid, _ in scored} == expected
    assert engine.narrow(phrases, {"organization": [2]}, len(scored)) is None


def test_the_estimate_follows_the_statistics(corpus: list[SearchDocument]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {PostgresEngine.table}")
        engine = PostgresEngine()
        common = engine._estimate(cursor, parse_query("工作"), {})
        rare = engine._estimate(cursor, parse_query("芭蕾舞团"), {})
    assert 0 <= rare < common <= 1.5


def _entry_ids(keys: set[str]) -> set[int]:
    from gongkai.search.models import SearchEntry

    return set(SearchEntry.objects.filter(key__in=keys).values_list("id", flat=True))
