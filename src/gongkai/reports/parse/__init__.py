"""Read a published annual report (HTML, DOCX, Markdown, plain text from PDF) into a
`StatutoryReport`, with notes about what could not be read cleanly.

    result = parse_file(Path("2024_pingtan.html"))
    result.report, result.notes
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gongkai.reports.findings import Finding
from gongkai.reports.structure import StatutoryReport


class UnreadableReport(Exception):
    """The file cannot be read as a report at all (wrong type, not text, empty)."""


@dataclass
class ParseResult:
    report: StatutoryReport
    notes: list[Finding] = field(default_factory=list)  # extraction problems, as findings
    detected_format: str = ""  # "html", "docx", "markdown", "text"


def read_text(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableReport(f"无法识别文件编码：{path.name}")


def parse_file(path: Path) -> ParseResult:
    """Dispatch on content, not only on the file name."""
    if not path.is_file():
        raise UnreadableReport(f"文件不存在：{path}")
    if path.suffix.lower() == ".docx":
        from gongkai.reports.parse.docx import parse_docx

        return parse_docx(path)
    text = read_text(path)
    if not text.strip():
        raise UnreadableReport(f"文件为空：{path.name}")
    head = text[:5000].lower()
    if "<table" in head or "<p" in head or "<html" in head or "<div" in head:
        from gongkai.reports.parse.html import parse_html

        return parse_html(text, source=path.name)
    from gongkai.reports.parse.text import parse_text

    return parse_text(text, source=path.name)
