"""What indexing computes from a document's text before it writes anything, and a pool of
processes that computes it for a rebuild while the rebuild writes.

Normalising and cutting text into tokens is pure Python and holds the GIL; it is about two
thirds of a rebuild's own work. In processes of their own it runs beside the database and
engine writes of the batches before, which is what lets a rebuild use more than one core
(bench/search.py). Only strings cross between the processes: this module imports nothing that
needs Django.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Generator, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import NamedTuple, TypeVar

from gongkai.search.analysis import (
    document_number_tails,
    normalize_checked,
    normalized_tokens,
)

T = TypeVar("T")
MAX_WORKERS = 4


class PreparedPart(NamedTuple):
    plain: bool  # analysis.normalize_checked
    # The tokens joined by spaces (engines.Row): a single string also crosses between
    # processes many times faster than a list of hundreds of two-character ones.
    token_text: str
    tails: list[tuple[int, int]]  # 文号 (year, number) found in the part


class Prepared(NamedTuple):
    """A document's title and 文号 normalised once (the entry row and every part use them),
    their tokens, and each part's."""

    title: str
    docno: str
    heads_plain: bool
    title_token_text: str
    docno_token_text: str
    head_tails: list[tuple[int, int]]
    parts: list[PreparedPart]


def prepare(title: str, docno: str, texts: Sequence[str]) -> Prepared:
    title_norm, _, title_plain = normalize_checked(title)
    docno_norm, _, docno_plain = normalize_checked(docno)
    parts = []
    for text in texts:
        norm, _, plain = normalize_checked(text)
        tails = sorted(document_number_tails(norm))
        parts.append(PreparedPart(plain, " ".join(normalized_tokens(norm)), tails))
    return Prepared(
        title_norm,
        docno_norm,
        title_plain and docno_plain,
        " ".join(normalized_tokens(title_norm)),
        " ".join(normalized_tokens(docno_norm)),
        sorted(document_number_tails(title_norm) | document_number_tails(docno_norm)),
        parts,
    )


def _prepare_batch(items: list[tuple[str, str, list[str]]]) -> list[Prepared]:
    return [prepare(*item) for item in items]


def worker_count(setting: str, cpus: int | None = None) -> int:
    """GONGKAI_SEARCH_REBUILD_WORKERS: `auto` leaves one CPU to the writes (the engine's own
    threads use part of it); 0 prepares in the rebuilding process itself."""
    if setting.strip().lower() == "auto":
        return max(1, min(MAX_WORKERS, (cpus or os.cpu_count() or 1) - 1))
    count = int(setting)
    if count < 0:
        raise ValueError(f"GONGKAI_SEARCH_REBUILD_WORKERS 不能为负数：{setting}")
    return count


def prepared_batches(
    batches: Iterable[tuple[T, list[tuple[str, str, list[str]]]]], workers: int
) -> Generator[tuple[T, list[Prepared]], None, None]:
    """Each batch (tagged with what the caller needs back) with its documents prepared, in
    order. With workers, a pool starts once there is a second batch (a small rebuild never
    pays for starting processes) and keeps at most workers + 1 batches in flight, so memory
    stays bounded however many documents there are."""
    it = iter(batches)
    head = list(itertools.islice(it, 2))
    if workers == 0 or len(head) < 2:
        for tag, items in itertools.chain(head, it):
            yield tag, _prepare_batch(items)
        return
    # spawn: the caller may hold threads (tantivy's writer) that a fork would copy mid-state.
    context = multiprocessing.get_context("spawn")
    pending: deque[tuple[T, Future[list[Prepared]]]] = deque()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        try:
            for tag, items in itertools.chain(head, it):
                pending.append((tag, pool.submit(_prepare_batch, items)))
                if len(pending) > workers:
                    done, future = pending.popleft()
                    yield done, future.result()
            while pending:
                done, future = pending.popleft()
                yield done, future.result()
        finally:
            for _, future in pending:
                future.cancel()
