"""主题分类: the 22-class topic tree of the State Council policy library (RULES.md §5.4).

The tree is a code list in `data/topics.json` (two digits per level: "10" 城乡建设、环境保护,
"1003" 环境监测、保护与治理), not model choices, so that a locality can extend it without a
migration. A publication stores the code of a class or of a sub-class.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DATA_FILE = Path(__file__).resolve().parent / "data" / "topics.json"


@dataclass(frozen=True)
class Topic:
    code: str
    name: str
    parent: str = ""  # code of the top-level class; "" for a top-level class

    @property
    def label(self) -> str:
        """ "一级\\二级" as printed in gov.cn page metadata."""
        if not self.parent:
            return self.name
        return f"{topics()[self.parent].name}\\{self.name}"


@lru_cache(maxsize=1)
def topics() -> dict[str, Topic]:
    """Every class and sub-class by code, in the order of the tree."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    out: dict[str, Topic] = {}
    for top in data["topics"]:
        out[top["code"]] = Topic(top["code"], top["name"])
        for child in top["children"]:
            out[child["code"]] = Topic(child["code"], child["name"], top["code"])
    return out


def top_level() -> list[Topic]:
    return [t for t in topics().values() if not t.parent]


def topic_label(code: str) -> str:
    topic = topics().get(code)
    return topic.label if topic else code


def topic_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a select: each class, then its sub-classes."""
    groups = []
    for top in top_level():
        children = [(t.code, t.name) for t in topics().values() if t.parent == top.code]
        groups.append((top.name, [(top.code, top.name), *children]))
    return groups


def topic_codes_under(code: str) -> list[str]:
    """A class and all its sub-classes (for filters: "城乡建设、环境保护" finds its children)."""
    return [t.code for t in topics().values() if t.code == code or t.parent == code]


def validate_topic(value: str) -> None:
    if value and value not in topics():
        raise ValidationError(_("主题分类代码无效：%(code)s"), params={"code": value})
