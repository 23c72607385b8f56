"""What the rest of Gongkai calls: index, remove, search, and the sources a reindex reads.

Every indexed thing is a `SearchDocument` named by a key ("publication:123"). Its body and each
attachment chunk are cut into parts of at most PART_CHARS characters (overlapping by
PART_OVERLAP, so a query up to that long is never lost at a cut); each part is one engine row.
Hits are grouped by document. All groups of a query must occur in one part or in the title or
文号 (every part carries those): a proximity rule of a few thousand characters, which is what
the engines can check without scoring every hit twice.

A query matching more than `broad_query_hits()` rows is not scored: it is served
newest first (by index order) with a lower-bound count, because bm25 and ts_rank score every
hit (research: 工作 at 1M took 0.9 s ranked, 2 ms newest-first).
"""

from __future__ import annotations

import heapq
import itertools
import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, NamedTuple, TypeVar

from django.conf import settings
from django.db import connection, transaction

from gongkai.search.analysis import (
    Phrase,
    docno_key,
    document_number_tails,
    highlight,
    looks_like_docno,
    normalized_docno_key,
    parse_query,
    phrase_in,
    query_tail,
    snippet,
    token_text,
    tokens,
)
from gongkai.search.engines import FILTER_FIELDS, Engine, Filters, Row, get_engine
from gongkai.search.models import (
    PART_SHIFT,
    PARTS_PER_ENTRY,
    DocumentNumberRef,
    SearchEntry,
    SearchPart,
)
from gongkai.search.prepare import (
    Prepared,
    prepare,
    prepared_batches,
    refuse_in_worker_bootstrap,
    worker_count,
)

T = TypeVar("T")
MAX_QUERY_CHARS = 200
MAX_QUERY_GROUPS = 10
PART_CHARS = 4000
PART_OVERLAP = 200
BATCH = 500
FACET_FIELDS = ("organization", "year", "topic", "category", "validity")
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class Chunk:
    """Attachment text, one per page or chunk."""

    text: str
    label: str = ""  # e.g. "附件1 第3页"


@dataclass(frozen=True)
class SearchDocument:
    key: str  # "publication:123": kind + id
    title: str
    body: str
    url: str
    document_number: str = ""
    organization_id: int | None = None
    organization_name: str = ""
    year: int | None = None
    published_on: date | None = None
    topic: str = ""  # 主题分类 code
    category: str = ""  # 条例第二十条 category code
    validity: str = ""  # 有效 / 已废止 … code
    chunks: tuple[Chunk, ...] = ()

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]


@dataclass(frozen=True)
class Hit:
    key: str
    title: str
    url: str
    organization_name: str
    published_on: date | None
    document_number: str
    snippet: str  # HTML-safe, matches in <mark>
    title_html: str  # HTML-safe title with matches in <mark>
    document_number_html: str  # HTML-safe 文号 with matches in <mark>
    chunk_labels: tuple[str, ...]  # matched attachment chunks of this document
    score: float


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: tuple[Hit, ...]
    total: int  # exact, or a lower bound when total_is_exact is False
    total_is_exact: bool
    facets: Mapping[str, list[tuple[object, int]]]
    page: int
    per_page: int
    organization_names: Mapping[int, str] = field(default_factory=dict)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


# --- sources ---------------------------------------------------------------------------------

_SOURCES: dict[str, Callable[[], Iterable[SearchDocument]]] = {}


def register_source(kind: str, iter_all: Callable[[], Iterable[SearchDocument]]) -> None:
    """Declare how `gongkai search reindex` gets every document of `kind` (keys "kind:…").
    Yield them oldest first: index order is what broad queries are sorted by."""
    _SOURCES[kind] = iter_all


def registered_kinds() -> list[str]:
    return sorted(_SOURCES)


# --- building rows ---------------------------------------------------------------------------


def _pieces(text: str) -> list[str]:
    if len(text) <= PART_CHARS:
        return [text]
    step = PART_CHARS - PART_OVERLAP
    return [text[i : i + PART_CHARS] for i in range(0, len(text) - PART_OVERLAP, step)]


