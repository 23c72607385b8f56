"""Check a 政府信息公开工作年度报告, ours or anyone else's: structure, the 勾稽关系 of table 三,
the sums of table 四, table 二 units, cross-year carry-over, year and period, the figures quoted
in the prose, fees, copied text and the extra content of people's-government reports.

The checks follow RULES.md §8; the arithmetic itself lives in `gongkai.reports.rules`. Every
finding has a stable code (listed in CODES) and a Chinese message that names the cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from gongkai.core.text import normalize
from gongkai.reports import rules
from gongkai.reports.findings import Finding, Severity
from gongkai.reports.formats import (
    CARRIED_IN,
    CARRIED_OVER,
    OUTCOME_TOTAL,
    RECEIVED,
    SECTION_KEYS,
    SECTION_TITLES,
    TABLE2_BLOCKS,
    TABLE3_COLUMN_LABELS,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_COLUMN_LABELS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    TOTAL,
    FormatVersion,
    format_for_year,
)
from gongkai.reports.structure import StatutoryReport

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

CODES: dict[str, Severity] = {
    "structure.format_version": ERROR,
    "structure.table3_rows": ERROR,
    "structure.table3_columns": ERROR,
    "structure.table4_columns": ERROR,
    "structure.table2_rows": ERROR,
    "section.missing": WARNING,
    "section.problems_short": WARNING,
    "section.placeholder": ERROR,
    "title.year": ERROR,
    "title.leftover_year": ERROR,
    "period.year": ERROR,
    "publication.late": WARNING,
    "table3.empty": WARNING,
    "table3.blank_cells": INFO,
    "table3.negative": ERROR,
    "table3.balance": ERROR,
    "table3.outcome_sum": ERROR,
    "table3.total_column": ERROR,
    "table3.total_column_blank": WARNING,
    "table4.empty": WARNING,
    "table4.blank_cells": INFO,
    "table4.negative": ERROR,
    "table4.total": ERROR,
    "table2.not_integer": ERROR,
    "table2.amount_precision": ERROR,
    "table2.negative": ERROR,
    "table2.in_force": WARNING,
    "previous.year": WARNING,
    "table3.carry_over": ERROR,
    "narrative.mismatch": ERROR,
    "narrative.outcome": ERROR,
    "narrative.percentage": WARNING,
    "fees.unexplained": WARNING,
    "fees.amount": WARNING,
    "text.copied": WARNING,
    "government.accountability": WARNING,
}

PROBLEMS_MIN_CHARS = 30
COPIED_RATIO = 0.9
QUOTE_CHARS = 80
# 条例第五十条第（四）项: 工作考核、社会评议和责任追究结果.
_ACCOUNTABILITY = re.compile(r"考核|评议|责任追究")

_ROW_LABELS: dict[str, str] = {
    row.key: f"{row.group} {row.label}" if row.group else row.label
    for version in FormatVersion
    for row in TABLE3_ROWS[version]
}
_CN_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")


def _finding(code: str, message: str, location: str = "") -> Finding:
    return Finding(CODES[code], code, message, location)


def validate(
    report: StatutoryReport,
    previous: StatutoryReport | None = None,
    *,
    is_government: bool | None = None,
    deadline: date | None = None,
) -> list[Finding]:
    """All findings for `report`.

    previous: the same body's report for the year before (carry-over, table 二 trend, copied
    text). is_government: a people's government's report (条例第五十条第（四）项; also picks the
    Art. 49 deadline when `deadline` is not given). deadline: the publication deadline that
    applies, e.g. a local one.
    """
    findings: list[Finding] = []
    findings += _structure(report)
    findings += _sections(report, is_government)
    findings += _placeholders(report)
    findings += _title_and_period(report)
    findings += _publication(report, is_government, deadline)
    findings += _table2(report)
    findings += _table3(report)
    findings += _table4(report)
    if previous is not None:
        findings += _against_previous(report, previous)
    findings += _narrative(report)
    findings += _narrative_outcomes(report)
    findings += _fees(report)
    return findings


# --- structure ------------------------------------------------------------------------------


def _structure(report: StatutoryReport) -> list[Finding]:
    out = []
    expected = format_for_year(report.year)
    if report.format_version != expected:
        if expected == FormatVersion.V2021:
            message = _("2021年及以后的年报应使用2021年版格式")
        else:
            message = _("2019年和2020年的年报应使用2019年版（试行）格式")
        out.append(_finding("structure.format_version", message, "format_version"))
    version = report.format_version
    if report.table3:
        keys = {row.key for row in TABLE3_ROWS[version]}
        missing = [_ROW_LABELS[k] for k in rules.table3_row_keys(version) if k not in report.table3]
        extra = [_ROW_LABELS.get(k, k) for k in report.table3 if k not in keys]
        if missing or extra:
            message = _("表三的行与%(version)s年版格式不一致：缺少 %(missing)s；多出 %(extra)s") % {
                "version": version,
                "missing": "、".join(missing) or _("无"),
                "extra": "、".join(extra) or _("无"),
            }
            out.append(_finding("structure.table3_rows", message, "table3"))
        short = [k for k, cells in report.table3.items() if len(cells) != len(TABLE3_COLUMNS)]
        if short:
            message = _("表三以下各行不是 %(count)s 列：%(rows)s") % {
                "count": len(TABLE3_COLUMNS),
                "rows": "、".join(_ROW_LABELS.get(k, k) for k in short),
            }
            out.append(_finding("structure.table3_columns", message, "table3"))
    if report.table4 and len(report.table4) != len(TABLE4_COLUMNS):
        message = _("表四应有 %(expected)s 个数据列，实有 %(actual)s 个") % {
            "expected": len(TABLE4_COLUMNS),
            "actual": len(report.table4),
        }
        out.append(_finding("structure.table4_columns", message, "table4"))
    table2_rows = {row for block in TABLE2_BLOCKS[version] for row, _label in block.rows}
    extra2 = [row for row in report.table2 if row not in table2_rows]
    if extra2:
        message = _("表二含有%(version)s年版格式没有的行：%(rows)s") % {
            "version": version,
            "rows": "、".join(_table2_row_label(row) for row in extra2),
        }
        out.append(_finding("structure.table2_rows", message, "table2"))
    return out


def _sections(report: StatutoryReport, is_government: bool | None) -> list[Finding]:
    out = []
    titles = SECTION_TITLES[report.format_version]
    for key, title in zip(SECTION_KEYS, titles, strict=True):
        if not normalize(report.sections.get(key, "")):
            message = _("缺少“%(title)s”部分或该部分没有内容") % {"title": title}
            out.append(_finding("section.missing", message, f"section.{key}"))
    problems = normalize(report.sections.get("problems", ""))
    if problems and len(problems) < PROBLEMS_MIN_CHARS:
        message = _("“%(title)s”只有 %(count)s 个字，应写明存在的具体问题和改进措施") % {
            "title": titles[SECTION_KEYS.index("problems")],
            "count": len(problems),
        }
        out.append(_finding("section.problems_short", message, "section.problems"))
    if is_government:
        text = report.sections.get("problems", "") + report.sections.get("other", "")
        if not _ACCOUNTABILITY.search(normalize(text)):
            message = _(
                "人民政府的年报应在第五或第六部分报告工作考核、社会评议和责任追究结果"
                "（条例第五十条第（四）项），未见相关内容"
            )
            out.append(_finding("government.accountability", message, "section.problems"))
    return out


# --- year, period, publication --------------------------------------------------------------


def _title_and_period(report: StatutoryReport) -> list[Finding]:
    out = []
    year = report.year
    title = normalize(report.title)
    if title:
        last = year - 1
        leftovers = (f"{last}年度政府信息公开", f"{last}年政府信息公开")
        if any(s in title for s in leftovers):
            message = _(
                "标题“%(title)s”写的是%(last)s年度，而本报告是%(year)s年度的，疑为沿用上年文本"
            ) % {"title": title, "last": last, "year": year}
            out.append(_finding("title.leftover_year", message, "title"))
        elif str(year) not in title and str(year).translate(_CN_DIGITS) not in title:
            message = _("标题“%(title)s”中没有报告年度 %(year)s 年") % {
                "title": title,
                "year": year,
            }
            out.append(_finding("title.year", message, "title"))
    for key in SECTION_KEYS:
        for first, last_year, sentence in rules.statistics_periods(report.sections.get(key, "")):
            if first != year or last_year != year:
                message = _(
                    "“%(sentence)s”所述统计期限与报告年度 %(year)s 年不符，"
                    "应为%(year)s年1月1日至12月31日"
                ) % {"sentence": _quote(sentence), "year": year}
                out.append(_finding("period.year", message, f"section.{key}"))
    return out


def _publication(
    report: StatutoryReport, is_government: bool | None, deadline: date | None
) -> list[Finding]:
    if deadline is None and is_government is not None:
        deadline = rules.statutory_deadline(report.year, is_government)
    if report.published_on is None or deadline is None or report.published_on <= deadline:
        return []
    message = _("年报发布于 %(published)s，晚于发布期限 %(deadline)s") % {
        "published": report.published_on.isoformat(),
        "deadline": deadline.isoformat(),
    }
    return [_finding("publication.late", message, "published_on")]


# --- table 二 -------------------------------------------------------------------------------


def _table2_row_label(row: str) -> str:
    for version in FormatVersion:
        for block in TABLE2_BLOCKS[version]:
            for key, label in block.rows:
                if key == row:
                    return label
    return row


def _table2(report: StatutoryReport) -> list[Finding]:
    out = []
    column_labels = {
        key: label for block in TABLE2_BLOCKS[report.format_version] for key, label in block.columns
    }
    for row, cells in report.table2.items():
        for column, amount in cells.items():
            if amount is None:
                continue
            names = {
                "row": _table2_row_label(row),
                "column": column_labels.get(column, column),
                "value": amount,
            }
            location = f"table2.{row}.{column}"
            if amount < 0 and column not in rules.SIGNED_COLUMNS:
                out.append(
                    _finding(
                        "table2.negative",
                        _("表二“%(row)s”的“%(column)s”为负数 %(value)s") % names,
                        location,
                    )
                )
            if column in rules.AMOUNT_COLUMNS:
                if rules.decimal_places(amount) > 2:
                    message = _("表二“%(row)s”的“%(column)s”最多保留两位小数，实为 %(value)s")
                    out.append(_finding("table2.amount_precision", message % names, location))
            elif not rules.is_whole(amount):
                message = _("表二“%(row)s”的“%(column)s”是件数，应为整数，实为 %(value)s")
                out.append(_finding("table2.not_integer", message % names, location))
    return out


# --- table 三 -------------------------------------------------------------------------------


def _column(column: str) -> str:
    return TABLE3_COLUMN_LABELS.get(column, column)


def _table3(report: StatutoryReport) -> list[Finding]:
    if not report.has_table3:
        return [_finding("table3.empty", _("表三未填写或无法读取"), "table3")]
    out = []
    blank, cells = rules.table3_blank_count(report)
    if blank:
        message = _("表三有 %(blank)s 个单元格为空（共 %(cells)s 个），核算时按 0 计") % {
            "blank": blank,
            "cells": cells,
        }
        out.append(_finding("table3.blank_cells", message, "table3"))
    for row, column, number in rules.table3_negative_cells(report):
        message = _("表三“%(row)s”（%(column)s列）为负数 %(value)s") % {
            "row": _ROW_LABELS.get(row, row),
            "column": _column(column),
            "value": number,
        }
        out.append(_finding("table3.negative", message, f"table3.{row}.{column}"))
    for column, left, right in rules.table3_balance(report):
        if left != right:
            message = _(
                "表三“一、本年新收”＋“二、上年结转”（%(column)s列）为 %(left)s，"
                "与“（七）总计”＋“四、结转下年度”之和 %(right)s 不符"
            ) % {"column": _column(column), "left": left, "right": right}
            out.append(_finding("table3.balance", message, f"table3.{RECEIVED}.{column}"))
    total_blank = rules.table3_total_column_blank(report)
    if total_blank:
        message = _("表三各办理结果行的“总计”列均为空，无法逐行核对总计列，请补填")
        out.append(_finding("table3.total_column_blank", message, f"table3.{TOTAL}"))
    for column, total, leaves in rules.table3_outcome_sums(report):
        if total != leaves and not (total_blank and column == TOTAL):
            message = _(
                "表三“（七）总计”（%(column)s列）为 %(total)s，与各项办理结果之和 %(sum)s 不符"
            ) % {"column": _column(column), "total": total, "sum": leaves}
            out.append(_finding("table3.outcome_sum", message, f"table3.{OUTCOME_TOTAL}.{column}"))
    for row, cell, applicants in rules.table3_total_column(report):
        if cell is None:
            continue  # a blank 总计 is not a wrong sum: table3.blank_cells and the balance say it
        if rules.value(cell) != applicants:
            message = _("表三“%(row)s”行的“总计”为 %(total)s，与六类申请人之和 %(sum)s 不符") % {
                "row": _ROW_LABELS.get(row, row),
                "total": rules.value(cell),
                "sum": applicants,
            }
            out.append(_finding("table3.total_column", message, f"table3.{row}.{TOTAL}"))
    return out


# --- table 四 -------------------------------------------------------------------------------


def _table4(report: StatutoryReport) -> list[Finding]:
    blank, cells = rules.table4_blank_count(report)
    if blank == cells:
        return [_finding("table4.empty", _("表四未填写或无法读取"), "table4")]
    out = []
    if blank:
        message = _("表四有 %(blank)s 个单元格为空（共 %(cells)s 个），核算时按 0 计") % {
            "blank": blank,
            "cells": cells,
        }
        out.append(_finding("table4.blank_cells", message, "table4"))
    for column, number in rules.table4_negative_cells(report):
        message = _("表四“%(column)s”为负数 %(value)s") % {
            "column": TABLE4_COLUMN_LABELS[column],
            "value": number,
        }
        out.append(_finding("table4.negative", message, f"table4.{column}"))
    group_labels = dict(TABLE4_GROUPS)
    for group, total, parts in rules.table4_totals(report):
        if total != parts:
            message = _(
                "表四“%(group)s·总计”为 %(total)s，"
                "与结果维持、结果纠正、其他结果、尚未审结之和 %(sum)s 不符"
            ) % {"group": group_labels[group], "total": total, "sum": parts}
            out.append(_finding("table4.total", message, f"table4.{group}_{TOTAL}"))
    return out


# --- against last year's report -------------------------------------------------------------


def _against_previous(report: StatutoryReport, previous: StatutoryReport) -> list[Finding]:
    out = []
    if previous.year != report.year - 1:
        message = _("用于对比的上一年度报告是%(given)s年度的，不是%(expected)s年度的") % {
            "given": previous.year,
            "expected": report.year - 1,
        }
        out.append(_finding("previous.year", message))
    else:
        if report.has_table3 and previous.has_table3:
            for column, this, last in rules.carry_over(report, previous):
                if this != last:
                    message = _(
                        "表三“二、上年结转”（%(column)s列）为 %(this)s，"
                        "与上一年度报告“四、结转下年度继续办理” %(last)s 不符"
                    ) % {"column": _column(column), "this": this, "last": last}
                    out.append(
                        _finding("table3.carry_over", message, f"table3.{CARRIED_IN}.{column}")
                    )
        if (
            report.format_version == FormatVersion.V2021
            and previous.format_version == FormatVersion.V2021
        ):
            for row, expected, actual in rules.table2_in_force(report, previous):
                if expected != actual:
                    message = _(
                        "表二“%(row)s”：上年现行有效件数加本年制发件数减本年废止件数为 "
                        "%(expected)s，与本年“现行有效件数” %(actual)s 不一致，请核实"
                    ) % {"row": _table2_row_label(row), "expected": expected, "actual": actual}
                    out.append(_finding("table2.in_force", message, f"table2.{row}.in_force"))
    titles = SECTION_TITLES[report.format_version]
    for key in ("overview", "problems"):
        this_text = normalize(report.sections.get(key, ""))
        last_text = normalize(previous.sections.get(key, ""))
        if min(len(this_text), len(last_text)) < rules.SIMILARITY_MIN_CHARS:
            continue
        ratio = rules.similarity(this_text, last_text)
        if ratio >= COPIED_RATIO:
            message = _(
                "“%(title)s”与上一年度报告的相似度为 %(percent)s%%，内容雷同"
                "（国办公开办函〔2021〕30号将内容雷同列为追责情形）"
            ) % {"title": titles[SECTION_KEYS.index(key)], "percent": round(ratio * 100)}
            out.append(_finding("text.copied", message, f"section.{key}"))
    return out


# The mark the narrative draft (gongkai.reports.draft) puts where people must write.
PLACEHOLDER = "【请补充"


def _placeholders(report: StatutoryReport) -> list[Finding]:
    titles = SECTION_TITLES[report.format_version]
    return [
        _finding(
            "section.placeholder",
            _("“%(title)s”还有未填写的初稿提示（%(mark)s…】），请补充或删除")
            % {
                "title": titles[SECTION_KEYS.index(key)],
                "mark": PLACEHOLDER,
            },
            f"section.{key}",
        )
        for key in SECTION_KEYS
        if PLACEHOLDER in report.sections.get(key, "")
    ]


# --- prose against the tables ---------------------------------------------------------------


def _quote(sentence: str) -> str:
    return sentence if len(sentence) <= QUOTE_CHARS else sentence[:QUOTE_CHARS] + "…"


def _narrative(report: StatutoryReport) -> list[Finding]:
    received = rules.column_total(report, RECEIVED)
    carried_in = rules.column_total(report, CARRIED_IN)
    answered = rules.column_total(report, OUTCOME_TOTAL)
    carried_over = rules.column_total(report, CARRIED_OVER)
    reconsideration = rules.table4_group_total(report, "reconsideration")
    direct = rules.table4_group_total(report, "litigation_direct")
    after = rules.table4_group_total(report, "litigation_after")

    def received_check(stated: int) -> str | None:
        if received is None:
            return None
        both = received + rules.value(carried_in)
        if stated in (received, both):
            return None
        return _(
            "所述收到申请 %(stated)s 件，与表三“一、本年新收”总计 %(received)s"
            "（加上年结转为 %(both)s）均不符"
        ) % {"stated": stated, "received": received, "both": both}

    def single(table: int | None, template: str) -> Callable[[int], str | None]:
        def check(stated: int) -> str | None:
            if table is None or stated == table:
                return None
            return template % {"stated": stated, "table": table}

        return check

    def litigation_check(stated: int) -> str | None:
        if direct is None and after is None:
            return None
        d, a = rules.value(direct), rules.value(after)
        if stated in (d + a, d, a):
            return None
        return _(
            "所述行政诉讼 %(stated)s 件，与表四行政诉讼总计 %(table)s"
            "（未经复议直接起诉 %(direct)s，复议后起诉 %(after)s）不符"
        ) % {"stated": stated, "table": d + a, "direct": d, "after": a}

    checks: dict[str, Callable[[int], str | None]] = {
        "received": received_check,
        "carried_in": single(
            carried_in, _("所述上年结转 %(stated)s 件，与表三“二、上年结转”总计 %(table)s 不符")
        ),
        "carried_over": single(
            carried_over,
            _("所述结转下年度 %(stated)s 件，与表三“四、结转下年度继续办理”总计 %(table)s 不符"),
        ),
        "answered": single(
            answered, _("所述办结 %(stated)s 件，与表三“（七）总计” %(table)s 不符")
        ),
        "reconsideration": single(
            reconsideration, _("所述行政复议 %(stated)s 件，与表四“行政复议·总计” %(table)s 不符")
        ),
        "litigation": litigation_check,
    }
    out = []
    for key in SECTION_KEYS:
        text = report.sections.get(key, "")
        if not text:
            continue
        figures = rules.narrative_figures(text, report.year, about_appeals=key == "appeals")
        for figure in figures:
            problem = checks[figure.kind](figure.value)
            if problem:
                message = _("正文“%(sentence)s”%(problem)s") % {
                    "sentence": _quote(figure.sentence),
                    "problem": problem,
                }
                out.append(_finding("narrative.mismatch", message, f"section.{key}"))
    return out


_OUTCOME_NAMES = {
    "disclosed": "（一）予以公开",
    "partly_disclosed": "（二）部分公开",
    "withheld": "（三）不予公开",
    "unavailable": "（四）无法提供",
    "not_processed": "（五）不予处理",
    "other": "（六）其他处理",
}


def _narrative_outcomes(report: StatutoryReport) -> list[Finding]:
    """Outcome figures and their shares in the prose against table 三 (RULES.md §8 check 7)."""
    if not report.has_table3:
        return []
    groups = rules.outcome_group_totals(report)
    answered = rules.value(rules.column_total(report, OUTCOME_TOTAL))
    received = rules.value(rules.column_total(report, RECEIVED))
    wholes = (answered, received, received + rules.value(rules.column_total(report, CARRIED_IN)))
    out = []
    for key in SECTION_KEYS:
        for figure in rules.outcome_figures(report.sections.get(key, ""), report.year):
            name = _OUTCOME_NAMES[figure.group]
            table = groups[figure.group]
            if figure.value != table:
                message = _(
                    "正文“%(sentence)s”所述%(name)s %(stated)s 件，与表三“%(name)s”总计 "
                    "%(table)s 不符"
                ) % {
                    "sentence": _quote(figure.sentence),
                    "name": name,
                    "stated": figure.value,
                    "table": table,
                }
                out.append(_finding("narrative.outcome", message, f"section.{key}"))
            elif figure.percent is not None and not rules.share_matches(
                table, figure.percent, wholes
            ):
                message = _(
                    "正文“%(sentence)s”所述占比 %(percent)s%%，与表三计算结果不符"
                    "（%(name)s %(table)s 件，办结 %(answered)s 件，占比应为 %(expected)s%%）"
                ) % {
                    "sentence": _quote(figure.sentence),
                    "percent": _yuan(figure.percent),
                    "name": name,
                    "table": table,
                    "answered": answered,
                    "expected": _share(table, answered),
                }
                out.append(_finding("narrative.percentage", message, f"section.{key}"))
    return out


def _share(part: int, whole: int) -> str:
    if whole <= 0:
        return "0"
    return f"{Decimal(part) * 100 / Decimal(whole):.1f}"


# --- fees -----------------------------------------------------------------------------------


def _fees(report: StatutoryReport) -> list[Finding]:
    out = []
    charged_elsewhere = False
    for key in SECTION_KEYS:
        for amount, sentence in rules.fee_mentions(report.sections.get(key, "")):
            if amount > 0 and key != "other":
                charged_elsewhere = True
            if amount > 0 and not rules.fee_plausible(amount):
                message = _(
                    "“%(sentence)s”中的信息处理费 %(amount)s 元不是 %(quantum)s 元的整数倍，"
                    "与国办函〔2020〕109号的收费标准不符，请核实"
                ) % {
                    "sentence": _quote(sentence),
                    "amount": _yuan(amount),
                    "quantum": rules.FEE_QUANTUM,
                }
                out.append(_finding("fees.amount", message, f"section.{key}"))
    unpaid = (
        rules.column_total(report, "other_fee_unpaid")
        if "other_fee_unpaid" in rules.table3_row_keys(report.format_version)
        else None
    )
    if (rules.value(unpaid) > 0 or charged_elsewhere) and not rules.mentions_fees(
        report.sections.get("other", "")
    ):
        title = SECTION_TITLES[report.format_version][SECTION_KEYS.index("other")]
        if rules.value(unpaid) > 0:
            message = _(
                "表三“申请人逾期未按收费通知要求缴纳费用”为 %(count)s 件，说明发出过收费通知，"
                "但“%(title)s”未说明收费情况"
            ) % {"count": unpaid, "title": title}
        else:
            message = _("正文提到收取信息处理费，但“%(title)s”未说明收费情况") % {"title": title}
        out.append(_finding("fees.unexplained", message, "section.other"))
    return out


def _yuan(amount: Decimal) -> str:
    return f"{amount.normalize():f}"
