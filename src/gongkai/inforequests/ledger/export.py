"""Export the ledger (台账) as an Excel workbook. The export is a read of personal data in
bulk, so it is permission-scoped and audited like the reveal of one ID number."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
from openpyxl.utils import get_column_letter

from gongkai.appeals.models import Litigation, Reconsideration
from gongkai.audit.services import audit_record
from gongkai.core.ids import mask_resident_id
from gongkai.inforequests.channels import Channel
from gongkai.inforequests.constants import ApplicantType, IdDocument, Outcome, Status
from gongkai.inforequests.ledger.columns import EXPORT_HEADERS
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.constants import Action
from gongkai.orgs.models import User
from gongkai.orgs.permissions import scope

SHEET_TITLE = "政府信息公开申请台账"
# One export stays well below Excel's 1,048,576 rows and a web request's time; narrow the
# filters (e.g. by date range) for more.
EXPORT_MAX_ROWS = 50_000
# Leading characters that make a spreadsheet treat text as a formula (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@")


def masked_id(info: InfoRequest) -> str:
    """Personal ID numbers keep their region and last four characters; an organisation's
    credit code is public and stays whole."""
    if info.id_document == IdDocument.CREDIT_CODE:
        return info.id_number
    return mask_resident_id(info.id_number)


def _yes_no(flag: bool) -> str:
    return "是" if flag else "否"


def _with_appeals(qs: QuerySet[InfoRequest]) -> QuerySet[InfoRequest]:
    return qs.select_related("organization", "officer").annotate(
        has_reconsideration=Exists(Reconsideration.objects.filter(info_request=OuterRef("pk"))),
        has_litigation=Exists(Litigation.objects.filter(info_request=OuterRef("pk"))),
    )


def _labels() -> dict[str, dict[str, str]]:
    """Choice labels in Chinese, looked up once per export (the headers are Chinese too; the
    ledger is an office document, not the interface)."""
    with translation.override("zh-hans"):
        return {
            name: {value: str(label) for value, label in choices.choices}
            for name, choices in (
                ("channel", Channel),
                ("applicant_type", ApplicantType),
                ("id_document", IdDocument),
                ("status", Status),
                ("outcome", Outcome),
            )
        }


def ledger_row(info: Any, labels: dict[str, dict[str, str]]) -> list[Any]:
    """One ledger row; `info` carries the has_reconsideration/has_litigation annotations."""
    return [
        info.number,
        info.received_on,
        labels["channel"].get(info.channel, info.channel),
        labels["applicant_type"].get(info.applicant_type, info.applicant_type),
        info.applicant_name,
        labels["id_document"].get(info.id_document, info.id_document),
        masked_id(info),
        info.subject,
        info.document_number,
        info.organization.name,
        info.officer.display_name if info.officer else "",
        labels["status"].get(info.status, info.status),
        info.due_on,
        info.closed_on,
        labels["outcome"].get(info.outcome, info.outcome),
        info.legal_basis,
        _yes_no(info.has_reconsideration),
        _yes_no(info.has_litigation),
    ]


def _cell_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters are invalid in XLSX
    return value


def _cell(ws: Any, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=_cell_value(value))
    if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
        cell.data_type = TYPE_STRING  # text, never a formula
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def workbook_bytes(rows: Iterable[list[Any]], title: str = SHEET_TITLE) -> bytes:
    """Write the rows under the ledger headers (write-only mode: memory stays flat); text is
    always stored as text, never as a formula, whatever it starts with."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    for i, header in enumerate(EXPORT_HEADERS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, len(header) * 2 + 2)
    ws.freeze_panes = "A2"
    ws.append(list(EXPORT_HEADERS))
    for row in rows:
        ws.append([_cell(ws, v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def ledger_export(
    *, actor: User, queryset: QuerySet[InfoRequest], filters: dict[str, Any]
) -> tuple[bytes, int]:
    """The workbook of the applications in `queryset` that `actor` may see, and the row count.
    Audited with the filters used and the count (never the applicants' data)."""
    qs = _with_appeals(scope(queryset, actor, Action.VIEW))
    count = qs.count()
    if count > EXPORT_MAX_ROWS:
        raise ValidationError(
            _(
                "共 %(n)s 件，超过一次导出的上限 %(max)s 件，请缩小筛选范围（如按收到日期分段导出）。"
            )
            % {"n": count, "max": EXPORT_MAX_ROWS}
        )
    labels = _labels()
    content = workbook_bytes(ledger_row(info, labels) for info in qs.iterator(chunk_size=2000))
    audit_record(
        actor=actor,
        verb="inforequest.ledger_exported",
        after={"filters": filters, "rows": count, "on": timezone.localdate().isoformat()},
    )
    return content, count
