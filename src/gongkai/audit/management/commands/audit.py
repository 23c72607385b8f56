from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.audit.chain import verify
from gongkai.audit.models import AuditEvent


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链，发现被修改或删除的记录。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        rows = AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
        breaks = verify(rows)
        count = AuditEvent.objects.count()
        if not breaks:
            self.stdout.write(f"审计日志完整：{count} 条记录，哈希链无断点。")
            return
        for br in breaks:
            self.stderr.write(f"第 {br.event_id} 条：{br.problem}")
        self.stderr.write(f"发现 {len(breaks)} 处问题（共 {count} 条记录）。")
        sys.exit(1)
