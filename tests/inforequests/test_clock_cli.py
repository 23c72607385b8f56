"""`gongkai clock …` against the seeded calendar (exit 0 ok, 1 bad input, 3 provisional)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, list[str], str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("clock", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue().splitlines(), err.getvalue().strip()


def test_worked_example_prints_the_due_date() -> None:
    """第三十三条第一款: received 2024-02-07 (春节 2/10–2/17 off, make-up Sun 2/18) → 3/12."""
    assert run("--received", "2024-02-07") == (0, ["2024-03-12"], "")


def test_explain_lists_the_steps() -> None:
    code, out, err = run("--received", "2024-02-07", "--explain")
    assert (code, err) == (0, "")
    assert out == [
        "2024-03-12",
        "收到申请：2024年2月7日（星期三）",
        "第1个工作日：2024年2月8日（星期四）",
        "不计入的节假日：2024年2月10日至2024年2月17日",
        "计入的调休上班日：2024年2月18日（星期日）",
        "答复期限：2024年3月12日（星期二），即第 20 个工作日（第三十三条）",
    ]


def test_correction_received_restarts_the_limit() -> None:
    """第三十条: the limit runs from the corrected application, Tue 2024-02-20 → 3/19."""
    code, out, _ = run("--received", "2024-02-07", "--correction-received", "2024-02-20")
    assert (code, out) == (0, ["2024-03-19"])


def test_extension_adds_twenty_workdays() -> None:
    """第三十三条第一款: 3/12 + 20 workdays (清明 4/4–4/6 off, make-up Sun 4/7) = 2024-04-10."""
    code, out, _ = run("--received", "2024-02-07", "--extension", "--explain")
    assert code == 0
    assert out[0] == "2024-04-10"
    assert any("经批准延长 20 个工作日" in line for line in out)


def test_excluded_periods_push_by_their_workdays() -> None:
    """第三十三条第二款: 2/20–2/27 excludes 5 workdays; adding 2/26–3/1 (overlapping on 2/27)
    excludes 3 more, counted once: 3/12 → 3/19 → 3/22."""
    assert run("--received", "2024-02-07", "--excluded", "2024-02-20", "2024-02-27")[:2] == (
        0,
        ["2024-03-19"],
    )
    code, out, _ = run(
        "--received",
        "2024-02-07",
        "--excluded",
        "2024-02-20",
        "2024-02-27",
        "--excluded",
        "2024-02-26",
        "2024-03-01",
        "--explain",
    )
    assert (code, out[0]) == (0, "2024-03-22")
    assert any("第1段" in line and "共 5 个工作日" in line for line in out)
    assert any("第2段" in line and "共 3 个工作日" in line for line in out)


def test_into_a_year_without_arrangement_is_provisional() -> None:
    """RULES.md §6: no 2027 notice loaded → the date is printed, a warning names 2027, exit 3."""
    code, out, err = run("--received", "2026-12-07")
    assert code == 3
    assert out == ["2027-01-05"]
    assert "2027年" in err
    assert "暂定" in err


def test_excluded_period_before_the_restart_is_reported_on_stderr() -> None:
    code, out, err = run(
        "--received",
        "2024-02-07",
        "--excluded",
        "2024-02-08",
        "2024-02-09",
        "--correction-received",
        "2024-02-20",
    )
    assert (code, out) == (0, ["2024-03-19"])
    assert "不予扣除" in err


def test_full_width_dates_are_accepted() -> None:
    assert run("--received", "２０２４－０２－０７")[:2] == (0, ["2024-03-12"])


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((), "--received"),
        (("--received", "2024-02-30"), "日期"),
        (("--received", "tomorrow"), "日期"),
        (("--received", "2024-02-07", "--correction-received", "2024-02-06"), "不能早于"),
        (("--received", "2024-02-07", "--excluded", "2024-03-01", "2024-02-20"), "早于开始日期"),
        (("--received", "2024-02-07", "--excluded", "2024-02-01", "2024-02-20"), "不能早于"),
        (("--received", "2024-02-07", "--excluded", "2024-03-01", "9999-12-01"), "超过"),
    ],
)
def test_bad_input_is_a_command_error(args: tuple[str, ...], fragment: str) -> None:
    with pytest.raises(CommandError, match=fragment):
        call_command("clock", *args, stdout=StringIO(), stderr=StringIO())