def _parts(doc: SearchDocument) -> list[tuple[str, str]]:
    """(label, text) of each part: the body in pieces, then each attachment chunk."""
    parts = [("", piece) for piece in _pieces(doc.body)]
    for chunk in doc.chunks:
        parts += [(chunk.label, piece) for piece in _pieces(chunk.text) if piece.strip()]
    return parts[:PARTS_PER_ENTRY]


def _row(
    part_id: int,
    facets: Mapping[str, object],
    title: str,
    docno: str,
    body: str,
) -> Row:
    # Every part carries the title and 文号 tokens (cut once per document), so "title word +
    # attachment word" finds the page.
    return Row(
        id=part_id,
        title=title,
        docno=docno,
        body=body,
        organization=facets["organization"],  # type: ignore[arg-type]
        year=facets["year"],  # type: ignore[arg-type]
        kind=str(facets["kind"]),
        topic=str(facets["topic"]),
        category=str(facets["category"]),
        validity=str(facets["validity"]),
    )


def _doc_facets(doc: SearchDocument) -> dict[str, object]:
    return {
        "organization": doc.organization_id,
        "year": doc.year,
        "kind": doc.kind,
        "topic": doc.topic,
        "category": doc.category,
        "validity": doc.validity,
    }


class _Placed(NamedTuple):
    """A document about to be written: its entry id, its parts and what analysis made of it."""

    entry_id: int
    doc: SearchDocument
    parts: list[tuple[str, str]]  # _parts(doc)
    prepared: Prepared


def _analysis_input(
    doc: SearchDocument, parts: list[tuple[str, str]]
) -> tuple[str, str, list[str]]:
    """What `prepare` reads of a document: its title, 文号 and the text of each part."""
    return doc.title, doc.document_number, [text for _, text in parts]


def _prepare(doc: SearchDocument) -> tuple[list[tuple[str, str]], Prepared]:
    parts = _parts(doc)
    return parts, prepare(*_analysis_input(doc, parts))


def _entry_values(doc: SearchDocument, prepared: Prepared) -> dict[str, object]:
    return {
        "key": doc.key,
        "kind": doc.kind,
        "title": doc.title,
        "url": doc.url,
        "document_number": doc.document_number,
        "docno_key": normalized_docno_key(prepared.docno)[:200] if doc.document_number else "",
        "organization_id": doc.organization_id,
        "organization_name": doc.organization_name,
        "year": doc.year,
        "published_on": doc.published_on,
        "topic": doc.topic,
        "category": doc.category,
        "validity": doc.validity,
        "heads_plain": prepared.heads_plain,
    }


def _stored_rows(entry_ids: Sequence[int]) -> list[Row]:
    """The rows as they were indexed, recomputed from the stored raw text."""
    fields = ["id", "kind", "title", "document_number", "organization_id", "year", "topic"]
    fields += ["category", "validity"]
    entries = {e["id"]: e for e in SearchEntry.objects.filter(id__in=entry_ids).values(*fields)}
    rows = []
    cut: dict[int, tuple[str, str]] = {}
    for part in SearchPart.objects.filter(entry_id__in=entry_ids).order_by("id"):
        e = entries[part.entry_id]
        if part.entry_id not in cut:
            cut[part.entry_id] = (token_text(e["title"]), token_text(e["document_number"]))
        facets = {
            "organization": e["organization_id"],
            "year": e["year"],
            "kind": e["kind"],
            "topic": e["topic"],
            "category": e["category"],
            "validity": e["validity"],
        }
        rows.append(_row(part.id, facets, *cut[part.entry_id], token_text(part.text)))
    return rows


