"""Checking a published report file: parse, validate, summarise (used by the CLI and the console)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.reports.findings import Finding, Severity, has_errors
from gongkai.reports.parse import ParseResult, UnreadableReport, parse_file
from gongkai.reports.validate import validate

REPORT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx"}


@dataclass
class CheckResult:
    path: Path
    parsed: ParseResult | None = None
    findings: list[Finding] = field(default_factory=list)
    unreadable: str = ""

    @property
    def has_errors(self) -> bool:
        return has_errors(self.findings)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.path.name,
            "detected_format": self.parsed.detected_format if self.parsed else None,
            "report": self.parsed.report.to_json() if self.parsed else None,
            "findings": [f.to_json() for f in self.findings],
            "unreadable": self.unreadable or None,
        }


def check_file(path: Path) -> CheckResult:
    try:
        parsed = parse_file(path)
    except UnreadableReport as exc:
        return CheckResult(path=path, unreadable=str(exc))
    findings = [*parsed.notes, *validate(parsed.report)]
    return CheckResult(path=path, parsed=parsed, findings=findings)


def report_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
    )
