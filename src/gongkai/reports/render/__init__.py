"""Output formats of a `StatutoryReport`: HTML in the official layout, CSV, JSON, PDF, DOCX.

    RENDERERS["csv"](report)  # str or bytes, as the format naturally is
    render(report, "pdf")     # always bytes, ready to send or write to a file

PDF needs WeasyPrint and its system libraries, DOCX needs python-docx; both are imported only
when used, and raise `RenderUnavailable` (with a message fit to show) when they cannot work.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from gongkai.reports.render.csv import render_csv
from gongkai.reports.render.html import render_html
from gongkai.reports.structure import StatutoryReport


class RenderUnavailable(RuntimeError):
    """A format cannot be produced on this server (a library or system package is missing)."""


def render_json(report: StatutoryReport) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2)


def render_html_document(report: StatutoryReport) -> str:
    """A whole HTML document (what a download should be), not a fragment for a page."""
    return render_html(report, standalone=True)


def render_pdf(report: StatutoryReport) -> bytes:
    from gongkai.reports.render.pdf import render_pdf as render

    return render(report)


def render_docx(report: StatutoryReport) -> bytes:
    try:
        from gongkai.reports.render.docx import render_docx as render
    except ModuleNotFoundError as exc:
        if exc.name not in ("gongkai.reports.render.docx", "docx"):
            raise
        raise RenderUnavailable("无法生成 Word 文档：DOCX 导出组件不可用。") from exc
    return render(report)


Renderer = Callable[[StatutoryReport], str | bytes]
RENDERERS: dict[str, Renderer] = {
    "html": render_html_document,
    "csv": render_csv,
    "json": render_json,
    "pdf": render_pdf,
    "docx": render_docx,
}
MEDIA_TYPES: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
BOM = "\ufeff"


def render(report: StatutoryReport, fmt: str) -> bytes:
    """The report in `fmt` as bytes. Text is UTF-8; CSV starts with a byte-order mark so that
    Excel reads it as UTF-8."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"不支持的导出格式：{fmt}") from None
    output = renderer(report)
    if isinstance(output, bytes):
        return output
    if fmt == "csv":
        output = BOM + output
    return output.encode("utf-8")


__all__ = [
    "MEDIA_TYPES",
    "RENDERERS",
    "RenderUnavailable",
    "render",
    "render_csv",
    "render_html",
    "render_json",
    "render_pdf",
]
