"""`gongkai workdays …` against the seeded calendar (exit 0 ok, 1 bad input, 3 provisional)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("workdays", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue().strip(), err.getvalue().strip()


def test_add_across_national_day_2024() -> None:
    """条例第三十三条 20 个工作日 from Fri 2024-09-27: 国庆 off, make-up 9/29 and 10/12 count."""
    assert run("add", "2024-09-27", "20") == (0, "2024-10-30", "")


def test_between_is_the_inverse_of_add() -> None:
    assert run("between", "2024-09-27", "2024-10-30") == (0, "20", "")


@pytest.mark.parametrize(
    ("day", "answer"),
    [
        ("2024-09-29", "工作日"),  # make-up Sunday
        ("2024-10-01", "休息日"),  # 国庆
        ("2026-01-04", "工作日"),  # make-up Sunday of the 2026 notice
        ("2026-02-16", "休息日"),  # 春节 2026, a Monday
        ("2026-10-10", "工作日"),  # make-up Saturday
        ("2026-03-07", "休息日"),  # ordinary Saturday
    ],
)
def test_is(day: str, answer: str) -> None:
    assert run("is", day) == (0, answer, "")


def test_add_into_year_without_arrangement_is_provisional() -> None:
    """No 2027 notice loaded: the provisional date is printed, a warning names 2027, exit 3."""
    code, out, err = run("add", "2026-12-20", "20")
    assert code == 3
    assert out == "2027-01-18"
    assert "2027年" in err
    assert "暂定" in err


def test_between_and_is_into_unknown_year_exit_3() -> None:
    assert run("between", "2026-12-20", "2027-01-18")[:2] == (3, "20")
    code, out, err = run("is", "2027-01-01")
    assert (code, out) == (3, "休息日")
    assert "2027年" in err


def test_full_width_input_is_accepted() -> None:
    assert run("add", "２０２４－０９－２７", "２０")[:2] == (0, "2024-10-30")


@pytest.mark.parametrize(
    "args",
    [("add", "2024-02-30", "20"), ("add", "tomorrow", "1"), ("between", "2024-09-27", "x")],
)
def test_bad_date_is_a_command_error(args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError, match="日期"):
        call_command("workdays", *args, stdout=StringIO(), stderr=StringIO())


@pytest.mark.parametrize("n", ["-1", "二十", "1.5", "100001"])
def test_bad_count_is_a_command_error(n: str) -> None:
    with pytest.raises(CommandError, match="工作日数"):
        call_command("workdays", "add", "2024-09-27", n, stdout=StringIO(), stderr=StringIO())


def test_years_lists_seeded_arrangements() -> None:
    code, out, _ = run("years")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("2004")
    assert lines[-1].startswith("2026")
    assert "调休上班6天" in lines[-1]
