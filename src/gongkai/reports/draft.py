"""The narrative draft that pre-fills a new report: sentences that state the table figures,
so that the officer starts from text that agrees with the tables (条例第五十条) and adds what
only people know. Pure functions over `StatutoryReport`; placeholders are marked 【请补充…】.
The report is a Chinese statutory document, so its text is never translated with the interface.
"""

from __future__ import annotations

from decimal import Decimal

from gongkai.reports import rules
from gongkai.reports.formats import (
    CARRIED_IN,
    CARRIED_OVER,
    OUTCOME_TOTAL,
    RECEIVED,
    SECTION_KEYS,
)
from gongkai.reports.structure import StatutoryReport

# Outcome groups of table 三 as the prose names them, with the rows they sum.
OUTCOME_PHRASES: tuple[tuple[str, str], ...] = (
    ("disclosed", "予以公开"),
    ("partly_disclosed", "部分公开"),
    ("withheld", "不予公开"),
    ("unavailable", "无法提供"),
    ("not_processed", "不予处理"),
    ("other", "其他处理"),
)


def percent(part: int, whole: int) -> str:
    """A share as the report prints it: one decimal, "0" when there is nothing to divide."""
    if whole <= 0:
        return "0"
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def _change(this: int, last: int | None) -> str:
    if last is None:
        return ""
    if this > last:
        return f"，比上年增加{this - last}件"
    if this < last:
        return f"，比上年减少{last - this}件"
    return "，与上年持平"


def _requests(report: StatutoryReport, previous: StatutoryReport | None) -> str:
    received = rules.value(rules.column_total(report, RECEIVED))
    carried_in = rules.value(rules.column_total(report, CARRIED_IN))
    answered = rules.value(rules.column_total(report, OUTCOME_TOTAL))
    carried_over = rules.value(rules.column_total(report, CARRIED_OVER))
    last = rules.value(rules.column_total(previous, RECEIVED)) if previous else None
    text = f"{report.year}年，全年共受理政府信息公开申请{received}件{_change(received, last)}；"
    text += f"上年结转政府信息公开申请{carried_in}件。"
    text += f"本年度办结申请{answered}件"
    groups = rules.outcome_group_totals(report)
    parts = [
        (f"{label}{groups[key]}件，占比{percent(groups[key], answered)}%")
        for key, label in OUTCOME_PHRASES
        if groups.get(key)
    ]
    if parts:
        text += ("，其中") + "；".join(parts)
    text += "。"
    text += f"结转下年度继续办理{carried_over}件。"
    return text


def _appeals(report: StatutoryReport) -> str:
    reconsideration = rules.value(rules.table4_group_total(report, "reconsideration"))
    litigation = rules.value(rules.table4_group_total(report, "litigation_direct")) + rules.value(
        rules.table4_group_total(report, "litigation_after")
    )
    if not reconsideration and not litigation:
        return f"{report.year}年，本机关未发生因政府信息公开引起的行政复议、行政诉讼案件。"

    def results(groups: tuple[str, ...]) -> str:
        labels: tuple[tuple[str, str], ...] = (
            ("upheld", ("结果维持")),
            ("corrected", ("结果纠正")),
            ("other", ("其他结果")),
            ("pending", ("尚未审结")),
        )
        values = [
            (label, sum(rules.value(rules.table4_cell(report, f"{g}_{key}")) for g in groups))
            for key, label in labels
        ]
        return "、".join(f"{label}{n}件" for label, n in values if n)

    text = f"{report.year}年，因政府信息公开引起的行政复议案件共{reconsideration}件"
    if reconsideration:
        text += ("，其中") + results(("reconsideration",))
    text += "。"
    text += f"行政诉讼案件共{litigation}件"
    if litigation:
        text += ("，其中") + results(("litigation_direct", "litigation_after"))
    text += "。"
    return text


def _proactive(report: StatutoryReport) -> str:
    table2 = report.table2
    sentences = []
    labels = (
        ("licensing", "decisions", ("行政许可处理决定%(n)s件")),
        ("penalty", "decisions", ("行政处罚处理决定%(n)s件")),
        ("enforcement", "decisions", ("行政强制处理决定%(n)s件")),
    )
    decisions = [
        template % {"n": format(v, "f")}
        for row, column, template in labels
        if (v := table2.get(row, {}).get(column)) is not None
    ]
    if decisions:
        sentences.append(("本年度作出") + "、".join(decisions) + "。")
    fees = table2.get("fees", {}).get("amount")
    if fees is not None:
        sentences.append(("收取行政事业性收费{amount}万元。").format(amount=format(fees, "f")))
    regulations = table2.get("normative_documents", {}).get("issued")
    if regulations is not None:
        sentences.append(("本年制发行政规范性文件{n}件。").format(n=format(regulations, "f")))
    sentences.append("【请补充：主动公开工作的主要做法和成效。】")
    return "".join(sentences)


def _other(report: StatutoryReport, is_government: bool) -> str:
    unpaid = (
        rules.value(rules.column_total(report, "other_fee_unpaid"))
        if "other_fee_unpaid" in report.table3
        else 0
    )
    if unpaid:
        text = (
            f"本年度申请人逾期未按收费通知要求缴纳信息处理费的申请{unpaid}件。"
            "【请补充：本年度实际收取信息处理费的件数和金额。】"
        )
    else:
        text = "【请补充：本年度收取信息处理费的情况；未收取的，写明未收取信息处理费。】"
    if is_government:
        text += "【请补充：政务公开工作考核、社会评议和责任追究结果情况（条例第五十条）。】"
    return text


def draft_sections(
    report: StatutoryReport, previous: StatutoryReport | None = None, *, is_government: bool
) -> dict[str, str]:
    """A first text for each of the six sections that states the report's own figures."""
    text = {
        "overview": (
            "本报告依据《中华人民共和国政府信息公开条例》第五十条编制，统计期限为"
            f"{report.year}年1月1日至{report.year}年12月31日。【请补充：本年度政府信息公开工作总体情况。】"
        ),
        "proactive": _proactive(report),
        "requests": _requests(report, previous),
        "appeals": _appeals(report),
        "problems": ("【请补充：本年度政府信息公开工作存在的主要问题及改进情况。】"),
        "other": _other(report, is_government),
    }
    return {key: text[key] for key in SECTION_KEYS}
