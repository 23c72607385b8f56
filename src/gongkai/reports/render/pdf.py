"""The report as PDF, printed by WeasyPrint from the standalone HTML document.

WeasyPrint is imported on first use: a server without it (or without Pango, which it loads
when imported) still starts, and asking for a PDF raises `RenderUnavailable`. Fonts come from
the system; the print CSS names 仿宋/黑体 first and falls back to Noto CJK.
"""

from __future__ import annotations

from typing import Any

from gongkai.reports.render import RenderUnavailable
from gongkai.reports.render.html import render_html
from gongkai.reports.structure import StatutoryReport


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango or another system library missing
        raise RenderUnavailable(
            f"无法生成 PDF：服务器未安装 WeasyPrint 或其所需的系统库（Pango 等）。（{exc}）"
        ) from exc
    return weasyprint


def render_pdf(report: StatutoryReport) -> bytes:
    weasyprint = _weasyprint()
    options: dict[str, Any] = {}
    if "pdf_tags" in getattr(weasyprint, "DEFAULT_OPTIONS", {}):
        options["pdf_tags"] = True  # a tagged PDF: headings and table structure for readers
    document = weasyprint.HTML(string=render_html(report, standalone=True))
    pdf = document.write_pdf(**options)
    if not isinstance(pdf, bytes):  # pragma: no cover - only when writing to a target
        raise RenderUnavailable("无法生成 PDF：WeasyPrint 未返回文件内容。")
    return pdf
