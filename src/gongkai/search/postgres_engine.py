"""The PostgreSQL engine: a narrow side table of tsvectors, partitioned by row id.

The tsvector is written as a literal (positions and weights computed here, so PostgreSQL's
parser never sees Chinese); GIN on it, B-trees on the filters, `ts_rank` with the title
weighted A and the 文号 B.

Why partitions: a GIN bitmap lists every row holding a lexeme before anything is ANDed or
limited (工作 is in 1.5 million of 1.6 million rows at 1M documents: 200 ms). With one GIN index
per 65,536 documents, a broad query is counted and listed in the newest partitions and stops
there (6 ms for 工作), like the windows of tantivy_engine.py. A narrow query reads every
partition, as it read the one index before. See docs/decisions/0008.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction

from gongkai.search.analysis import Phrase
from gongkai.search.engines import Engine, Filters, Row
from gongkai.search.models import PART_SHIFT

# The gap between fields in one tsvector, so that no phrase runs from the title into the body.
_FIELD_GAP = 8
_MAX_POS = 16383
# pg_advisory_xact_lock key serialising the creation of partitions ("gkpart").
_PARTITION_LOCK = 0x676B70617274

TABLE = "search_pg_row"
INDEX_TSV = f"CREATE INDEX IF NOT EXISTS search_pg_row_tsv ON {TABLE} USING gin (tsv)"
PARTITION_SPAN = 1 << (16 + PART_SHIFT)  # row ids of 65,536 documents


def ensure_partitions(cursor: Any, ids: Iterable[int], span: int = PARTITION_SPAN) -> None:
    """Create the partitions these row ids fall in. Ids grow, so it is usually one check of
    the newest partition; two writers needing a new one take turns under an advisory lock."""
    wanted = sorted({rowid // span for rowid in ids})
    if not wanted:
        return
    names = [f"{TABLE}_{k}" for k in wanted]
    cursor.execute("SELECT n FROM unnest(%s::text[]) AS n WHERE to_regclass(n) IS NULL", [names])
    if not cursor.fetchall():
        return
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PARTITION_LOCK])
    for k, name in zip(wanted, names, strict=True):
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {TABLE} "
            f"FOR VALUES FROM ({k * span}) TO ({(k + 1) * span})"
        )


class PostgresEngine(Engine):
    name = "postgresql"
    broad_query_hits = 3000
    facet_sample_rows = 300
    table = TABLE
    partition_span = PARTITION_SPAN
    # A filter selecting at most this many rows is read row by row, checking each tsvector
    # (about 8 µs: reading it from TOAST), instead of through the GIN index (≈ 25 ms at most).
    filter_scan_rows = 3000
    # Rows a broad query's newest hits are first looked for in by walking down the key: a
    # common phrase's newest 300 in 2 ms, where the bitmap of even one partition rechecks
    # every candidate's positions (630 ms for 城乡低保 in two partitions).
    walk_rows = 2000
    _columns = "organization_id, year, kind, topic, category, validity"
    _filter_columns = {
        "organization": "organization_id",
        "year": "year",
        "kind": "kind",
        "topic": "topic",
        "category": "category",
        "validity": "validity",
    }

    def __init__(self) -> None:
        # The query narrow() last found with fewer than the cap's hits in the newest
        # partition: walking down the key (2,000 rows) would not find its newest rows either.
        # A hint for newest() that saves 15–30 ms, never an answer.
        self._sparse: tuple[str, str] | None = None

    def _key(self, phrases: Sequence[Phrase], filters: Filters) -> tuple[str, str]:
        return self.tsquery_literal(phrases), repr(sorted(filters.items()))

    @staticmethod
    def tsvector_literal(row: Row) -> str:
        positions: dict[str, list[str]] = defaultdict(list)
        pos = 1
        for text, weight in ((row.title, "A"), (row.docno, "B"), (row.body, "")):
            for tok in text.split():
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

    # --- writing ---

    def insert(self, rows: Iterable[Row]) -> None:
        values = [
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
        ]
        with connection.cursor() as cursor:
            ensure_partitions(cursor, (v[0] for v in values), self.partition_span)
            cursor.executemany(
                f"INSERT INTO {self.table} (id, {self._columns}, tsv) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s::tsvector)",
                values,
            )

    def delete(self, rows: Sequence[Row]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table} WHERE id = ANY(%s)", [[r.id for r in rows]])

    def clear(self) -> None:
        # Dropping the partitions, not emptying them: the rebuild numbers rows from 1 again.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = %s::regclass",
                [self.table],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TABLE {name}")

    def begin_bulk(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS search_pg_row_tsv")

    def end_bulk(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(INDEX_TSV)
            cursor.execute(f"ANALYZE {self.table}")

    # --- reading ---

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
        would rather walk the primary key or the table and read every row's TOASTed tsvector
        (290 ms against 27 ms for the GIN bitmap at 10k documents). "key": read down the
        primary key. "any": its own choice."""
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

    def _few_filtered(self, cursor: Any, phrases: Sequence[Phrase], filters: Filters) -> bool:
        if not phrases or not filters:
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
        """What follows FROM, and its parameters: the rows of a narrow filter (`few`), each
        tsvector checked, or the GIN bitmap."""
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

    def _windows(self, cursor: Any) -> list[tuple[int, int]]:
        """Row-id ranges [low, high) from the newest partition down, each holding four times
        as many partitions as the one before."""
        self._plan(cursor, scans="any")  # max(id) reads the key's end in each partition
        cursor.execute(f"SELECT max(id) FROM {self.table}")
        top = cursor.fetchone()[0]
        windows: list[tuple[int, int]] = []
        if top is None:
            return windows
        span, width = self.partition_span, 1
        high, low = top + 1, top // span * span
        while high > 0:
            windows.append((low, high))
            high, width = low, width * 4
            low = max(0, low - width * span)
        return windows

    def _walk(
        self, cursor: Any, phrases: Sequence[Phrase], filters: Filters, limit: int
    ) -> list[int]:
        """Matching ids among the newest `walk_rows` rows of the filter, newest first."""
        where, params = self._where((), filters)
        self._plan(cursor, scans="key" if not filters else "any")
        cursor.execute(
            f"SELECT id FROM (SELECT id, tsv FROM {self.table} WHERE {where} "
            "ORDER BY id DESC LIMIT %s) AS w WHERE tsv @@ %s::tsquery ORDER BY id DESC LIMIT %s",
            [*params, self.walk_rows, self.tsquery_literal(phrases), limit],
        )
        return [int(r) for (r,) in cursor.fetchall()]

    def ids(self, phrases: Sequence[Phrase], filters: Filters, limit: int) -> list[int]:
        with transaction.atomic(), connection.cursor() as cursor:
            few = self._few_filtered(cursor, phrases, filters)
            return self._ids(cursor, self._source(cursor, phrases, filters, few=few), limit)

    @staticmethod
    def _ids(cursor: Any, source: tuple[str, list[Any]], limit: int) -> list[int]:
        sql, params = source
        cursor.execute(f"SELECT id FROM {sql} ORDER BY id DESC LIMIT %s", [*params, limit])
        return [int(r) for (r,) in cursor.fetchall()]

    def newest(self, phrases: Sequence[Phrase], filters: Filters, limit: int) -> list[int]:
        with transaction.atomic(), connection.cursor() as cursor:
            few = self._few_filtered(cursor, phrases, filters)
            if not phrases or few:
                return self._ids(cursor, self._source(cursor, phrases, filters, few=few), limit)
            if self._sparse != self._key(phrases, filters):
                found = self._walk(cursor, phrases, filters, limit)
                if len(found) == limit:
                    return found
            found = []
            windows = self._windows(cursor)
            sql, params = self._source(cursor, phrases, filters, few=False)
            for low, high in windows:
                cursor.execute(
                    f"SELECT id FROM {sql} AND id >= %s AND id < %s ORDER BY id DESC LIMIT %s",
                    [*params, low, high, limit - len(found)],
                )
                found += [int(r) for (r,) in cursor.fetchall()]
                if len(found) >= limit:
                    break
            return found

    def count(self, phrases: Sequence[Phrase], filters: Filters, limit: int) -> int:
        with transaction.atomic(), connection.cursor() as cursor:
            few = self._few_filtered(cursor, phrases, filters)
            if few or not phrases:
                sql, params = self._source(cursor, phrases, filters, few=few)
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {sql} LIMIT %s) AS hit",
                    [*params, limit],
                )
                return int(cursor.fetchone()[0])
            windows = self._windows(cursor)
            sql, params = self._source(cursor, phrases, filters, few=False)
            return self._count_in(cursor, (sql, params), windows, limit)

    @staticmethod
    def _count_in(
        cursor: Any,
        source: tuple[str, list[Any]],
        windows: Sequence[tuple[int, int]],
        limit: int,
        total: int = 0,
    ) -> int:
        """Add up the hits window by window, newest first, stopping at `limit`."""
        sql, params = source
        for low, high in windows:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {sql} AND id >= %s AND id < %s "
                "LIMIT %s) AS hit",
                [*params, low, high, limit - total],
            )
            total += int(cursor.fetchone()[0])
            if total >= limit:
                break
        return total

    def narrow(
        self, phrases: Sequence[Phrase], filters: Filters, limit: int
    ) -> list[tuple[int, float]] | None:
        if not phrases:
            return super().narrow(phrases, filters, limit)
        with transaction.atomic(), connection.cursor() as cursor:
            few = self._few_filtered(cursor, phrases, filters)
            if not few and (windows := self._windows(cursor)):
                # Scoring reads each hit's tsvector twice (the match, ts_rank), counting once:
                # count first only where the newest partition makes the query look broad.
                source = self._source(cursor, phrases, filters, few=False)
                first = self._count_in(cursor, source, windows[:1], limit)
                if first < limit:  # sparse among the newest rows: newest() need not walk
                    self._sparse = self._key(phrases, filters)
                low, high = windows[0]
                if first * (high / (high - low)) >= limit:
                    first = self._count_in(cursor, source, windows[1:], limit, first)
                if first >= limit:
                    return None
            # The scored read counts too: a narrow query is read once.
            source = self._source(cursor, phrases, filters, few=few)
            scored = self._scored(cursor, source, limit, phrases)
            return scored if len(scored) < limit else None

    def scored(
        self, phrases: Sequence[Phrase], filters: Filters, limit: int
    ) -> list[tuple[int, float]]:
        with transaction.atomic(), connection.cursor() as cursor:
            few = self._few_filtered(cursor, phrases, filters)
            source = self._source(cursor, phrases, filters, few=few)
            return self._scored(cursor, source, limit, phrases)

    def _scored(
        self, cursor: Any, source: tuple[str, list[Any]], limit: int, phrases: Sequence[Phrase]
    ) -> list[tuple[int, float]]:
        sql, params = source
        rank = "ts_rank(tsv, %s::tsquery)" if phrases else "0"
        rank_params = [self.tsquery_literal(phrases)] if phrases else []
        cursor.execute(f"SELECT id, {rank} FROM {sql} LIMIT %s", [*rank_params, *params, limit])
        return [(int(r), float(s)) for r, s in cursor.fetchall()]

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0) FROM pg_inherits "
                "WHERE inhparent = %s::regclass",
                [self.table],
            )
            return int(cursor.fetchone()[0] or 0)
