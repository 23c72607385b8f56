"""The full-text engines behind one small interface; both index the token text of analysis.py.

* `Fts5Engine` (SQLite, the embedded default): a contentless FTS5 table, unicode61 over the
  token text, filter values as tokens of column `f` in the same row, bm25 with the title
  weighted 10 and the 文号 5.
* `PostgresEngine` (postgres_engine.py): a tsvector side table partitioned by row id.
* `TantivyEngine` (tantivy_engine.py): an index folder beside the database.

A row is one indexed unit (part) of a document; its id is the `SearchPart` id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db import connection

from gongkai.search.analysis import Phrase

FILTER_FIELDS = ("organization", "year", "kind", "topic", "category", "validity")


@dataclass(frozen=True)
class Row:
    """The token text of one part (tokens joined by single spaces, as the engines index it:
    joined once, not once per engine call) and the filter values of its document."""

    id: int
    title: str
    docno: str
    body: str
    organization: int | None
    year: int | None
    kind: str
    topic: str
    category: str
    validity: str


Filters = Mapping[str, Sequence[object]]


def _code(value: object) -> str:
    # Filter codes can hold any character; hex keeps each one a single FTS5 token.
    return str(value).encode().hex()


def _facet_token(field: str, value: object) -> str:
    if field == "organization":
        return f"o{int(value)}"  # type: ignore[call-overload]
    if field == "year":
        return f"y{int(value)}"  # type: ignore[call-overload]
    return f"{field[0]}{_code(value)}"


def facet_text(row: Row) -> str:
    """The filter values of a row as tokens (FTS5 column `f`, tantivy field `f`). They are the
    same for every part of a document, so each combination is computed once."""
    return _facet_text(tuple(getattr(row, field) for field in FILTER_FIELDS))


@lru_cache(maxsize=4096)
def _facet_text(values: tuple[object, ...]) -> str:
    return " ".join(
        _facet_token(field, value)
        for field, value in zip(FILTER_FIELDS, values, strict=True)
        if value not in (None, "")
    )


def filter_tokens(field: str, values: Sequence[object]) -> list[str]:
    return [_facet_token(field, value) for value in values]


class Engine:
    name = ""
    # Rows a query may match and still be ranked (GONGKAI_SEARCH_BROAD_QUERY_HITS=0): scoring
    # costs about 5 µs a row in FTS5 and 10 µs in PostgreSQL, whose ts_rank reads every
    # hit's TOASTed tsvector (bench/search.py).
    broad_query_hits = 20000
    # A broad query's facets count its newest this many rows: enough to suggest useful
    # filters, while counting all its rows cost three times the search itself.
    facet_sample_rows = 1000
    # Documents up to which bench/search.py measured this engine's p95 within its target;
    # `gongkai search status` advises another engine past it. None: no limit measured.
    suggested_max_documents: int | None = None

    def insert(self, rows: Iterable[Row]) -> None:
        raise NotImplementedError

    def delete(self, rows: Sequence[Row]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def begin_bulk(self) -> None:
        """Before a full rebuild (drop secondary structures that are faster built at the end)."""

    def end_bulk(self) -> None:
        """After a full rebuild."""

    def abort_bulk(self) -> None:
        """After a failed rebuild (the database transaction rolls back)."""

    def ids(self, phrases: Sequence[Phrase], filters: Filters, limit: int) -> list[int]:
        """Matching row ids, highest (most recently indexed) first, at most `limit`."""
        raise NotImplementedError

    def newest(self, phrases: Sequence[Phrase], filters: Filters, limit: int) -> list[int]:
        """`ids` of a query known to match many rows: an engine may read down its index order
        and stop at `limit` instead of collecting every hit first."""
        return self.ids(phrases, filters, limit)

    def count(self, phrases: Sequence[Phrase], filters: Filters, limit: int) -> int:
        """How many rows match, counting no further than `limit` (no ordering, no rows sent
        back: a fifth of the time of fetching the ids of a broad query)."""
        raise NotImplementedError

    def narrow(
        self, phrases: Sequence[Phrase], filters: Filters, limit: int
    ) -> list[tuple[int, float]] | None:
        """`scored` of a query matching fewer than `limit` rows, None for a broader one."""
        if self.count(phrases, filters, limit) >= limit:
            return None
        return self.scored(phrases, filters, limit)

    def scored(
        self, phrases: Sequence[Phrase], filters: Filters, limit: int
    ) -> list[tuple[int, float]]:
        """Every matching row (at most `limit`, in no particular order) with its score, higher
        is better: one pass gives a narrow query's ranking and its complete id list."""
        raise NotImplementedError

    def size_bytes(self) -> int:
        raise NotImplementedError