def _insert_parts(engine: Engine, entries: Sequence[_Placed]) -> None:
    parts: list[tuple[int, int, str, str, bool]] = []
    rows: list[Row] = []
    refs: list[tuple[int, int | None, int, int]] = []
    for entry_id, doc, doc_parts, prepared in entries:
        facets = _doc_facets(doc)
        title, docno = prepared.title_token_text, prepared.docno_token_text
        refs += [(entry_id, None, year, number) for year, number in prepared.head_tails]
        for ordinal, ((label, text), part) in enumerate(
            zip(doc_parts, prepared.parts, strict=True)
        ):
            part_id = entry_id * PARTS_PER_ENTRY + ordinal
            parts.append((part_id, entry_id, label, text, part.plain))
            rows.append(_row(part_id, facets, title, docno, part.token_text))
            refs += [(entry_id, part_id, year, number) for year, number in part.tails]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {SearchPart._meta.db_table} (id, entry_id, label, text, plain) "
            "VALUES (%s, %s, %s, %s, %s)",
            parts,
        )
        if refs:
            cursor.executemany(
                f"INSERT INTO {DocumentNumberRef._meta.db_table} (entry_id, part_id, year, number) "
                "VALUES (%s, %s, %s, %s)",
                refs,
            )
    engine.insert(rows)


def _delete_entries(engine: Engine, entry_ids: Sequence[int], *, keep_entries: bool) -> None:
    if not entry_ids:
        return
    engine.delete(_stored_rows(entry_ids))
    DocumentNumberRef.objects.filter(entry_id__in=entry_ids).delete()
    SearchPart.objects.filter(entry_id__in=entry_ids).delete()
    if not keep_entries:
        SearchEntry.objects.filter(id__in=entry_ids).delete()


def _batches(items: Iterable[SearchDocument], size: int) -> Iterator[list[SearchDocument]]:
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch


# --- writing ---------------------------------------------------------------------------------


_COLUMN_SIZES = {
    name: getattr(SearchEntry._meta.get_field(name), "max_length", 0)
    for name in ("url", "document_number", "organization_name", "topic", "category", "validity")
}


def _fit(doc: SearchDocument) -> SearchDocument:
    """Cut fields to their column sizes before anything is derived from them: the tokens
    replayed to delete a row come from the stored values and must equal the inserted ones."""
    cut = {
        name: getattr(doc, name)[:size]
        for name, size in _COLUMN_SIZES.items()
        if len(getattr(doc, name)) > size
    }
    return replace(doc, **cut) if cut else doc  # replace() costs 35 µs a document


def index_documents(docs: Iterable[SearchDocument]) -> None:
    """Add or replace documents, in the caller's transaction (or one of its own)."""
    engine = get_engine()
    with transaction.atomic():
        for batch in _batches(docs, BATCH):
            unique = list({d.key: _fit(d) for d in batch}.values())
            existing = dict(
                SearchEntry.objects.filter(key__in=[d.key for d in unique]).values_list("key", "id")
            )
            _delete_entries(engine, list(existing.values()), keep_entries=True)
            placed: list[_Placed] = []
            for doc in unique:
                parts, prepared = _prepare(doc)
                values = _entry_values(doc, prepared)
                if doc.key in existing:
                    SearchEntry.objects.filter(id=existing[doc.key]).update(**values)
                    entry_id = existing[doc.key]
                else:
                    entry_id = SearchEntry.objects.create(**values).id
                placed.append(_Placed(entry_id, doc, parts, prepared))
            _insert_parts(engine, placed)


def remove_documents(keys: Iterable[str]) -> None:
    engine = get_engine()
    with transaction.atomic():
        keys = list(keys)
        for start in range(0, len(keys), BATCH):
            ids = list(
                SearchEntry.objects.filter(key__in=keys[start : start + BATCH]).values_list(
                    "id", flat=True
                )
            )
            _delete_entries(engine, ids, keep_entries=False)


def _chunks(items: Sequence[T], size: int) -> Iterator[tuple[T, ...]]:
    for start in range(0, len(items), size):
        yield tuple(items[start : start + size])


def _send_on_commit(task: Callable[[tuple[T, ...]], object], payload: list[T]) -> None:
    def send() -> None:
        for chunk in _chunks(payload, BATCH):
            task(chunk)

    transaction.on_commit(send)


def index_on_commit(docs: Iterable[SearchDocument]) -> None:
    """Index once the caller's transaction commits, in the task queue: a task per BATCH
    documents, so one task never carries an unbounded payload."""
    from gongkai.search.tasks import index_documents_task

    # One document per key (the last), so no two chunks, which may run side by side, hold it.
    _send_on_commit(index_documents_task, list({doc.key: doc for doc in docs}.values()))


