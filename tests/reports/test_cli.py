"""`gongkai report check`: exit 0 without error findings, 1 with, 2 when unreadable."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reports"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("report", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_clean_report_exits_0_and_prints_tables() -> None:
    code, out, _ = run("check", str(FIXTURES / "2024_pingtan.html"))
    assert code == 0
    assert "年度：2024" in out and "2021年版" in out
    assert "一、本年新收政府信息公开申请数量: 217 | 1 | 0 | 0 | 0 | 0 | 218" in out


def test_report_with_arithmetic_error_exits_1() -> None:
    """2020 平潭: the outcome rows do not add up to （七）总计 (SOURCES.md)."""
    code, out, _ = run("check", str(FIXTURES / "2020_pingtan.txt"))
    assert code == 1
    assert "table3.outcome_sum" in out


def test_json_output_holds_report_and_findings() -> None:
    code, out, _ = run("check", str(FIXTURES / "2024_pingtan.html"), "--json")
    data = json.loads(out)
    assert code == 0
    assert data["report"]["schema"] == "gongkai.statutory-report/1"
    assert data["report"]["table3"]["rows"]["received"][-1] == 218
    assert isinstance(data["findings"], list)


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00garbage\x00"])
def test_unreadable_file_exits_2(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(content)
    assert run("check", str(path))[0] == 2


def test_missing_file_exits_2(tmp_path: Path) -> None:
    assert run("check", str(tmp_path / "nope.txt"))[0] == 2


def test_folder_to_csv_one_row_per_report(tmp_path: Path) -> None:
    out_file = tmp_path / "province.csv"
    code, out, _ = run("check", str(FIXTURES), "--csv", str(out_file))
    assert code == 0
    rows = list(csv.reader(out_file.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][0] == "文件"
    files = {r[0] for r in rows[1:]}
    assert "2020_pingtan.txt" in files and "2024_pingtan.html" in files
    assert len(rows) - 1 == len(
        [p for p in FIXTURES.iterdir() if p.suffix in {".txt", ".md", ".html"}]
    )
    pingtan_2020 = next(r for r in rows if r[0] == "2020_pingtan.txt")
    assert int(pingtan_2020[5]) >= 1  # errors column
    assert "已检查" in out


@pytest.mark.parametrize("fmt", ["html", "json", "csv"])
def test_convert_to_the_official_layout(tmp_path: Path, fmt: str) -> None:
    out_file = tmp_path / f"report.{fmt}"
    code, out, _ = run(
        "convert", str(FIXTURES / "2025_shuyang.md"), "--format", fmt, "-o", str(out_file)
    )
    assert code == 0 and "已写入" in out
    text = out_file.read_bytes().decode("utf-8-sig")
    assert "一、本年新收政府信息公开申请数量" in text or '"received"' in text
    assert "713" in text  # 沭阳 2025: 本年新收 713 (SOURCES.md)


def test_convert_html_reads_back_with_the_same_tables(tmp_path: Path) -> None:
    from gongkai.reports.parse import parse_file

    out_file = tmp_path / "report.html"
    source = FIXTURES / "2025_shanghai-bangongting.md"
    run("convert", str(source), "--format", "html", "-o", str(out_file))
    assert parse_file(out_file).report.table3 == parse_file(source).report.table3


@pytest.mark.django_db
def test_build_from_records(tmp_path: Path, district) -> None:  # type: ignore[no-untyped-def]
    """`gongkai report build`: the report of one organisation, or consolidated with its subtree."""
    from datetime import date

    from gongkai.inforequests import services
    from tests.conftest import APPLICANT

    data = {**APPLICANT, "provision_form": "paper", "delivery_way": "pickup"}
    services.request_submit(
        organization=district.dept_a, data=data, channel="in_person", received_on=date(2024, 5, 6)
    )
    out_file = tmp_path / "r.json"
    gov = district.gov.credit_code
    code, _out, _ = run(
        "build", "--org", gov, "--year", "2024", "--format", "json", "-o", str(out_file)
    )
    assert code == 0
    assert json.loads(out_file.read_text())["table3"]["rows"]["received"][-1] == 0
    run(
        "build",
        "--org",
        gov,
        "--year",
        "2024",
        "--consolidated",
        "--format",
        "json",
        "-o",
        str(out_file),
    )
    assert json.loads(out_file.read_text())["table3"]["rows"]["received"][-1] == 1
    with pytest.raises(Exception, match="未找到"):
        run(
            "build",
            "--org",
            "91350100M000100Y43",
            "--year",
            "2024",
            "--format",
            "json",
            "-o",
            str(out_file),
        )
