"""What the tantivy engine adds to the shared search tests (test_search.py runs those on it too):
its index lives outside the database, so it must follow the database's commits."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from gongkai.search import api, tantivy_engine, tasks
from gongkai.search.api import SearchDocument
from gongkai.search.engines import Row, get_engine
from gongkai.search.models import PendingIndexChange

pytestmark = pytest.mark.skipif(not tantivy_engine.available(), reason="tantivy not installed")


@pytest.fixture
def tantivy(settings: Any, tmp_path: Any) -> None:
    settings.SEARCH_BACKEND = "tantivy"
    settings.SEARCH_INDEX_DIR = tmp_path / "index"


def keys(query: str) -> set[str]:
    return {h.key for h in api.search(query, per_page=100, facets=False).hits}


def indexed(query: str) -> int:
    engine = get_engine()
    assert isinstance(engine, tantivy_engine.TantivyEngine)
    engine.index.reload()
    return engine.count(api.parse_query(query), {}, 10**6)


def doc(n: int, body: str) -> SearchDocument:
    return SearchDocument(f"x:{n}", f"标题{n}", body, f"/x/{n}/")


@pytest.mark.django_db(transaction=True)
def test_the_index_changes_only_when_the_database_commits(tantivy: None) -> None:
    with transaction.atomic():
        api.index_documents([doc(1, "城乡低保标准调整")])
        assert keys("低保") == set()  # not yet: the transaction may still roll back
    assert keys("低保") == {"x:1"}

    with pytest.raises(RuntimeError), transaction.atomic():
        api.index_documents([doc(2, "低保复核结果")])
        api.remove_documents(["x:1"])
        raise RuntimeError("保存失败")
    assert keys("低保") == {"x:1"}  # neither the new document nor the removal

    with transaction.atomic():
        api.index_documents([doc(3, "低保资金发放")])
        try:
            with transaction.atomic():  # a savepoint that rolls back drops only its own change
                api.index_documents([doc(4, "低保对象公示")])
                raise RuntimeError
        except RuntimeError:
            pass
        api.index_documents([doc(5, "低保审核流程")])
    assert keys("低保") == {"x:1", "x:3", "x:5"}


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_wait_for_each_other(tantivy: None) -> None:
    """tantivy allows one writer per index; the file lock makes the others wait instead of
    failing (threads here, worker processes in production: the same flock)."""
    engine = get_engine()
    assert isinstance(engine, tantivy_engine.TantivyEngine)
    errors: list[BaseException] = []

    def write(start: int) -> None:
        rows = [
            Row(i, "城乡", "", "低保", 1, 2024, "x", "", "", "") for i in range(start, start + 50)
        ]
        try:
            tantivy_engine.TantivyEngine().insert(rows)  # autocommit: written at once
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n * 1000,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    engine.index.reload()
    phrases = api.parse_query("低保")
    assert engine.count(phrases, {}, 10**6) == 200


@pytest.mark.django_db(transaction=True)
def test_a_failed_rebuild_keeps_the_old_index(tantivy: None) -> None:
    api.index_documents([doc(1, "旧索引中的低保文件")])

    def broken() -> Any:
        yield doc(2, "新的低保文件")
        raise OSError("来源读取失败")

    with pytest.raises(OSError):
        api.rebuild(broken())
    assert keys("低保") == {"x:1"}
    api.index_documents([doc(3, "之后照常写入低保")])  # the writer's lock was let go
    assert keys("低保") == {"x:1", "x:3"}
    assert api.rebuild([doc(7, "重建后的低保")]) == 1
    assert keys("低保") == {"x:7"}


def test_without_the_package_the_choice_is_refused_clearly(
    tantivy: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tantivy_engine, "tantivy", None)
    with pytest.raises(ValueError, match="gongkai\\[tantivy\\]"):
        get_engine()


@pytest.mark.django_db(transaction=True)
def test_an_index_of_other_fields_is_refused_until_a_rebuild(tantivy: None) -> None:
    """After an upgrade that changed the index's fields, searching says what to do and
    `gongkai search reindex` starts the folder afresh."""
    builder = tantivy_engine.tantivy.SchemaBuilder()
    builder.add_integer_field("id", indexed=True, fast=True)
    tantivy_engine.index_dir().mkdir(parents=True)
    tantivy_engine.tantivy.Index(builder.build(), path=str(tantivy_engine.index_dir()))
    with pytest.raises(ValueError, match="gongkai search reindex"):
        api.search("低保")
    assert api.rebuild([doc(1, "重建后的低保")]) == 1
    assert keys("低保") == {"x:1"}


def _failing_index_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self: Any, changes: Any) -> None:
        raise OSError("磁盘已满")

    monkeypatch.setattr(tantivy_engine.TantivyEngine, "apply", fail)


@pytest.mark.django_db(transaction=True)
def test_a_lost_index_write_is_recovered_from_the_database(
    tantivy: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.index_documents([doc(1, "城乡低保标准调整")])
    assert keys("低保") == {"x:1"}
    assert not PendingIndexChange.objects.exists()  # the index took it: nothing left over
    with monkeypatch.context() as failing:
        _failing_index_writes(failing)
        # The database commits; the index write after it fails (a crash would do the same).
        api.index_documents([doc(1, "城乡医保标准调整"), doc(2, "低保复核结果")])
        api.remove_documents(["x:9"])  # nothing to remove: no pending row either
    assert keys("低保") == {"x:1"} and keys("医保") == set()  # the index lags behind
    assert PendingIndexChange.objects.count() == 2
    assert tantivy_engine.recover() == 0  # too recent: its process may still be writing it
    assert tantivy_engine.recover(older_than=timedelta(0)) == 2
    assert keys("低保") == {"x:2"} and keys("医保") == {"x:1"}
    assert not PendingIndexChange.objects.exists()
    with monkeypatch.context() as failing:
        _failing_index_writes(failing)
        api.remove_documents(["x:2"])
    # A removed document is never shown (hits are read against the database's entries), but
    # its rows stay in the index until recovery.
    assert keys("低保") == set() and indexed("低保") == 1
    assert tasks.recover_index.call_local() == 0  # the periodic task waits a minute too
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert tasks.recover_index.call_local() == 1
    assert indexed("低保") == 0 and keys("医保") == {"x:1"}


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_nothing_to_recover(tantivy: None) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        api.index_documents([doc(1, "低保复核结果")])
        raise RuntimeError
    assert not PendingIndexChange.objects.exists()
    assert tantivy_engine.recover(older_than=timedelta(0)) == 0
    assert keys("低保") == set()
