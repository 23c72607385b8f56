"""Every setting is documented for operators (issue: settings documented in docs/operations.md)."""

from __future__ import annotations

from pathlib import Path

from gongkai.conf.env import DECLARED
from gongkai.core.management.commands.envdoc import with_settings_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def test_operations_doc_lists_current_settings() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert with_settings_table(text) == text, "run `make docs` to regenerate the settings table"
    for name in DECLARED:
        assert f"`{name}`" in text
