"""Export the ledger (台账) as an Excel workbook. The export is a read of personal data in
bulk, so it is permission-scoped and audited like the reveal of one ID number."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
from openpyxl.utils import get_column_letter

from gongkai.appeals.models import Litigation, Reconsideration
from gongkai.audit.services import audit_record
from gongkai.core.ids import mask_resident_id
from gongkai.inforequests.constants import IdDocument
from gongkai.inforequests.ledger.columns import EXPORT_HEADERS
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.constants import Action
from gongkai.orgs.models import User
from gongkai.orgs.permissions import scope

SHEET_TITLE = "政府信息公开申请台账"
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


def ledger_row(info: Any) -> list[Any]:
    """One ledger row; `info` carries the has_reconsideration/has_litigation annotations."""
    return [
        info.number,
        info.received_on,
        info.get_channel_display(),
        info.get_applicant_type_display(),
        info.applicant_name,
        info.get_id_document_display(),
        masked_id(info),
        info.subject,
        info.document_number,
        info.organization.name,
        info.officer.display_name if info.officer else "",
        info.get_status_display(),
        info.due_on,
        info.closed_on,
        info.get_outcome_display() if info.outcome else "",
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


def workbook_bytes(rows: Iterable[list[Any]], title: str = SHEET_TITLE) -> bytes:
    """Write the rows under the ledger headers; text is always stored as text, never as a
    formula, whatever it starts with."""
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(list(EXPORT_HEADERS))
    for row in rows:
        ws.append([_cell_value(v) for v in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                cell.data_type = TYPE_STRING
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    for i, header in enumerate(EXPORT_HEADERS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, len(header) * 2 + 2)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def ledger_export(
    *, actor: User, queryset: QuerySet[InfoRequest], filters: dict[str, Any]
) -> tuple[bytes, int]:
    """The workbook of the applications in `queryset` that `actor` may see, and the row count.
    Audited with the filters used and the count (never the applicants' data)."""
    qs = _with_appeals(scope(queryset, actor, Action.VIEW))
    infos = list(qs)
    content = workbook_bytes(ledger_row(info) for info in infos)
    audit_record(
        actor=actor,
        verb="inforequest.ledger_exported",
        after={"filters": filters, "rows": len(infos), "on": timezone.localdate().isoformat()},
    )
    return content, len(infos)
