from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkai.core.crypto import DecryptionError, field_keys, new_master_key


class Command(BaseCommand):
    help = (
        "生成一个新的个人信息加密主密钥（GONGKAI_FIELD_KEY 的值）；rotate：更换密钥后，"
        "把仍由旧密钥（GONGKAI_FIELD_KEY_PREVIOUS）加密的个人信息改用新密钥重新加密。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", nargs="?", choices=["new", "rotate"], default="new")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "new":
            self.stdout.write(new_master_key())
            return
        from gongkai.core.key_rotation import rotate_field_key

        if field_keys().development:
            raise CommandError(
                "未设置 GONGKAI_FIELD_KEY：请先配置新密钥，并把旧密钥写入 GONGKAI_FIELD_KEY_PREVIOUS。"
            )
        try:
            changed = rotate_field_key()
        except DecryptionError as exc:
            raise CommandError(
                f"有数据无法解密（{exc}）：请把加密它的旧密钥写入 GONGKAI_FIELD_KEY_PREVIOUS。"
            ) from exc
        for label, rows in changed.items():
            self.stdout.write(f"{label}：重新加密 {rows} 行")
        self.stdout.write(
            f"完成。现用密钥编号 {field_keys().key_id}；可以删除 GONGKAI_FIELD_KEY_PREVIOUS。"
        )
