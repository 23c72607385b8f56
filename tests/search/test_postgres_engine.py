"""The PostgreSQL engine's ways of reading a query (a narrow filter's rows one by one, the
primary key walked down, partition windows for a broad query, the GIN bitmap) give the same
answer as the substring truth."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction

from gongkai.search import api
from gongkai.search.analysis import parse_query
from gongkai.search.api import SearchDocument
from gongkai.search.models import PART_SHIFT, SearchEntry
from gongkai.search.postgres_engine import PARTITION_SPAN, TABLE, PostgresEngine, ensure_partitions
from tests.search.test_search import found, make_corpus, truth

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL engine"),
]


@pytest.fixture
def corpus() -> list[SearchDocument]:
    docs = make_corpus(21)
    api.index_documents(docs)
    return docs


BROAD = ["工作", "政府信息公开", "低保 通知", "最低生活保"]
NARROW = ["低保户 招生 医保 决算 扶贫", "保障性住房 应急预案 决算 招生", "芭蕾舞团"]


@pytest.mark.parametrize("walk_rows", [2000, 3, 0])
def test_partitions_and_walks_give_the_substring_truth(
    settings: Any, monkeypatch: pytest.MonkeyPatch, walk_rows: int
) -> None:
    """Four documents a partition: a broad query is counted and listed window by window from
    the newest partition down (after the walk down the key, when that found too few)."""
    monkeypatch.setattr(PostgresEngine, "partition_span", 4 << PART_SHIFT)
    monkeypatch.setattr(PostgresEngine, "walk_rows", walk_rows)
    corpus = make_corpus(21)
    api.rebuild(corpus)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = %s::regclass", [TABLE])
        assert cursor.fetchone()[0] == 31  # entries 1 to 120
    settings.SEARCH_BROAD_QUERY_HITS = 10
    for query in BROAD:
        expected = truth(corpus, query)
        newest = sorted(expected, key=lambda k: -int(k.split(":")[1]))
        results = api.search(query, per_page=5)
        assert not results.total_is_exact and results.total == 11
        assert [h.key for h in results.hits] == newest[:5]
        deep = api.search(query, per_page=5, page=len(expected) // 5)
        assert [h.key for h in deep.hits] == newest[(len(expected) // 5 - 1) * 5 :][:5]
        assert found(query, category="c3") == truth(corpus, query, category="c3")
    for query in NARROW:
        results = api.search(query, per_page=100)
        assert results.total_is_exact
        assert {h.key for h in results.hits} == truth(corpus, query)
    # newest() on its own (search() first counts, and may then skip the walk)
    entry_id = dict(SearchEntry.objects.values_list("key", "id"))
    for query in BROAD:
        newest = sorted(truth(corpus, query), key=lambda k: -int(k.split(":")[1]))
        rows = PostgresEngine().newest(parse_query(query), {}, 20)
        entries = list(dict.fromkeys(rowid >> PART_SHIFT for rowid in rows))
        assert entries[:5] == [entry_id[k] for k in newest[:5]]


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


@pytest.mark.django_db(transaction=True)
def test_two_writers_needing_a_new_partition_take_turns() -> None:
    """The second waits for the first to commit its partition, then finds it there."""
    top = 7 * PARTITION_SPAN + 5
    entered = threading.Event()
    errors: list[BaseException] = []

    def second() -> None:
        try:
            entered.wait(5)
            with transaction.atomic(), connection.cursor() as cursor:
                ensure_partitions(cursor, [top])
                cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"{TABLE}_7"])
                assert cursor.fetchone()[0]
        except BaseException as error:  # reported to the main thread
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=second)
    with transaction.atomic(), connection.cursor() as cursor:
        ensure_partitions(cursor, [top])
        thread.start()
        entered.set()
        thread.join(0.5)
        assert thread.is_alive()  # waiting on the lock
    thread.join(10)
    assert not thread.is_alive() and not errors
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {TABLE}_7")


def _entry_ids(keys: set[str]) -> set[int]:
    return set(SearchEntry.objects.filter(key__in=keys).values_list("id", flat=True))
