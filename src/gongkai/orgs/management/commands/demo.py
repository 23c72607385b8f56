from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongkai.catalogs.demo import build_demo_catalogs
from gongkai.inforequests.demo import build_demo_requests
from gongkai.orgs.demo import build_demo_district
from gongkai.orgs.models import Organization
from gongkai.publications.demo import build_demo_publications
from gongkai.reports.demo import build_demo_reports
from gongkai.search import api as search_api


class Command(BaseCommand):
    help = "建立演示用的临江区（区政府、委办局、街道镇和各岗位人员），打印并保存初始密码。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="数据库中已有机关时什么也不做（make run 使用）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Organization.objects.exists():
            if options["if_empty"]:
                self.stdout.write("数据库中已有机关，跳过演示数据。")
                return
            raise CommandError("数据库中已有机关；演示数据只能建在空数据库中。")
        accounts = build_demo_district()
        requests = build_demo_requests(timezone.localdate())
        publications = build_demo_publications(timezone.localdate())
        build_demo_catalogs(timezone.localdate())
        build_demo_reports(timezone.localdate())
        # The demo writes publications in bulk, past the save signal that indexes them.
        indexed = search_api.rebuild()
        path = settings.DATA_DIR / "demo-accounts.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = ["# 临江区演示账号（账号\t初始密码\t姓名\t岗位）"]
        lines += [f"{a.username}\t{a.password}\t{a.full_name}\t{a.description}" for a in accounts]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        path.chmod(0o600)
        self.stdout.write(
            f"已建立演示区：{Organization.objects.count()} 个机关，{len(accounts)} 个账号，"
            f"{requests} 件政府信息公开申请，{publications} 条主动公开政府信息"
            f"（全文检索索引 {indexed} 条）。"
        )
        for a in accounts:
            if "." not in a.username or a.username.startswith(("gov.", "jyj.", "ljjd.")):
                self.stdout.write(f"  {a.username:<16} {a.password}  {a.description}")
        self.stdout.write(f"全部账号和密码已写入 {path}（仅本机可读），只显示这一次。")
