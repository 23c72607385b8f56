"""The full-text engines behind one small interface; both index the token text of analysis.py.

* `Fts5Engine` (SQLite, the embedded default): a contentless FTS5 table, unicode61 over the
  token text, filter values as tokens of column `f` in the same row, bm25 with the title
  weighted 10 and the 文号 5.
* `PostgresEngine`: a narrow side table with a `tsvector` written as a literal (positions and
  weights computed here, so PostgreSQL's parser never sees Chinese), GIN on it, B-trees on the
  filters, `ts_rank` with the title weighted A.

A row is one indexed unit (part) of a document; its id is the `SearchPart` id.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from gongkai.search.analysis import Phrase

FILTER_FIELDS = ("organization", "year", "kind", "topic", "category", "validity")
# The gap between fields in one tsvector, so that no phrase runs from the title into the body.
_FIELD_GAP = 8
_MAX_POS = 16383


@dataclass(frozen=True)
class Row:
    """Token lists of one part and the filter values of its document."""

    id: int
    title: Sequence[str]
    docno: Sequence[str]
    body: Sequence[str]
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


def facet_tokens(row: Row) -> list[str]:
    """The filter values of a row as tokens (FTS5 column `f`, tantivy field `f`)."""
    return [
        _facet_token(field, getattr(row, field))
        for field in FILTER_FIELDS
        if getattr(row, field) not in (None, "")
    ]


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

    @staticmethod
    def _values(row: Row) -> tuple[int, str, str, str, str]:
        return (
            row.id,
            " ".join(row.title),
            " ".join(row.docno),
            " ".join(row.body),
            " ".join(facet_tokens(row)),
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


class PostgresEngine(Engine):
    name = "postgresql"
    broad_query_hits = 3000
    # A filter selecting at most this many rows is read row by row (≈ 25 ms at most).
    filter_scan_rows = 3000
    # Rows a broad query may read down the key to count or list its newest hits (≈ 130 ms).
    walk_rows = 16000
    # The newest rows of a broad query are found by walking the key backwards and checking
    # each row's tsvector: 1,000 of them made facets cost 200–400 ms at 100k documents.
    facet_sample_rows = 300
    table = "search_pg_row"
    _columns = "organization_id, year, kind, topic, category, validity"
    _filter_columns = {
        "organization": "organization_id",
        "year": "year",
        "kind": "kind",
        "topic": "topic",
        "category": "category",
        "validity": "validity",
    }

    @staticmethod
    def tsvector_literal(row: Row) -> str:
        positions: dict[str, list[str]] = defaultdict(list)
        pos = 1
        for toks, weight in ((row.title, "A"), (row.docno, "B"), (row.body, "")):
            for tok in toks:
                positions[tok].append(f"{min(pos, _MAX_POS)}{weight}")
                pos += 1
            pos += _FIELD_GAP
        return " ".join(f"'{tok}':{','.join(p)}" for tok, p in positions.items())

    @staticmethod
    def tsquery_literal(phrases: Sequence[Phrase]) -> str:
        groups = []
        for p in phrases:
            lexemes = [f"'{tok}'" for tok in p.tokens]
            if p.prefix:
                lexemes[-1] += ":*"
            groups.append("(" + " <-> ".join(lexemes) + ")")
        return " & ".join(groups)

    def insert(self, rows: Iterable[Row]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.table} (id, {self._columns}, tsv) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s::tsvector)",
                [
                    (
                        row.id,
                        row.organization,
                        row.year,
                        row.kind,
                        row.topic,
                        row.category,
                        row.validity,
                        self.tsvector_literal(row),
                    )
                    for row in rows
                ],
            )

    def delete(self, rows: Sequence[Row]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table} WHERE id = ANY(%s)", [[r.id for r in rows]])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {self.table}")

    def begin_bulk(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS search_pg_row_tsv")

    def end_bulk(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS search_pg_row_tsv ON {self.table} USING gin (tsv)"
            )
            cursor.execute(f"ANALYZE {self.table}")

    def _where(self, phrases: Sequence[Phrase], filters: Filters) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if phrases:
            clauses.append("tsv @@ %s::tsquery")
            params.append(self.tsquery_literal(phrases))
        for field, values in filters.items():
            column = self._filter_columns[field]
            if len(values) == 1:
                clauses.append(f"{column} = %s")
                params.append(values[0])
            else:
                clauses.append(f"{column} = ANY(%s)")
                params.append(list(values))
        return " AND ".join(clauses) or "TRUE", params

    @staticmethod
    def _plan(cursor: Any, *, scans: str) -> None:
        """Steer the planner for the rest of the transaction. "bitmap": for a common word it
        would rather walk the primary key or the table and read every row's TOASTed
        tsvector (290 ms against 27 ms for the GIN bitmap at 10k documents). "key": read
        down the primary key. "any": its own choice."""
        seqscan, indexscan, bitmapscan = {
            "bitmap": ("off", "off", "on"),
            "key": ("off", "on", "off"),
            "any": ("on", "on", "on"),
        }[scans]
        cursor.execute(
            "SELECT set_config('enable_seqscan', %s, true), "
            "set_config('enable_indexscan', %s, true), set_config('enable_bitmapscan', %s, true)",
            [seqscan, indexscan, bitmapscan],
        )

    def _few_filtered(self, cursor: Any, filters: Filters) -> bool:
        if not filters:
            return False
        where, params = self._where((), filters)
        self._plan(cursor, scans="any")
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {self.table} WHERE {where} LIMIT %s) AS f",
            [*params, self.filter_scan_rows + 1],
        )
        return int(cursor.fetchone()[0]) <= self.filter_scan_rows

    def _source(
        self, cursor: Any, phrases: Sequence[Phrase], filters: Filters, *, few: bool
    ) -> tuple[str, list[Any]]:
        """What follows FROM, and its parameters. The GIN bitmap of a common word lists
        every row holding it (工作: 1.5 million postings, 200 ms at 1M documents) before
        anything is ANDed or limited; the few rows of a narrow filter (`few`) are faster
        read one by one, checking each tsvector (about 8 µs a row)."""
        if few:
            where, params = self._where((), filters)
            self._plan(cursor, scans="any")
            return (
                f"(SELECT id, tsv FROM {self.table} WHERE {where} OFFSET 0) AS r "
                "WHERE tsv @@ %s::tsquery",
                [*params, self.tsquery_literal(phrases)],
            )
        where, params = self._where(phrases, filters)
        self._plan(cursor, scans="bitmap" if phrases else "any")
        return f"{self.table} WHERE {where}", params

    def _estimate(self, cursor: Any, phrases: Sequence[Phrase], filters: Filters) -> float:
        """The share of the filtered rows the planner expects to match (ANALYZE keeps
        statistics of the commonest lexemes; a phrase is estimated as if its lexemes were
        independent, so adjacent bigrams of one word come out rarer than they are)."""
        rows = []
        self._plan(cursor, scans="any")
        for phr in (phrases, ()):
            where, params = self._where(phr, filters)
            cursor.execute(
                f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {self.table} WHERE {where}", params
            )
            plan = cursor.fetchone()[0]
            if isinstance(plan, str):
                plan = json.loads(plan)
            rows.append(float(plan[0]["Plan"]["Plan Rows"]))
        return rows[0] / max(rows[1], 1.0)

    def _walk(
        self,
        cursor: Any,
        phrases: Sequence[Phrase],
        filters: Filters,
        window: int | None,
        limit: int,
    ) -> list[int]:
        """Matching ids among the newest `window` rows of the filter (all rows if None),
        newest first: reading down the primary key stops at `limit` hits, where a bitmap
        lists every hit first."""
        if window is None:
            where, params = self._where(phrases, filters)
            self._plan(cursor, scans="key")
            sql = f"SELECT id FROM {self.table} WHERE {where} ORDER BY id DESC LIMIT %s"
            cursor.execute(sql, [*params, limit])
        else:
            where, params = self._where((), filters)
            self._plan(cursor, scans="key" if not filters else "any")
            cursor.execute(
                f"SELECT id FROM (SELECT id, tsv FROM {self.table} WHERE {where} "
                "ORDER BY id DESC LIMIT %s) AS w WHERE tsv @@ %s::tsquery ORDER BY id DESC LIMIT %s",
                [*params, window, self.tsquery_literal(phrases), limit],
            )
        return [int(r) for (r,) in cursor.fetchall()]

    @staticmethod
    def _exact_in_gin(phrases: Sequence[Phrase]) -> bool:
        """Whether the GIN index answers the query without reading tsvectors: only a phrase
        of two or more tokens needs their positions."""
        return all(len(p.tokens) == 1 for p in phrases)

    def _walked(
        self, cursor: Any, phrases: Sequence[Phrase], filters: Filters, limit: int
    ) -> list[int]:
        """The newest `limit` hits if the planner expects them among the newest
        `walk_rows` rows and they are there; [] otherwise."""
        if not phrases:
            return []
        share = self._estimate(cursor, phrases, filters)
        window = int(2 * limit / share) + 1 if share > 0 else 0
        if not 0 < window <= self.walk_rows:
            return []
        found = self._walk(cursor, phrases, filters, window, limit)
        return found if len(found) == limit else []

    def ids(self, phrases: Sequence[Phrase], filters: Filters, limit: int) -> list[int]:
        with transaction.atomic(), connection.cursor() as cursor:
            few = bool(phrases) and self._few_filtered(cursor, filters)
            return self._ids(cursor, self._source(cursor, phrases, filters, few=few), limit)

    @staticmethod
    def _ids(cursor: Any, source: tuple[str, list[Any]], limit: int) -> list[int]:
        sql, params = source
        cursor.execute(f"SELECT id FROM {sql} ORDER BY id DESC LIMIT %s", [*params, limit])
        return [int(r) for (r,) in cursor.fetchall()]

    def newest(self, phrases: Sequence[Phrase], filters: Filters, limit: int) -> list[int]:
        # A common word's newest hits are near the top of the key (0.4–0.7 ms for 20); a
        # rarer one's may lie a million rows down, where the bitmap is faster.
        with transaction.atomic(), connection.cursor() as cursor:
            few = bool(phrases) and self._few_filtered(cursor, filters)
            if not few and not self._exact_in_gin(phrases):
                # The bitmap would recheck every candidate's tsvector for the phrase.
                return self._walk(cursor, phrases, filters, None, limit)
            if not few and (found := self._walked(cursor, phrases, filters, limit)):
                return found
            return self._ids(cursor, self._source(cursor, phrases, filters, few=few), limit)

    def count(self, phrases: Sequence[Phrase], filters: Filters, limit: int) -> int:
        with transaction.atomic(), connection.cursor() as cursor:
            few = bool(phrases) and self._few_filtered(cursor, filters)
            if not few and self._walked(cursor, phrases, filters, limit):
                return limit
            sql, params = self._source(cursor, phrases, filters, few=few)
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {sql} LIMIT %s) AS hit", [*params, limit]
            )
            return int(cursor.fetchone()[0])

    def narrow(
        self, phrases: Sequence[Phrase], filters: Filters, limit: int
    ) -> list[tuple[int, float]] | None:
        with transaction.atomic(), connection.cursor() as cursor:
            if phrases and self._few_filtered(cursor, filters):
                # One read of the filter's rows gives the count and the scores together.
                source = self._source(cursor, phrases, filters, few=True)
                scored = self._scored(cursor, source, phrases, limit)
                return scored if len(scored) < limit else None
        return super().narrow(phrases, filters, limit)

    def scored(
        self, phrases: Sequence[Phrase], filters: Filters, limit: int
    ) -> list[tuple[int, float]]:
        with transaction.atomic(), connection.cursor() as cursor:
            few = bool(phrases) and self._few_filtered(cursor, filters)
            source = self._source(cursor, phrases, filters, few=few)
            return self._scored(cursor, source, phrases, limit)

    def _scored(
        self, cursor: Any, source: tuple[str, list[Any]], phrases: Sequence[Phrase], limit: int
    ) -> list[tuple[int, float]]:
        sql, params = source
        rank = "ts_rank(tsv, %s::tsquery)" if phrases else "0"
        rank_params = [self.tsquery_literal(phrases)] if phrases else []
        cursor.execute(f"SELECT id, {rank} FROM {sql} LIMIT %s", [*rank_params, *params, limit])
        return [(int(r), float(s)) for r, s in cursor.fetchall()]

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size(%s)", [self.table])
            return int(cursor.fetchone()[0] or 0)


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
        return PostgresEngine()
    if choice == "tantivy":
        from gongkai.search.tantivy_engine import TantivyEngine

        return TantivyEngine()
    raise ValueError(f"未知的检索后端：{choice}")
