"""The hash chain over audit events (等保2.0 8.1.4.7 b: tampering with stored audit data must
be detectable). SHA-256 over a canonical JSON form of the row plus the previous row's hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

HASHED_FIELDS = (
    "created_at",
    "actor_id",
    "actor_name",
    "organization_id",
    "verb",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "outcome",
    "reason",
    "ip",
)


def _canonical(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat(timespec="microseconds")
    return value


def event_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = {name: _canonical(fields.get(name)) for name in HASHED_FIELDS}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256((prev_hash + "\n" + text).encode()).hexdigest()


@dataclass(frozen=True)
class Break:
    event_id: int
    problem: str


def verify(rows: Iterable[Any]) -> list[Break]:
    """Check rows in id order. The first row's prev_hash is taken as the anchor."""
    breaks: list[Break] = []
    previous: str | None = None
    for row in rows:
        if previous is not None and row.prev_hash != previous:
            breaks.append(Break(row.id, "与上一条记录的链接断开（记录被删除或插入）"))
        fields = {name: getattr(row, name) for name in HASHED_FIELDS}
        if event_hash(row.prev_hash, fields) != row.hash:
            breaks.append(Break(row.id, "内容与哈希不符（记录被修改）"))
        previous = row.hash
    return breaks