def remove_on_commit(keys: Iterable[str]) -> None:
    from gongkai.search.tasks import remove_documents_task

    _send_on_commit(remove_documents_task, list(dict.fromkeys(keys)))


def _bulk_insert(engine: Engine, docs: Iterable[SearchDocument], next_id: int) -> int:
    """Append documents with consecutive ids (a rebuild: no lookups, no deletes). The text of
    later batches is analysed in other processes while this one writes (prepare.py)."""
    columns = list(_entry_values(SearchDocument("x:0", "", "", ""), prepare("", "", [])))
    sql = (
        f"INSERT INTO {SearchEntry._meta.db_table} (id, {', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * (len(columns) + 1))})"
    )

    def batches() -> Iterator[tuple[list[tuple[SearchDocument, list[tuple[str, str]]]], Any]]:
        for batch in _batches(docs, BATCH):
            unique = [(doc, _parts(doc)) for doc in {d.key: _fit(d) for d in batch}.values()]
            yield unique, [_analysis_input(doc, parts) for doc, parts in unique]

    count = 0
    workers = worker_count(settings.SEARCH_REBUILD_WORKERS)
    with closing(prepared_batches(batches(), workers)) as prepared_docs:
        for unique, prepared in prepared_docs:
            placed = [
                _Placed(i, doc, parts, ready)
                for i, ((doc, parts), ready) in enumerate(
                    zip(unique, prepared, strict=True), start=next_id
                )
            ]
            with connection.cursor() as cursor:
                values: list[Any] = [
                    (p.entry_id, *_entry_values(p.doc, p.prepared).values()) for p in placed
                ]
                cursor.executemany(sql, values)
            _insert_parts(engine, placed)
            next_id += len(placed)
            count += len(placed)
    return count


def _reset_sequence() -> None:
    if connection.vendor == "postgresql":
        table = SearchEntry._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            )


def rebuild(docs: Iterable[SearchDocument] | None = None, *, kind: str | None = None) -> int:
    """Rebuild the index from the registered sources (or from `docs`); with `kind`, only that
    kind's documents are replaced. Returns how many documents were indexed."""
    refuse_in_worker_bootstrap()
    engine = get_engine()
    if docs is None:
        kinds = [kind] if kind else registered_kinds()
        missing = [k for k in kinds if k not in _SOURCES]
        if missing:
            raise ValueError(f"没有登记的检索来源：{', '.join(missing)}")
        docs = itertools.chain.from_iterable(_SOURCES[k]() for k in kinds)
    with transaction.atomic():
        if kind:
            ids = list(SearchEntry.objects.filter(kind=kind).values_list("id", flat=True))
            for start in range(0, len(ids), BATCH):
                _delete_entries(engine, ids[start : start + BATCH], keep_entries=False)
            next_id = (
                SearchEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
            ) + 1
            count = _bulk_insert(engine, docs, next_id)
        else:
            engine.begin_bulk()
            try:
                engine.clear()
                with connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM {DocumentNumberRef._meta.db_table}")
                    cursor.execute(f"DELETE FROM {SearchPart._meta.db_table}")
                    cursor.execute(f"DELETE FROM {SearchEntry._meta.db_table}")
                count = _bulk_insert(engine, docs, 1)
            except BaseException:
                engine.abort_bulk()
                raise
            engine.end_bulk()
        _reset_sequence()
    return count


# --- reading ---------------------------------------------------------------------------------


def _clean_filters(filters: Mapping[str, object] | None) -> dict[str, list[object]]:
    out: dict[str, list[object]] = {}
    for name, value in (filters or {}).items():
        if name not in FILTER_FIELDS:
            raise ValueError(f"未知的筛选条件：{name}")
        values = value if isinstance(value, list | tuple | set | frozenset) else [value]
        cleaned: list[object] = []
        for v in values:
            if v is None or v == "":
                continue
            cleaned.append(int(str(v)) if name in ("organization", "year") else str(v))
        if cleaned:
            out[name] = sorted(set(cleaned), key=str)
    return out


