"""The report as PDF (WeasyPrint from the standalone HTML document). Text checks read the PDF
back with pdftotext (poppler-utils) when the machine has it."""

from __future__ import annotations

import builtins
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gongkai.reports.formats import OUTCOME_TOTAL, RECEIVED, TOTAL
from gongkai.reports.parse import parse_file
from gongkai.reports.render import RENDERERS, RenderUnavailable, render
from gongkai.reports.render.pdf import render_pdf
from gongkai.reports.structure import StatutoryReport

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reports"


def pdf_or_skip(report: StatutoryReport) -> bytes:
    try:
        return render_pdf(report)
    except RenderUnavailable as exc:
        pytest.skip(f"WeasyPrint is not usable here: {exc}")


@pytest.fixture(scope="module", params=["2024_pingtan.html", "2019_shanghai-bangongting.html"])
def rendered(request: pytest.FixtureRequest) -> tuple[StatutoryReport, bytes]:
    report = parse_file(FIXTURES / request.param).report
    return report, pdf_or_skip(report)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext (poppler-utils) is not installed, so the PDF text cannot be read")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(  # noqa: S603 - a fixed local tool on a file we wrote
        [tool, "-enc", "UTF-8", "-layout", str(path), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout.decode("utf-8")


def test_pdf_is_a_pdf(rendered: tuple[StatutoryReport, bytes]) -> None:
    _, pdf = rendered
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert len(pdf) > 10_000


def test_pdf_text(rendered: tuple[StatutoryReport, bytes], tmp_path: Path) -> None:
    report, pdf = rendered
    text = pdf_text(pdf, tmp_path)
    assert "政府信息公开" in text
    joined = "".join(text.split())  # lines wrap where the page does
    assert report.title in joined
    for title in ("一、总体情况", "三、收到和处理政府信息公开申请情况", "六、其他需要报告的事项"):
        assert title in joined, title
    received = report.cell(RECEIVED, TOTAL)
    outcome_total = report.cell(OUTCOME_TOTAL, TOTAL)
    assert received is not None and outcome_total is not None
    numbers = text.split()
    assert str(received) in numbers
    assert str(outcome_total) in numbers
    assert "申请人情况" in text and "行政诉讼" in text


def test_pdf_is_a4_and_titled(rendered: tuple[StatutoryReport, bytes], tmp_path: Path) -> None:
    tool = shutil.which("pdfinfo")
    if tool is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed, so the page size cannot be read")
    report, pdf = rendered
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(  # noqa: S603 - a fixed local tool on a file we wrote
        [tool, str(path)], capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")
    assert "(A4)" in info
    assert report.title in info


def test_render_returns_the_pdf_bytes() -> None:
    report = StatutoryReport.empty(2024, "某某县人民政府")
    pdf = pdf_or_skip(report)
    assert pdf.startswith(b"%PDF")
    assert render(report, "pdf").startswith(b"%PDF")
    assert RENDERERS["pdf"](report)[:4] == b"%PDF"


def test_missing_weasyprint_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_weasyprint(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    with pytest.raises(RenderUnavailable, match="PDF") as caught:
        render(StatutoryReport.empty(2024, "某某县人民政府"), "pdf")
    assert "WeasyPrint" in str(caught.value) and "无法生成" in str(caught.value)
