"""What an operator needs to know about the search index: `gongkai search status`.

The advice is what the measurements say (docs/decisions/0008): past a size an engine no
longer answers inside the issue's targets, entries left pending mean the task worker is not
writing, and parts indexed before the plain-text flag make every snippet pay for normalising.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Min
from django.utils import timezone

from gongkai.search.engines import Engine, get_engine
from gongkai.search.models import PendingIndexChange, SearchEntry, SearchPart

ENGINE_LABELS = {
    "sqlite": "SQLite FTS5",
    "postgresql": "PostgreSQL 全文检索",
    "tantivy": "tantivy",
}


@dataclass(frozen=True)
class IndexStatus:
    engine: str
    documents: int
    parts: int
    size_bytes: int
    pending: int
    pending_since: datetime | None
    unflagged_parts: int
    advice: list[str] = field(default_factory=list)


def size_advice(engine: Engine, documents: int) -> str | None:
    """Advice when `documents` is past the size the engine was measured to serve in time."""
    limit = engine.suggested_max_documents
    if limit is None or documents <= limit:
        return None
    return (
        f"已索引 {documents} 篇，超过 {ENGINE_LABELS.get(engine.name, engine.name)} 建议的规模"
        f"（约 {limit} 篇），检索会明显变慢。"
        "单节点部署建议改用 tantivy：安装 gongkai[tantivy]，设置 GONGKAI_SEARCH_BACKEND=tantivy，"
        "再运行 gongkai search reindex；多个 Web 节点请使用 PostgreSQL。"
    )


# The recovery task runs every 5 minutes and rewrites entries pending for over a minute: an
# entry older than this was missed by it, so the task worker is most likely not running.
STALE_AFTER = timedelta(minutes=10)


def index_status() -> IndexStatus:
    engine = get_engine()
    documents = SearchEntry.objects.count()
    queued = PendingIndexChange.objects.aggregate(n=Count("pk"), since=Min("created_at"))
    pending, pending_count = queued["since"], queued["n"]
    unflagged = SearchPart.objects.filter(plain__isnull=True).count()
    advice = [a for a in [size_advice(engine, documents)] if a]
    if pending and timezone.now() - pending > STALE_AFTER:
        advice.append(
            f"有 {pending_count} 条索引更改尚未写入索引（最早的在 "
            f"{timezone.localtime(pending):%Y-%m-%d %H:%M}）。请确认任务进程在运行：它每 5 分钟"
            "把滞留的更改从已存的文本重新写入。"
        )
    if unflagged:
        advice.append(
            f"有 {unflagged} 个片段是旧版本索引的，显示摘要时要逐次规范化文本；"
            "运行 gongkai search reindex 后摘要更快。"
        )
    return IndexStatus(
        engine=ENGINE_LABELS.get(engine.name, engine.name),
        documents=documents,
        parts=SearchPart.objects.count(),
        size_bytes=engine.size_bytes(),
        pending=pending_count,
        pending_since=pending,
        unflagged_parts=unflagged,
        advice=advice,
    )
