"""What the validator and the parser say about a report."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from typing import Any


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str  # stable identifier, e.g. "table3.balance"
    message: str  # Chinese, for the officer or the supervising office
    # Where: "table3.received.natural_person", "table4.reconsideration_total", "section.other",
    # "title" — empty when it concerns the whole report.
    location: str = ""

    def to_json(self) -> dict[str, Any]:
        return {k: str(v) for k, v in asdict(self).items()}


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == Severity.ERROR for f in findings)
