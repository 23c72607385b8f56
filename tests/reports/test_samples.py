"""Every real report in tests/fixtures/reports parses, and the checker's findings agree with the
consistency notes in tests/fixtures/reports/SOURCES.md (issue: checker for published reports)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.reports.check import check_file, report_files
from gongkai.reports.findings import Severity

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
SAMPLES = [p for p in report_files(FIXTURES) if p.name != "SOURCES.md"]
ARITHMETIC = {"table3.balance", "table3.outcome_sum", "table3.total_column", "table4.total"}

# file → (year, format version, arithmetic finding codes that SOURCES.md says must appear)
EXPECTED: dict[str, tuple[int, str, set[str]]] = {
    "2017_binjiang.txt": (2017, "2019", set()),
    "2018_pingtan.txt": (2018, "2019", set()),
    "2019_shanghai-bangongting.html": (2019, "2019", set()),
    "2019_yancheng_traditional.txt": (2019, "2019", set()),
    # The published outcome rows add up to 26 / 27, but （七）总计 says 20 / 21.
    "2020_pingtan.txt": (2020, "2019", {"table3.outcome_sum"}),
    "2021_pingtan.txt": (2021, "2021", set()),
    "2022_pingtan.txt": (2022, "2021", set()),
    "2023_hongze.txt": (2023, "2021", set()),
    "2023_pingtan.txt": (2023, "2021", set()),
    "2024_hongze.txt": (2024, "2021", set()),
    "2024_pingtan.html": (2024, "2021", set()),
    "2024_pingtan.txt": (2024, "2021", set()),
    # The 总计 cell of 四、结转下年度 is empty in the extraction: 34 + 2 ≠ 35 + (blank).
    "2024_shanghai-kewei.md": (2024, "2021", {"table3.balance"}),
    "2025_shanghai-bangongting.md": (2025, "2021", set()),
    "2025_shuyang.md": (2025, "2021", set()),
}


def test_every_sample_is_listed() -> None:
    assert {p.name for p in SAMPLES} == set(EXPECTED)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_parses_and_findings_match_sources(path: Path) -> None:
    year, version, arithmetic = EXPECTED[path.name]
    result = check_file(path)
    assert not result.unreadable
    assert result.parsed is not None
    report = result.parsed.report
    assert report.year == year
    assert report.format_version == version
    found = {f.code for f in result.findings if f.severity == Severity.ERROR} & ARITHMETIC
    assert found == arithmetic, [f.message for f in result.findings if f.code in found]
