"""gongkai search reindex [--kind K] | status | query "..." [--organization N ...]"""

from __future__ import annotations

import html
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.search import api
from gongkai.search.engines import get_engine
from gongkai.search.models import SearchEntry
from gongkai.search.prepare import PoolFailed
from gongkai.search.status import index_status, size_advice


def _plain(snippet: str) -> str:
    """The HTML snippet for a terminal: matches in 【】."""
    return html.unescape(snippet.replace("<mark>", "【").replace("</mark>", "】"))


class Command(BaseCommand):
    help = "全文检索：重建索引，或在命令行中检索。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reindex = sub.add_parser("reindex", help="从登记的来源重建检索索引")
        reindex.add_argument("--kind", help="只重建这一类（如 publication）")
        sub.add_parser("status", help="检索索引的规模、待写入的更改和运维建议")
        query = sub.add_parser("query", help="检索并列出结果")
        query.add_argument("text", help="检索词，空格分隔的多个词须同时出现")
        query.add_argument("--organization", type=int, help="发布机构编号")
        query.add_argument("--year", type=int, help="年份")
        query.add_argument("--category", help="第二十条类别代码")
        query.add_argument("--topic", help="主题分类代码")
        query.add_argument("--validity", help="有效性代码")
        query.add_argument("--page", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "reindex":
            self._reindex(options["kind"])
        elif options["action"] == "status":
            self._status()
        else:
            self._query(options)

    def _reindex(self, kind: str | None) -> None:
        if kind is None and not api.registered_kinds():
            raise CommandError("没有登记任何检索来源，无可重建。")
        start = time.perf_counter()
        try:
            count = api.rebuild(kind=kind)
        except (ValueError, PoolFailed) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已索引 {count} 篇，用时 {time.perf_counter() - start:.1f} 秒。")
        advice = size_advice(get_engine(), SearchEntry.objects.count())
        if advice:
            self.stdout.write(self.style.WARNING(advice))

    def _status(self) -> None:
        status = index_status()
        self.stdout.write(f"检索引擎：{status.engine}")
        self.stdout.write(f"已索引：{status.documents} 篇，{status.parts} 个片段")
        self.stdout.write(f"索引大小：{status.size_bytes / 1e6:,.1f} MB")
        if status.pending:
            self.stdout.write(f"待写入索引：{status.pending} 条")
        for advice in status.advice:
            self.stdout.write(self.style.WARNING(f"建议：{advice}"))
        if not status.advice:
            self.stdout.write(self.style.SUCCESS("无需处理。"))

    def _query(self, options: dict[str, Any]) -> None:
        filters = {
            name: options[name]
            for name in ("organization", "year", "category", "topic", "validity")
            if options[name] is not None
        }
        start = time.perf_counter()
        results = api.search(options["text"], filters=filters, page=options["page"])
        elapsed = (time.perf_counter() - start) * 1000
        about = "" if results.total_is_exact else "超过 "
        self.stdout.write(f"共 {about}{results.total} 篇（{elapsed:.0f} 毫秒）")
        for hit in results.hits:
            number = f" {hit.document_number}" if hit.document_number else ""
            self.stdout.write(f"- {hit.title}{number} {hit.published_on or ''} {hit.url}")
            self.stdout.write(f"  {_plain(hit.snippet)}")
            if hit.chunk_labels:
                self.stdout.write(f"  附件命中：{'、'.join(hit.chunk_labels)}")
