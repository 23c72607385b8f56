"""`gongkai fee items N | pages N [--explain]` (国办函〔2020〕109号 第四条、第五条)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args: str) -> str:
    out = StringIO()
    call_command("fee", *args, stdout=out)
    return out.getvalue()


def test_art4_items_35() -> None:
    """第四条: the 35th application costs 200 元; the month has reached 3,000 元."""
    assert run("items", "35") == "第35件：200.00元\n本月累计：3,000.00元\n"


@pytest.mark.parametrize(
    ("n", "fee", "total"),
    [
        ("10", "0.00元", "0.00元"),
        ("11", "100.00元", "100.00元"),
        ("30", "100.00元", "2,000.00元"),
        ("31", "200.00元", "2,200.00元"),
        ("40", "200.00元", "4,000.00元"),
        ("41", "300.00元", "4,300.00元"),
    ],
)
def test_art4_items_boundaries(n: str, fee: str, total: str) -> None:
    """第四条: 10/11, 30/31, 40/41 from the console."""
    assert run("items", n) == f"第{n}件：{fee}\n本月累计：{total}\n"


def test_art5_pages_150() -> None:
    """第五条: 150 pages cost 1,700 元."""
    assert run("pages", "150") == "1,700.00元\n"


@pytest.mark.parametrize(
    ("pages", "fee"),
    [
        ("0", "0.00元"),
        ("30", "0.00元"),
        ("31", "10.00元"),
        ("100", "700.00元"),
        ("101", "720.00元"),
        ("200", "2,700.00元"),
        ("201", "2,740.00元"),
    ],
)
def test_art5_pages_boundaries(pages: str, fee: str) -> None:
    """第五条: 30/31, 100/101, 200/201 pages from the console."""
    assert run("pages", pages) == f"{fee}\n"


def test_art4_items_explain() -> None:
    """第四条: --explain prints the tiers, the standard and the basis."""
    lines = run("items", "35", "--explain").splitlines()
    assert lines[:2] == ["第35件：200.00元", "本月累计：3,000.00元"]
    assert "第31—35件：5件×200元＝1,000元" in lines
    assert any(line.startswith("收费标准：") and "200元/件" in line for line in lines)
    assert any(line.startswith("收费依据：") and "第四条" in line for line in lines)


def test_art5_pages_explain() -> None:
    """第五条: --explain prints one line per tier and the basis."""
    lines = run("pages", "150", "--explain").splitlines()
    assert lines[0] == "1,700.00元"
    assert "第31—100页：70页×10元＝700元" in lines
    assert "第101—150页：50页×20元＝1,000元" in lines
    assert any(line.startswith("收费依据：") and "第五条" in line for line in lines)


def test_full_width_digits_are_accepted() -> None:
    assert run("pages", "１５０") == "1,700.00元\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("items", "0"), "申请件次“0”无效"),
        (("items", "abc"), "申请件次“abc”无效"),
        (("items", "-3"), "申请件次“-3”无效"),
        (("pages", "-1"), "页数“-1”无效"),
        (("pages", "1.5"), "页数“1.5”无效"),
        (("items", "10001"), "过大"),
        (("pages", "1000001"), "过大"),
    ],
)
def test_bad_input_is_a_command_error_in_chinese(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)