def broad_query_hits(engine: Engine) -> int:
    """Above this many matching rows a query is served newest first, unranked."""
    return int(settings.SEARCH_BROAD_QUERY_HITS) or engine.broad_query_hits


def _entry_filter_kwargs(filters: Filters) -> dict[str, object]:
    names = {"organization": "organization_id"}
    return {f"{names.get(k, k)}__in": list(v) for k, v in filters.items()}


def lookup_document_number(query: str, filters: Mapping[str, object] | None = None) -> list[int]:
    """Entry ids whose 文号 has the same normalised key as `query`, newest first (B-tree)."""
    key = docno_key(query)
    if not key:
        return []
    qs = SearchEntry.objects.filter(docno_key=key, **_entry_filter_kwargs(_clean_filters(filters)))
    return list(qs.order_by("-id").values_list("id", flat=True)[:MAX_PER_PAGE])


def _facets(entry_ids: Sequence[int]) -> tuple[dict[str, list[tuple[object, int]]], dict[int, str]]:
    # Counted with Counter over whole columns (its loop runs in C): the Python loop per row and
    # field took 17 ms per 10,000 hits.
    rows = _entry_rows(
        entry_ids, "organization_id, year, topic, category, validity, organization_name"
    )
    columns = list(zip(*rows, strict=True)) if rows else [()] * (len(FACET_FIELDS) + 1)
    facets: dict[str, list[tuple[object, int]]] = {}
    for name, column in zip(FACET_FIELDS, columns[: len(FACET_FIELDS)], strict=True):
        counter = Counter(column)
        counter.pop(None, None)
        counter.pop("", None)
        facets[name] = sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))
    names = dict(zip(columns[0], columns[-1], strict=True))
    names.pop(None, None)
    return facets, names


def _in_ids(column: str) -> str:
    """`column` is one of a bound list of ids (one parameter: `_ids_param`)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)"
    return f"{column} IN (SELECT value FROM json_each(%s))"


def _ids_param(ids: Iterable[int]) -> list[int] | str:
    return list(ids) if connection.vendor == "postgresql" else json.dumps(list(ids))


def _entry_rows(entry_ids: Sequence[int], columns: str) -> list[tuple]:
    if not entry_ids:
        return []
    table = SearchEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {table} WHERE {_in_ids('id')}", [_ids_param(entry_ids)]
        )
        return list(cursor.fetchall())


def _part_rows(
    part_ids: Iterable[int], with_text: Iterable[int]
) -> list[tuple[int, str, str, bool]]:
    """(id, label, text, plain) of parts, the text only for those in `with_text` (one query:
    the ORM's three cost more than reading the rows)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, label, CASE WHEN {_in_ids('id')} THEN text ELSE '' END, plain "
            f"FROM {SearchPart._meta.db_table} WHERE {_in_ids('id')}",
            [_ids_param(with_text), _ids_param(part_ids)],
        )
        return list(cursor.fetchall())


def _entries_newest_first(rowids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(rowid >> PART_SHIFT for rowid in rowids))


