from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.core.crypto import new_master_key


class Command(BaseCommand):
    help = "生成一个新的个人信息加密主密钥（GONGKAI_FIELD_KEY 的值）。"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(new_master_key())
