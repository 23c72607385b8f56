"""Every setting comes from one environment variable, declared here with its help text.

`config()` records each declaration, so docs/operations.md is generated from the same list
that the settings module reads (`gongkai envdoc`) and a test keeps the two in step.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

T = TypeVar("T")


@dataclass(frozen=True)
class Declared:
    name: str
    default: Any
    help_text: str
    group: str


DECLARED: dict[str, Declared] = {}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    pass


def _as_bool(raw: str) -> bool:
    low = raw.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ConfigError(f"not a yes/no value: {raw!r}")


def _as_list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


def config(name: str, default: T, help_text: str, group: str = "General") -> T:
    """Read `name` from the environment, cast to the type of `default`."""
    DECLARED[name] = Declared(name, default, help_text, group)
    raw = os.environ.get(name)
    if raw is None:
        return default
    convert: Callable[[str], Any]
    if isinstance(default, bool):
        convert = _as_bool
    elif isinstance(default, int):
        convert = int
    elif isinstance(default, list):
        convert = _as_list
    else:
        convert = str
    try:
        return cast(T, convert(raw))
    except ValueError as exc:
        raise ConfigError(f"{name}: {exc}") from exc


def render_markdown() -> str:
    """The operator's table of every setting, grouped, for docs/operations.md."""
    lines: list[str] = []
    groups: dict[str, list[Declared]] = {}
    for item in DECLARED.values():
        groups.setdefault(item.group, []).append(item)
    for group, items in groups.items():
        lines += [f"### {group}", "", "| variable | default | meaning |", "|---|---|---|"]
        for item in items:
            default = item.default
            if isinstance(default, list):
                default = ",".join(default)
            shown = f"`{default}`" if default not in ("", None) else "(empty)"
            lines.append(f"| `{item.name}` | {shown} | {item.help_text} |")
        lines.append("")
    return "\n".join(lines)
