"""`gongkai report check FILE [--json]`, `gongkai report check DIR --csv OUT`,
`gongkai report convert FILE --format html|docx|pdf|json|csv -o OUT` and
`gongkai report build --org CREDIT_CODE --year YEAR [--consolidated] --format … -o OUT`.

Exit status of check: 0 no error findings, 1 error findings, 2 a file cannot be read.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.text import normalize_code
from gongkai.orgs.models import Organization
from gongkai.reports.builder import build_report
from gongkai.reports.check import CheckResult, check_file, report_files
from gongkai.reports.findings import Severity
from gongkai.reports.formats import TABLE3_COLUMN_LABELS, TABLE3_COLUMNS, TABLE3_ROWS
from gongkai.reports.render import RENDERERS, RenderUnavailable, render
from gongkai.reports.validate import validate

SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
CSV_HEADER = [
    "文件",
    "年度",
    "机关",
    "格式版本",
    "识别格式",
    "错误",
    "警告",
    "提示",
    "本年新收（总计）",
    "上年结转（总计）",
    "办理结果总计",
    "结转下年度（总计）",
    "问题摘要",
]


class Command(BaseCommand):
    help = "检查已发布的政府信息公开工作年度报告：识别格式、年度、机关，提取表格并校验勾稽关系。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="检查一个报告文件或一个文件夹")
        check.add_argument("path", type=Path)
        check.add_argument("--json", action="store_true", help="输出报告 JSON 和问题清单")
        check.add_argument("--csv", type=Path, metavar="OUT", help="检查文件夹时，每个报告写一行")
        convert = sub.add_parser(
            "convert", help="把已发布的报告转成标准版式（HTML/DOCX/PDF/JSON/CSV）"
        )
        convert.add_argument("path", type=Path)
        convert.add_argument("--format", choices=sorted(RENDERERS), required=True)
        convert.add_argument("-o", "--output", type=Path, required=True)
        build = sub.add_parser("build", help="由本系统的记录生成某机关某年度的报告")
        build.add_argument("--org", required=True, help="机关的统一社会信用代码")
        build.add_argument("--year", type=int, required=True)
        build.add_argument("--consolidated", action="store_true", help="合并全部下属机关")
        build.add_argument("--format", choices=sorted(RENDERERS), required=True)
        build.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "build":
            self._build(options)
            return
        path: Path = options["path"]
        if options["action"] == "convert":
            self._convert(path, options["format"], options["output"])
            return
        if path.is_dir():
            if not options["csv"]:
                raise CommandError("检查文件夹时请用 --csv 指定输出文件。")
            self._check_folder(path, options["csv"])
            return
        if not path.exists():
            self.stderr.write(f"文件不存在：{path}")
            sys.exit(2)
        result = check_file(path)
        if result.unreadable:
            self.stderr.write(result.unreadable)
            sys.exit(2)
        if options["json"]:
            self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        else:
            self._print(result)
        sys.exit(1 if result.has_errors else 0)

    def _build(self, options: dict[str, Any]) -> None:
        code = normalize_code(options["org"])
        org = Organization.objects.filter(credit_code=code).first()
        if org is None:
            raise CommandError(f"未找到统一社会信用代码为 {code} 的机关。")
        ids = (
            Organization.objects.get_tree(org).values_list("pk", flat=True)
            if options["consolidated"]
            else [org.pk]
        )
        report = build_report(ids, options["year"], org.name)
        try:
            options["output"].write_bytes(render(report, options["format"]))
        except RenderUnavailable as exc:
            raise CommandError(str(exc)) from exc
        findings = validate(report, is_government=org.is_government)
        for f in findings:
            self.stderr.write(f"{SEVERITY_LABELS[f.severity]} {f.code}：{f.message}")
        self.stdout.write(f"已写入 {options['output']}")

    def _convert(self, path: Path, fmt: str, output: Path) -> None:
        result = check_file(path)
        if result.unreadable or result.parsed is None:
            self.stderr.write(result.unreadable or f"无法读取：{path}")
            sys.exit(2)
        try:
            output.write_bytes(render(result.parsed.report, fmt))
        except RenderUnavailable as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已写入 {output}")

    def _print(self, result: CheckResult) -> None:
        assert result.parsed is not None
        report = result.parsed.report
        w = self.stdout.write
        w(f"文件：{result.path.name}（{result.parsed.detected_format}）")
        w(f"机关：{report.organization or '未识别'}")
        w(f"年度：{report.year or '未识别'}    格式版本：{report.format_version}年版")
        w("")
        if report.has_table3:
            w("表三 收到和处理政府信息公开申请情况：")
            w("  " + " | ".join(TABLE3_COLUMN_LABELS[c] for c in TABLE3_COLUMNS))
            for row in TABLE3_ROWS[report.format_version]:
                values = report.table3.get(row.key) or []
                cells = ["—" if v is None else str(v) for v in values]
                w(f"  {row.group}{row.label}: {' | '.join(cells)}")
        else:
            w("表三：未找到或为空。")
        if any(v is not None for v in report.table4):
            w(
                "表四 行政复议、行政诉讼："
                + " ".join("—" if v is None else str(v) for v in report.table4)
            )
        w("")
        if not result.findings:
            w("未发现问题。")
        for f in result.findings:
            where = f"［{f.location}］" if f.location else ""
            w(f"{SEVERITY_LABELS[f.severity]} {f.code}{where}：{f.message}")

    def _check_folder(self, folder: Path, out: Path) -> None:
        results = [check_file(path) for path in report_files(folder)]
        # utf-8-sig: Excel and WPS open the Chinese columns correctly.
        with out.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(CSV_HEADER)
            writer.writerows(_csv_row(folder, r) for r in results)
        errors = sum(1 for r in results if r.has_errors)
        unreadable = sum(1 for r in results if r.unreadable)
        self.stdout.write(
            f"已检查 {len(results)} 个文件：{errors} 个有错误，{unreadable} 个无法读取；结果写入 {out}"
        )


def _csv_row(folder: Path, result: CheckResult) -> list[object]:
    name = str(result.path.relative_to(folder))
    if result.unreadable or result.parsed is None:
        return [name, "", "", "", "", "", "", "", "", "", "", "", result.unreadable]
    report = result.parsed.report
    totals = [
        report.cell(key, "total")
        for key in ("received", "carried_in", "outcome_total", "carried_over")
    ]
    summary = "；".join(f.message for f in result.findings if f.severity == Severity.ERROR)[:500]
    return [
        name,
        report.year,
        report.organization,
        report.format_version,
        result.parsed.detected_format,
        result.count(Severity.ERROR),
        result.count(Severity.WARNING),
        result.count(Severity.INFO),
        *("" if t is None else t for t in totals),
        summary,
    ]