class Fts5Engine(Engine):
    name = "sqlite"
    table = "search_fts"
    # bench/search.py on 2 cores, search() p95: 59 ms at 100k documents, 91 at 250k, 75 at
    # 500k, 104 at 1M; tantivy 28 ms at 1M (decision 0008). Past this, advise tantivy.
    suggested_max_documents = 500_000

    @staticmethod
    def _values(row: Row) -> tuple[int, str, str, str, str]:
        return (
            row.id,
            row.title,
            row.docno,
            row.body,
            facet_text(row),
        )

    def insert(self, rows: Iterable[Row]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.table}(rowid, t, n, b, f) VALUES (%s, %s, %s, %s, %s)",
                [self._values(row) for row in rows],
            )

    def delete(self, rows: Sequence[Row]) -> None:
        # A contentless table forgets its text: deleting means replaying the same tokens
        # (SQLite 3.40 has no contentless_delete), which the stored raw text allows.
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.table}({self.table}, rowid, t, n, b, f) "
                "VALUES ('delete', %s, %s, %s, %s, %s)",
                [self._values(row) for row in rows],
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.table}({self.table}) VALUES ('delete-all')")

    def end_bulk(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.table}({self.table}) VALUES ('optimize')")

    @staticmethod
    def match_expression(
        phrases: Sequence[Phrase], filters: Filters, columns: str = "t n b"
    ) -> str:
        parts: list[str] = []
        if phrases:
            text = " AND ".join(
                '"' + " ".join(p.tokens) + '"' + (" *" if p.prefix else "") for p in phrases
            )
            parts.append(f"{{{columns}}} : ({text})")
        for field, values in filters.items():
            alternatives = " OR ".join(filter_tokens(field, values))
            parts.append(f"f : ({alternatives})")
        return " AND ".join(parts)

    def ids(self, phrases: Sequence[Phrase], filters: Filters, limit: int) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s "
                "ORDER BY rowid DESC LIMIT %s",
                [self.match_expression(phrases, filters), limit],
            )
            return [int(r) for (r,) in cursor.fetchall()]

    def count(self, phrases: Sequence[Phrase], filters: Filters, limit: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT rowid FROM {self.table} "
                f"WHERE {self.table} MATCH %s LIMIT %s)",
                [self.match_expression(phrases, filters), limit],
            )
            return int(cursor.fetchone()[0])

    def scored(
        self, phrases: Sequence[Phrase], filters: Filters, limit: int
    ) -> list[tuple[int, float]]:
        # bm25 first computes each phrase's document frequency over the whole table (filter
        # tokens included): a full doclist walk per phrase. With a filter, or with a group that
        # alone matches more than the guard's rows, that walk is what the query costs (工作
        # within one organisation and year: 152 ms, against 8 ms for its ids, at 1M
        # documents). Those queries rank title matches first, then newest first.
        if filters or (
            len(phrases) > 1
            and any(
                self.count([p], {}, self.broad_query_hits + 1) > self.broad_query_hits
                for p in phrases
            )
        ):
            rows = self._rowids(self.match_expression(phrases, filters), limit)
            in_title = set(self._rowids(self.match_expression(phrases, filters, "t"), limit))
            return [(rowid, 1.0 if rowid in in_title else 0.0) for rowid in rows]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, -bm25({self.table}, 10.0, 5.0, 1.0, 0.0) "
                f"FROM {self.table} WHERE {self.table} MATCH %s LIMIT %s",
                [self.match_expression(phrases, filters), limit],
            )
            return cursor.fetchall()

    def _rowids(self, expression: str, limit: int) -> list[int]:
        # In index order: FTS5 walks a doclist backwards at about half the speed.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s LIMIT %s",
                [expression, limit],
            )
            return [int(r) for (r,) in cursor.fetchall()]

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            try:
                cursor.execute(
                    "SELECT sum(pgsize) FROM dbstat WHERE name LIKE %s", [f"{self.table}_%"]
                )
                return int(cursor.fetchone()[0] or 0)
            except Exception:  # dbstat is an optional compile-time module
                return 0


def get_engine() -> Engine:
    """The engine named by GONGKAI_SEARCH_BACKEND; `auto` follows the database."""
    choice = getattr(settings, "SEARCH_BACKEND", "auto")
    if choice == "auto":
        choice = connection.vendor
    if choice in ("sqlite", "fts5"):
        if connection.vendor != "sqlite":
            raise ValueError("GONGKAI_SEARCH_BACKEND=sqlite 需要 SQLite 数据库。")
        return Fts5Engine()
    if choice in ("postgresql", "postgres"):
        if connection.vendor != "postgresql":
            raise ValueError("GONGKAI_SEARCH_BACKEND=postgresql 需要 PostgreSQL 数据库。")
        from gongkai.search.postgres_engine import PostgresEngine

        return PostgresEngine()
    if choice == "tantivy":
        from gongkai.search.tantivy_engine import TantivyEngine

        return TantivyEngine()
    raise ValueError(f"未知的检索后端：{choice}")