def search(
    query: str,
    *,
    filters: Mapping[str, object] | None = None,
    page: int = 1,
    per_page: int = 20,
    facets: bool = True,
) -> SearchResults:
    """Documents matching every group of `query` (each a phrase; see analysis.py) and the
    filters (field → value or list of values, OR within a field), best first."""
    phrases = parse_query(query[:MAX_QUERY_CHARS])[:MAX_QUERY_GROUPS]
    flt = _clean_filters(filters)
    page = max(1, page)
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    engine = get_engine()
    cap = broad_query_hits(engine)
    wanted = page * per_page

    docno_ids = lookup_document_number(query, flt) if looks_like_docno(query) else []
    scores: dict[int, float] = {}
    best: dict[int, int] = {}  # entry id → its best-scoring part, for the snippet
    rowids: list[int] = []
    ordered: list[int]
    facet_ids: Iterable[int]
    tail = query_tail(phrases)
    by_reference = _document_number_matches(phrases, tail, flt, cap) if tail else None
    if by_reference is not None:  # the query names a 文号: answered without the engine
        best = by_reference
        rowids = list(best.values())
        ordered = [*docno_ids, *sorted(best.keys() - set(docno_ids), reverse=True)]
        best.update({eid: best.get(eid, eid * PARTS_PER_ENTRY) for eid in docno_ids})
        total, exact, facet_ids, docno_ids = len(ordered), True, ordered, []
    elif not phrases and not flt:
        ordered = list(SearchEntry.objects.order_by("-id").values_list("id", flat=True)[: cap + 1])
        exact = len(ordered) <= cap
        total = len(ordered) if exact else cap + 1
        facet_ids = ordered if exact else ordered[: engine.facet_sample_rows]
    else:
        # The engine tells narrow from broad (a capped count, no rows sent back) before
        # scoring anything.
        limit = cap + 1
        if phrases:  # narrow: one scored pass ranks it and lists every row
            scored = engine.narrow(phrases, flt, limit)
            exact = scored is not None
            if scored is not None:
                rowids = [rowid for rowid, _ in scored]
                ordered, scores, best = _ranked(scored, wanted + len(docno_ids))
        elif exact := engine.count(phrases, flt, limit) <= cap:  # filters only: newest first
            rowids = engine.ids(phrases, flt, limit)
            ordered = _entries_newest_first(rowids)
        if exact:
            facet_ids = {rowid >> PART_SHIFT for rowid in rowids}
            total = len(facet_ids)
        else:  # broad: newest first, a lower-bound count, facets of the newest few rows
            limit = max(engine.facet_sample_rows if facets else 0, 2 * wanted + 10)
            rowids = engine.newest(phrases, flt, limit)
            ordered = _entries_newest_first(rowids)
            facet_ids = ordered[: engine.facet_sample_rows]
            while len(ordered) <= wanted and len(rowids) == limit:
                limit *= 4  # a deep page: read further down
                rowids = engine.newest(phrases, flt, limit)
                ordered = _entries_newest_first(rowids)
            total = cap + 1

    if docno_ids:  # the 文号 key column answers first; documents citing it follow
        first = set(docno_ids)
        total += len(first - set(ordered if not exact else facet_ids))
        ordered = docno_ids + [i for i in ordered if i not in first]
        facet_ids = list(dict.fromkeys([*docno_ids, *facet_ids]))

    shown = ordered[(page - 1) * per_page : wanted]
    hits = _hits(shown, rowids, best, scores, phrases)
    facet_counts, names = _facets(list(facet_ids)) if facets else ({}, {})
    return SearchResults(
        query=query,
        hits=tuple(hits),
        total=total,
        total_is_exact=exact,
        facets=facet_counts,
        page=page,
        per_page=per_page,
        organization_names=names,
    )


def _document_number_matches(
    phrases: Sequence[Phrase], tail: tuple[int, int], flt: Filters, cap: int
) -> dict[int, int] | None:
    """Entries matching a query that names a 文号 (year and number in one group), each with the
    part it matched in, or None when the 文号 is so common that the engine should answer.

    Every text matching that group holds a reference with the same year and number (see
    `document_number_tails`), so the references are the complete candidate set; each candidate
    is checked with the engines' own rule (every group a phrase in the title, the 文号 or the
    part's text). The engine would need the `号*` prefix: every token starting with 号.
    """
    refs = DocumentNumberRef.objects.filter(year=tail[0], number=tail[1])
    if flt:
        refs = refs.filter(**{f"entry__{k}": v for k, v in _entry_filter_kwargs(flt).items()})
    candidates = sorted(
        refs.values_list("entry_id", "part_id", "entry__title", "entry__document_number")[
            : cap + 1
        ],
        key=lambda c: (c[0], c[1] or 0),
    )
    if len(candidates) > cap:
        return None
    texts = dict(
        SearchPart.objects.filter(
            id__in={c[1] for c in candidates if c[1] is not None}
        ).values_list("id", "text")
    )
    named = next(p for p in phrases if tail in document_number_tails(p.text))
    heads: dict[int, tuple[list[str], list[str]]] = {}

    def matches(columns: Sequence[list[str]], among: Sequence[Phrase] = phrases) -> bool:
        return all(any(phrase_in(col, p) for col in columns) for p in among)

    found: dict[int, int] = {}
    unsure: set[int] = set()
    for eid, pid, title, number in candidates:
        if eid in found:
            continue
        if eid not in heads:
            heads[eid] = (tokens(title), tokens(number))
        if pid is not None:
            if matches([*heads[eid], tokens(texts.get(pid, ""))]):
                found[eid] = pid
        elif matches(heads[eid]):
            found[eid] = eid * PARTS_PER_ENTRY
        elif matches(heads[eid], [named]):
            unsure.add(eid)  # the 文号 is in the head; the other groups may be in any part
    for pid, eid, text in (
        SearchPart.objects.filter(entry_id__in=unsure - found.keys())
        .order_by("id")
        .values_list("id", "entry_id", "text")
    ):
        if eid not in found and matches([*heads[eid], tokens(text)]):
            found[eid] = pid
    return found


