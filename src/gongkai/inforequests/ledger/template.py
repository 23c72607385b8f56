"""The documented import template of the ledger (台账), downloadable from the console."""

from __future__ import annotations

import io

from django.conf import settings
from openpyxl import Workbook
from openpyxl.styles import Font

from gongkai.inforequests.ledger.columns import IMPORT_COLUMNS, IMPORT_HEADERS

SHEET_TITLE = "台账"


def template_bytes() -> bytes:
    """The documented import template: the 台账 sheet with the headers (ID numbers as text) and
    a sheet explaining each column and the limits."""
    wb = Workbook()
    sheet = wb.active
    sheet.title = SHEET_TITLE
    sheet.append(list(IMPORT_HEADERS))
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    id_column = IMPORT_HEADERS.index("证件号码") + 1
    for r in range(2, 502):
        sheet.cell(row=r, column=id_column).number_format = "@"
    for i, header in enumerate(IMPORT_HEADERS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = max(
            12, len(header) * 2 + 2
        )
    sheet.freeze_panes = "A2"
    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "填写要求"])
    for cell in notes[1]:
        cell.font = bold
    for column in IMPORT_COLUMNS:
        notes.append([column.header, "必填" if column.required else "选填", column.help])
    max_rows = settings.LEDGER_IMPORT_MAX_ROWS
    max_kb = settings.LEDGER_IMPORT_MAX_BYTES // 1024
    notes.append([])
    notes.append(
        ["说明", "", f"第1行为列名，请勿修改；每个文件最多 {max_rows} 行数据，不超过 {max_kb} KB。"]
    )
    notes.append(
        ["", "", "导入前逐行校验；任何一行有误，整个文件都不导入，请按校验报告改正后重新上传。"]
    )
    notes.append(["", "", "导入的申请另行编号，原台账编号留存备查；答复期限按办理记录自动计算。"])
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["C"].width = 90
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
