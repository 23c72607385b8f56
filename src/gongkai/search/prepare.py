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
from concurrent.futures.process import BrokenProcessPool
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
    """A document's title and 文号 analysed once (the entry row and every part use them),
    and each part's text."""

    docno: str  # normalised: the entry's 文号 key is cut from it
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
        docno_norm,
        title_plain and docno_plain,
        " ".join(normalized_tokens(title_norm)),
        " ".join(normalized_tokens(docno_norm)),
        sorted(document_number_tails(title_norm) | document_number_tails(docno_norm)),
        parts,
    )


def _prepare_batch(items: list[tuple[str, str, list[str]]]) -> list[Prepared]:
    return [prepare(*item) for item in items]


class PoolFailed(RuntimeError):
    """A worker process died or could not start; the rebuild is rolled back."""


def worker_count(setting: str, cpus: int | None = None) -> int:
    """GONGKAI_SEARCH_REBUILD_WORKERS: `auto` leaves one of the CPUs this process may use to
    the writes (the engine's own threads use part of it), but starts at least one worker;
    0 prepares in the rebuilding process itself."""
    if setting.strip().lower() == "auto":
        return max(1, min(MAX_WORKERS, (cpus or _usable_cpus()) - 1))
    try:
        count = int(setting)
    except ValueError:
        count = -1
    if count < 0:
        raise ValueError(
            f"GONGKAI_SEARCH_REBUILD_WORKERS 应为 auto 或不小于 0 的整数，现为：{setting}"
        )
    return count


def _usable_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):  # the CPUs this process may run on, not the host's
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def refuse_in_worker_bootstrap() -> None:
    """A worker starts by importing the main module of the rebuilding process. If that module
    runs a rebuild at import (a script without `if __name__ == "__main__":`), the worker would
    start a second rebuild that waits on the first one's locks, and both would wait forever."""
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        raise RuntimeError(
            "检索重建的分析进程正在导入主模块：调用重建的脚本须放在 if __name__ == '__main__': 之下。"
        )


def prepared_batches(
    batches: Iterable[tuple[T, list[tuple[str, str, list[str]]]]], workers: int
) -> Generator[tuple[T, list[Prepared]], None, None]:
    """Each batch (tagged with what the caller needs back) with its documents prepared, in
    order. With workers, a pool starts once there is a second batch (a small rebuild never
    pays for starting processes) and keeps at most workers + 1 batches in flight, so memory
    stays bounded however many documents there are."""
    it = iter(batches)
    head = list(itertools.islice(it, 2))
    # A daemonic process (a worker of some pool) may not start children of its own.
    daemonic = multiprocessing.current_process().daemon
    small = workers == 0 or len(head) < 2 or daemonic
    it = itertools.chain(head, it)
    del head  # the batches are held by the pending queue alone
    if small:
        for tag, items in it:
            yield tag, _prepare_batch(items)
        return
    # spawn: the caller may hold threads (tantivy's writer) that a fork would copy mid-state.
    context = multiprocessing.get_context("spawn")
    pending: deque[tuple[T, Future[list[Prepared]]]] = deque()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        try:
            for tag, items in it:
                pending.append((tag, pool.submit(_prepare_batch, items)))
                if len(pending) > workers:
                    yield _result(pending.popleft())
            while pending:
                yield _result(pending.popleft())
        finally:
            for _, future in pending:
                future.cancel()


def _result(item: tuple[T, Future[list[Prepared]]]) -> tuple[T, list[Prepared]]:
    tag, future = item
    try:
        return tag, future.result()
    except BrokenProcessPool as exc:
        raise PoolFailed(
            "检索重建的分析进程意外退出，索引未作改动。可查看其错误输出，"
            "或设置 GONGKAI_SEARCH_REBUILD_WORKERS=0 在本进程内分析后重试。"
        ) from exc