def _ranked(
    scored: Sequence[tuple[int, float]], wanted: int
) -> tuple[list[int], dict[int, float], dict[int, int]]:
    """The best `wanted` entries (ties: newest first), each with its best part's score and id.
    Only the top rows are sorted (sorting all of a narrow query's up to 20,000 rows cost more
    than the engine's scoring them)."""
    rows = [(score, rowid) for rowid, score in scored]
    k = wanted
    while True:
        order: list[int] = []
        scores: dict[int, float] = {}
        best: dict[int, int] = {}
        for score, rowid in heapq.nlargest(k, rows):
            eid = rowid >> PART_SHIFT
            if eid not in scores:
                scores[eid], best[eid] = score, rowid
                order.append(eid)
        if len(order) >= wanted or k >= len(rows):
            return order[:wanted], scores, best
        k *= 2  # several parts of one document: read further down


def _hits(
    shown: Sequence[int],
    rowids: Sequence[int],
    best: Mapping[int, int],
    scores: Mapping[int, float],
    phrases: Sequence[Phrase],
) -> list[Hit]:
    if not shown:
        return []
    wanted = set(shown)
    part_ids: dict[int, list[int]] = defaultdict(list)
    for rowid in rowids:
        if rowid >> PART_SHIFT in wanted:
            part_ids[rowid >> PART_SHIFT].append(rowid)
    snippet_part = {
        eid: best.get(eid) or (part_ids[eid] or [eid * PARTS_PER_ENTRY])[-1] for eid in shown
    }
    # Only the snippet parts' text is read; the other matched parts give just their labels.
    with_text = set(snippet_part.values())
    matched = set().union(*part_ids.values())
    texts: dict[int, tuple[str, bool]] = {}
    labels_of: dict[int, str] = {}
    for pid, label, text, plain in _part_rows(with_text | matched, with_text):
        if pid in with_text:
            texts[pid] = (text, bool(plain))
        if label and pid in matched:
            labels_of[pid] = label
    columns = "id, key, title, url, organization_name, published_on, document_number, heads_plain"
    entries = {row[0]: row for row in _entry_rows(shown, columns)}
    hits = []
    for eid in shown:
        if eid not in entries:
            continue
        _, key, title, url, org_name, published_on, document_number, heads_plain = entries[eid]
        text, plain = texts.get(snippet_part[eid], ("", True))
        labels = {labels_of[pid] for pid in part_ids[eid] if pid in labels_of}
        hits.append(
            Hit(
                key=key,
                title=title,
                url=url,
                organization_name=org_name,
                published_on=published_on,
                document_number=document_number,
                snippet=snippet(text, phrases, plain=plain),
                title_html=highlight(title, phrases, plain=bool(heads_plain)),
                document_number_html=highlight(document_number, phrases, plain=bool(heads_plain)),
                chunk_labels=tuple(sorted(labels)),
                score=scores.get(eid, 0.0),
            )
        )
    return hits
