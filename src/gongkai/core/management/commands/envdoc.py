from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.conf.env import render_markdown

START, END = "<!-- settings:start -->", "<!-- settings:end -->"


def with_settings_table(document: str) -> str:
    """Replace the generated part of docs/operations.md with the current table."""
    head, _, rest = document.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{render_markdown()}{END}{tail}"


class Command(BaseCommand):
    help = "打印全部环境变量设置及其说明；--write 文件 则更新该文件中的设置表。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write", metavar="FILE", help="update the table in this file")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["write"]:
            path = Path(options["write"])
            path.write_text(with_settings_table(path.read_text(encoding="utf-8")), encoding="utf-8")
            return
        self.stdout.write(render_markdown())
