"""The tantivy engine: an index directory beside the database, for large single-node installs.

It indexes the same token text as the other engines (analysis.py), split on spaces only, so
positions are token positions and a phrase is the same phrase. A row is matched on one field
`a` holding title, 文号 and text with a separator token between them (no phrase runs across): a
phrase over one field can skip through its doclists, while a union of three fields must read
them whole (4 ms against under 1 for a filtered phrase at 20k rows). Fields `t` and `n` repeat
the title and 文号 only to add their weight (BM25, title ×10, 文号 ×5). Filter values are tokens
of field `f`, scored 0.

The index is not part of the database transaction. Writes made inside one are queued and
applied after it commits (nothing is written for a transaction that rolls back); each batch
takes a file lock, opens the single writer tantivy allows, commits and lets go, so web
workers and task workers can all write. The entries of a batch are also written to
`PendingIndexChange` in the database transaction and deleted once the index has committed:
after a crash between the two commits, or an index write that failed, `recover` (a periodic
task) writes those entries again from the stored parts, as the database has them then.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
import sys
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from gongkai.search.analysis import Phrase
from gongkai.search.engines import Engine, Filters, Row, facet_text, filter_tokens
from gongkai.search.models import PART_SHIFT, PendingIndexChange

logger = logging.getLogger(__name__)

tantivy: Any
try:
    import tantivy
except ImportError:  # an optional extra: gongkai[tantivy]
    tantivy = None

_BOOSTS = (("t", 10.0), ("n", 5.0))
_SEPARATOR = "|"  # never a token of analysis.py
# A group ending in a one-character prefix (低 → 低, 低保, 低收 …) becomes a regex term: the
# phrase-prefix query would stop at 50 expansions.
_REGEX_SPECIAL = re.compile(r"[\\.+*?()|\[\]{}^$#&\-~\"]")


def _escape(token: str) -> str:
    return _REGEX_SPECIAL.sub(lambda m: "\\" + m.group(0), token)


_indexes: dict[str, Any] = {}
_indexes_lock = threading.Lock()


def available() -> bool:
    return tantivy is not None


def index_dir() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def _schema() -> Any:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", indexed=True, fast=True)
    for name in ("a", "t", "n"):
        builder.add_text_field(name, tokenizer_name="whitespace")
    builder.add_text_field("f", tokenizer_name="whitespace", index_option="basic")
    return builder.build()


def _index(*, fresh: bool = False) -> Any:
    """The index of this process (one per folder); `fresh` starts an empty one, for a full
    rebuild: the only way forward when a new version changed the fields."""
    path = str(index_dir())
    with _indexes_lock:
        if fresh:
            _indexes.pop(path, None)
            shutil.rmtree(path, ignore_errors=True)
        if path not in _indexes:
            os.makedirs(path, exist_ok=True)
            try:
                index = tantivy.Index(_schema(), path=path)
            except ValueError as error:
                raise ValueError(
                    f"检索索引（{path}）与本版本的结构不同：请执行 gongkai search reindex。"
                ) from error
            # Other processes' commits become visible without a restart.
            index.config_reader(reload_policy="commit")
            _indexes[path] = index
        return _indexes[path]


class TantivyEngine(Engine):
    name = "tantivy"
    # FTS5's cap: scoring is cheap here, but search() still lists every row of a ranked query
    # to group parts into documents and count them exactly.
    broad_query_hits = 20000
    facet_sample_rows = 1000

    def __init__(self) -> None:
        if tantivy is None:
            raise ValueError(
                "GONGKAI_SEARCH_BACKEND=tantivy 需要安装 tantivy：pip install 'gongkai[tantivy]'。"
            )
        self._index: Any = None
        self._bulk: Any = None
        self._bulk_context: Any = None

    @property
    def index(self) -> Any:
        if self._index is None:
            self._index = _index()
        return self._index

    @property
    def schema(self) -> Any:
        return self.index.schema

    # --- writing: after the database commits ---

    @staticmethod
    def after_commit(apply: Callable[[], None]) -> None:
        transaction.on_commit(apply)

    def _write(self, change: Callable[[Any], None], rows: Iterable[Row] = ()) -> None:
        if self._bulk is not None:
            change(self._bulk)
            return
        _queue(self, change, {row.id >> PART_SHIFT for row in rows})

    def apply(self, changes: Sequence[Callable[[Any], None]]) -> None:
        with self._writer() as writer:
            for change in changes:
                change(writer)

    @contextmanager
    def _writer(self, heap: int = 64_000_000, threads: int = 1) -> Iterator[Any]:
        index = self.index  # opened (and its folder made) before the lock file goes there
        with open(index_dir() / "gongkai-writer.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # waits for the other processes' writers
            writer = index.writer(heap_size=heap, num_threads=threads)
            try:
                yield writer
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()  # drops the writer and tantivy's own lock
                fcntl.flock(lock, fcntl.LOCK_UN)
        self.index.reload()

    def insert(self, rows: Iterable[Row]) -> None:
        docs = [self._document(row) for row in rows]

        def add(writer: Any) -> None:
            for doc in docs:
                writer.add_document(doc)

        self._write(add, rows)

    def delete(self, rows: Sequence[Row]) -> None:
        ids = [row.id for row in rows]

        def remove(writer: Any) -> None:
            for rowid in ids:
                writer.delete_documents_by_term("id", rowid)

        self._write(remove, rows)

    def clear(self) -> None:
        self._write(lambda writer: writer.delete_all_documents())

    def begin_bulk(self) -> None:
        # A rebuild writes straight into one writer, committed by end_bulk: holding a million
        # rows for after the commit would not fit in memory.
        try:
            self.index  # noqa: B018 - opens it
        except ValueError:
            self._index = _index(fresh=True)  # fields changed: the old index is of no use
        self._bulk_context = self._writer(heap=512_000_000, threads=0)
        self._bulk = self._bulk_context.__enter__()

    def end_bulk(self) -> None:
        context, self._bulk = self._bulk_context, None
        context.__exit__(None, None, None)

    def abort_bulk(self) -> None:
        # Called while the failure is handled: the writer context sees it and rolls back.
        context, self._bulk = self._bulk_context, None
        context.__exit__(*sys.exc_info())

    @staticmethod
    def _document(row: Row) -> Any:
        return tantivy.Document(
            id=row.id,
            a=f"{row.title} {_SEPARATOR} {row.docno} {_SEPARATOR} {row.body}",
            t=row.title,
            n=row.docno,
            f=facet_text(row),
        )

    # --- reading ---

    def _field_query(self, field: str, phrase: Phrase) -> Any:
        words: list[str | tuple[int, str]] = list(phrase.tokens)
        if phrase.prefix:
            words = [_escape(t) for t in phrase.tokens]
            words[-1] = f"{words[-1]}.*"
            if len(words) == 1:
                return tantivy.Query.regex_query(self.schema, field, words[0])
            return tantivy.Query.regex_phrase_query(self.schema, field, words)
        if len(words) == 1:
            return tantivy.Query.term_query(self.schema, field, words[0])
        return tantivy.Query.phrase_query(self.schema, field, words)

    def query(self, phrases: Sequence[Phrase], filters: Filters, *, ranked: bool = False) -> Any:
        q, occur = tantivy.Query, tantivy.Occur
        clauses = []
        for phrase in phrases:
            clauses.append((occur.Must, self._field_query("a", phrase)))
            if ranked:  # optional clauses: they only add the title's and 文号's weight
                clauses += [
                    (occur.Should, q.boost_query(self._field_query(field, phrase), weight))
                    for field, weight in _BOOSTS
                ]
        for field, values in filters.items():
            wanted = q.term_set_query(self.schema, "f", filter_tokens(field, values))
            clauses.append((occur.Must, q.const_score_query(wanted, 0.0)))
        return q.boolean_query(clauses) if clauses else q.all_query()

    def ids(self, phrases: Sequence[Phrase], filters: Filters, limit: int) -> list[int]:
        searcher = self.index.searcher()
        result = searcher.search(
            self.query(phrases, filters), _fit(limit, searcher), count=False, order_by_field="id"
        )
        return [int(value) for value, _ in result.hits]

    def newest(self, phrases: Sequence[Phrase], filters: Filters, limit: int) -> list[int]:
        return self._newest_window(phrases, filters, limit, limit)[0]

    def count(self, phrases: Sequence[Phrase], filters: Filters, limit: int) -> int:
        searcher = self.index.searcher()
        bound = self._bound(phrases, searcher)
        if bound < limit:
            # Sorting by a fast field turns scoring off; one row is the least tantivy collects.
            query = self.query(phrases, filters)
            return int(searcher.search(query, 1, count=True, order_by_field="id").count)
        return min(limit, self._newest_window(phrases, filters, limit, 1, bound)[1])

    def _bound(self, phrases: Sequence[Phrase], searcher: Any) -> int:
        """At most this many rows match: the rarest token of any group (a phrase of common
        bigrams may match far fewer)."""
        bound = searcher.num_docs
        for phrase in phrases:
            for token in phrase.tokens[: len(phrase.tokens) - phrase.prefix]:
                bound = min(bound, searcher.doc_freq("a", token))
        return int(bound)

    def _newest_window(
        self,
        phrases: Sequence[Phrase],
        filters: Filters,
        limit: int,
        rows: int,
        bound: int | None = None,
    ) -> tuple[list[int], int]:
        """The newest `rows` matching ids and how many rows matched, looking only at the
        newest ids and widening the window until `limit` rows matched. tantivy's count and
        sort read every hit, and every hit of a phrase means its positions: counting 城乡低保
        (in 40 % of the rows) took 20 ms at 100k documents, its newest 5,000 ids' window 2 ms.
        The window stops early, as FTS5 does by walking its key backwards and PostgreSQL by
        counting its newest partitions first."""
        searcher = self.index.searcher()
        base = self.query(phrases, filters)
        top = _top_id(searcher)
        if bound is None:
            bound = self._bound(phrases, searcher)
        density = max(bound, 1) / max(searcher.num_docs, 1)
        span = int(2 * limit / density) << PART_SHIFT
        while True:
            low = top - span
            query = base
            if low > 0:
                within = tantivy.Query.range_query(
                    self.schema, "id", tantivy.FieldType.Integer, lower_bound=low
                )
                query = tantivy.Query.boolean_query(
                    [(tantivy.Occur.Must, base), (tantivy.Occur.Must, within)]
                )
            result = searcher.search(query, _fit(rows, searcher), count=True, order_by_field="id")
            if result.count >= limit or low <= 0:
                return [int(value) for value, _ in result.hits], int(result.count)
            span *= 8

    def scored(
        self, phrases: Sequence[Phrase], filters: Filters, limit: int
    ) -> list[tuple[int, float]]:
        searcher = self.index.searcher()
        query = self.query(phrases, filters, ranked=True)
        hits = searcher.search(query, _fit(limit, searcher), count=False).hits
        ids = searcher.fast_field_values("id", [address for _, address in hits])
        return [(int(rowid), float(score)) for rowid, (score, _) in zip(ids, hits, strict=True)]

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in index_dir().iterdir() if p.is_file())


_top: dict[int, int] = {}


def _top_id(searcher: Any) -> int:
    """The highest row id, remembered per index size: a stale value only makes the first
    window of `_newest_window` start lower or higher, never changes an answer."""
    key = searcher.num_docs
    if key not in _top:
        hits = searcher.search(tantivy.Query.all_query(), 1, order_by_field="id").hits
        _top.clear()
        _top[key] = int(hits[0][0]) if hits else 0
    return _top[key]


def _fit(limit: int, searcher: Any) -> int:
    # tantivy allocates room for `limit` hits up front.
    return max(1, min(limit, searcher.num_docs))


# --- the queue of changes waiting for the database to commit ---

_pending = threading.local()


def _queue(engine: TantivyEngine, change: Callable[[Any], None], entry_ids: set[int]) -> None:
    """Append to the batch of the current transaction (and savepoint), or start one that is
    applied when the database commits; a rolled-back savepoint drops its own batch, and its
    pending rows with it."""
    batch = getattr(_pending, "batch", None)
    level = tuple(connection.savepoint_ids)
    if batch is None or batch.level != level or not batch.waiting():
        batch = _Batch(engine, level)
        _pending.batch = batch
        batch.changes.append(change)
        batch.note(entry_ids)
        engine.after_commit(batch.apply)  # outside a transaction: at once
        return
    batch.changes.append(change)
    batch.note(entry_ids)


class _Batch:
    def __init__(self, engine: TantivyEngine, level: tuple[str, ...]) -> None:
        self.engine = engine
        self.level = level
        self.changes: list[Callable[[Any], None]] = []
        self.token = uuid.uuid4().hex
        self.entries: set[int] = set()
        self.done = False

    def note(self, entry_ids: set[int]) -> None:
        """Record the entries in the database transaction (outside one there is no database
        change to keep in step with: the batch is applied at once)."""
        new = entry_ids - self.entries
        if new and connection.in_atomic_block:
            PendingIndexChange.objects.bulk_create(
                PendingIndexChange(entry_id=entry_id, batch=self.token) for entry_id in new
            )
        self.entries |= new

    def waiting(self) -> bool:
        """Still to be applied, and the last thing to run on commit: later changes join it
        without reordering anything."""
        if self.done or not connection.in_atomic_block:
            return False
        pending = connection.run_on_commit
        return bool(pending) and getattr(pending[-1][1], "__self__", None) is self

    def apply(self) -> None:
        self.done = True
        try:
            if self.changes:
                self.engine.apply(self.changes)
        except Exception:
            # The database has committed: the change stands, and recovery writes it.
            logger.exception("search index write failed; left for recovery")
            return
        if self.entries:
            PendingIndexChange.objects.filter(batch=self.token).delete()


# A batch normally reaches the index within milliseconds of its commit; one waiting longer
# than this (its process died, or its write failed) is written again by `recover`.
RECOVER_AFTER = timedelta(minutes=1)


def recover(older_than: timedelta = RECOVER_AFTER, limit: int = 2000) -> int:
    """Write again, from the stored parts, every entry left pending for longer than
    `older_than`; returns how many entries. The parts are read under the writer lock, so the
    index gets the database's state as it is when written, whatever happened in between."""
    from gongkai.search.api import _stored_rows  # the stored parts, as the other engines use

    cutoff = timezone.now() - older_than
    pending = list(
        PendingIndexChange.objects.filter(created_at__lte=cutoff)
        .order_by("id")
        .values_list("id", "entry_id")[:limit]
    )
    if not pending:
        return 0
    entry_ids = sorted({entry_id for _, entry_id in pending})
    engine = TantivyEngine()

    def rewrite(writer: Any) -> None:
        for entry_id in entry_ids:
            writer.delete_documents_by_query(
                tantivy.Query.range_query(
                    engine.schema,
                    "id",
                    tantivy.FieldType.Integer,
                    entry_id << PART_SHIFT,
                    ((entry_id + 1) << PART_SHIFT) - 1,
                )
            )
        for row in _stored_rows(entry_ids):
            writer.add_document(engine._document(row))

    engine.apply([rewrite])
    PendingIndexChange.objects.filter(id__in=[pk for pk, _ in pending]).delete()
    logger.warning("search index: wrote %d entries left pending", len(entry_ids))
    return len(entry_ids)
