"""Django's {# … #} comment ends at the line's end: one that spans lines is printed to the
reader as text. Every template's comments must close on their own line."""

from __future__ import annotations

import re
from pathlib import Path

import gongkai

TEMPLATES = sorted(Path(gongkai.__file__).parent.glob("**/templates/**/*.html"))


def test_there_are_templates_to_check() -> None:
    assert len(TEMPLATES) > 50


def test_no_one_line_comment_runs_onto_the_next_line() -> None:
    open_comment = re.compile(r"\{#(?!.*?#\})")
    leaking = [
        f"{path.relative_to(Path(gongkai.__file__).parent)}:{number}"
        for path in TEMPLATES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if open_comment.search(line)
    ]
    assert leaking == []
