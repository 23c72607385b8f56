from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from gongkai.core.crypto import require_production_key


class Command(BaseCommand):
    help = "在一个终端里同时运行网站（门户和工作台）与后台任务进程，供单机使用。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        require_production_key()
        worker = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "run_huey"])
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
