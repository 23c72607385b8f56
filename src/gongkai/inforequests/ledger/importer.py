"""Import an existing ledger (台账) from Excel: every row is validated before anything is
written, and a file with any invalid row imports nothing. Accepted rows become applications
through the same services as any other (numbers, events, clock, audit), in one transaction.

The upload is untrusted: size limit, ZIP/XLSX content check, a cap on the uncompressed size
(zip bombs), defusedxml for the XML inside (openpyxl uses it when installed), a row limit.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from gongkai.audit.models import Outcome as AuditOutcome
from gongkai.audit.services import audit_record
from gongkai.core.ids import credit_code_problem, resident_id_problem
from gongkai.core.text import normalize_code
from gongkai.core.validators import validate_mobile_or_phone
from gongkai.inforequests import services
from gongkai.inforequests.channels import Channel
from gongkai.inforequests.constants import (
    ApplicantType,
    DeliveryWay,
    IdDocument,
    Outcome,
    ProvisionForm,
)
from gongkai.inforequests.ledger.columns import IMPORT_COLUMNS, IMPORT_HEADERS
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.models_ledger import ImportedRequest, LedgerImport
from gongkai.orgs.constants import Action
from gongkai.orgs.models import Organization, User
from gongkai.orgs.permissions import can

XLSX_MAGIC = b"PK\x03\x04"
UNCOMPRESSED_FACTOR = 20  # an .xlsx rarely expands more than ~10×; beyond 20× refuse it
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")

CHOICES: dict[str, type[models.TextChoices]] = {
    "channel": Channel,
    "applicant_type": ApplicantType,
    "id_document": IdDocument,
    "provision_form": ProvisionForm,
    "delivery_way": DeliveryWay,
    "outcome": Outcome,
}
TEXT_FIELDS = (
    "original_number",
    "applicant_name",
    "phone",
    "email",
    "address",
    "subject",
    "document_number",
    "description",
    "legal_basis",
    "reasons",
)


@dataclass(frozen=True)
class Problem:
    """One finding of the validation report: the Excel row (1 is the header row, 0 the whole
    file), the column header and what is wrong, in Chinese."""

    row: int
    column: str
    message: str


@dataclass
class ParsedRow:
    row: int
    original_number: str
    received_on: date
    channel: str
    data: dict[str, Any]
    closed_on: date | None = None
    outcome: str = ""
    legal_basis: str = ""
    reasons: str = ""


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    batch: LedgerImport | None = None
    requests: list[InfoRequest] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class LedgerFileError(Exception):
    """The file as a whole cannot be read (message in Chinese)."""


def _choice_map(choices: type[models.TextChoices]) -> dict[str, str]:
    """Accepted spellings → value: the Chinese label, its part before a bracket (部分公开), the
    stored value."""
    with translation.override("zh-hans"):
        mapping: dict[str, str] = {}
        for value, label in choices.choices:
            text = normalize_code(str(label))
            mapping[text] = value
            mapping.setdefault(text.split("（")[0].split("(")[0], value)
            mapping[normalize_code(value)] = value
        return mapping


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        converted = from_excel(value)
        return converted.date() if isinstance(converted, datetime) else None
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


# --- reading the file ---------------------------------------------------------------------


def read_rows(content: bytes) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The header row and the non-empty data rows (with their Excel row numbers) of the first
    sheet. Raises LedgerFileError for a file that is too large, not an .xlsx, or too long."""
    max_bytes: int = settings.LEDGER_IMPORT_MAX_BYTES
    max_rows: int = settings.LEDGER_IMPORT_MAX_ROWS
    if len(content) > max_bytes:
        raise LedgerFileError(
            _("文件过大（%(size)s KB），上限为 %(max)s KB，请分成几个文件导入。")
            % {"size": len(content) // 1024, "max": max_bytes // 1024}
        )
    if not content.startswith(XLSX_MAGIC):
        raise LedgerFileError(_("文件不是 Excel（.xlsx）格式，请使用下载的导入模板填写。"))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
        if expanded > max_bytes * UNCOMPRESSED_FACTOR:
            raise LedgerFileError(_("文件解压后过大，无法导入。"))
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except LedgerFileError:
        raise
    except Exception as exc:  # any parser failure means the same to the user
        raise LedgerFileError(_("无法读取该文件，请使用下载的导入模板（.xlsx）填写。")) from exc
    try:
        sheet = workbook.worksheets[0]
        it: Iterator[tuple[Any, ...]] = sheet.iter_rows(values_only=True)
        header_cells = next(it, None)
        if header_cells is None:
            raise LedgerFileError(_("文件是空的：第1行应为列名。"))
        headers = [_text(h).replace("*", "").strip() for h in header_cells]
        while headers and not headers[-1]:
            headers.pop()
        rows: list[tuple[int, list[Any]]] = []
        for number, cells in enumerate(it, start=2):
            values = list(cells)
            if all(_text(v) == "" for v in values):
                continue
            if len(rows) >= max_rows:
                raise LedgerFileError(
                    _("数据超过 %(n)s 行，请分成几个文件导入。") % {"n": max_rows}
                )
            rows.append((number, values))
    finally:
        workbook.close()
    if not rows:
        raise LedgerFileError(_("文件中没有数据行。"))
    return headers, rows


# --- validating -----------------------------------------------------------------------------


def _header_problems(headers: list[str]) -> list[Problem]:
    problems = []
    for position, header in enumerate(headers, start=1):
        if header and header not in IMPORT_HEADERS:
            problems.append(Problem(1, header, _("无法识别的列名，请使用导入模板中的列名。")))
        elif not header:
            problems.append(Problem(1, _("第%(n)s列") % {"n": position}, _("列名为空。")))
    if len(set(h for h in headers if h)) != len([h for h in headers if h]):
        problems.append(Problem(1, "", _("列名有重复。")))
    for column in IMPORT_COLUMNS:
        if column.required and column.header not in headers:
            problems.append(Problem(1, column.header, _("缺少必填列。")))
    return problems


def _max_length(name: str) -> int | None:
    model = ImportedRequest if name == "original_number" else InfoRequest
    return getattr(model._meta.get_field(name), "max_length", None)


def parse_row(
    number: int, values: dict[str, Any], today: date, maps: dict[str, dict[str, str]]
) -> tuple[ParsedRow | None, list[Problem]]:
    """Validate one row (values keyed by field name); a ParsedRow when it is valid."""
    problems: list[Problem] = []
    header = {c.field: c.header for c in IMPORT_COLUMNS}
    out: dict[str, Any] = {}

    def bad(name: str, message: str) -> None:
        problems.append(Problem(number, header[name], message))

    for column in IMPORT_COLUMNS:
        name, raw = column.field, values.get(column.field)
        if column.required and _text(raw) == "":
            bad(name, _("必填项，不能为空。"))
            continue
        if name in ("received_on", "closed_on"):
            try:
                out[name] = _date(raw) if _text(raw) else None
            except (ValueError, OverflowError):
                bad(
                    name,
                    _("日期“%(value)s”无法识别，请写成 2024-03-01 的格式。")
                    % {"value": _text(raw)},
                )
            continue
        if name in CHOICES:
            text = _text(raw)
            if not text:
                out[name] = ""
            elif normalize_code(text) in maps[name]:
                out[name] = maps[name][normalize_code(text)]
            else:
                bad(name, _("“%(value)s”不是可选的值，请按填写说明填写。") % {"value": text})
            continue
        if name == "id_number" and isinstance(raw, int | float) and not isinstance(raw, bool):
            bad(name, _("证件号码被存成了数字（可能已丢失末位），请将该列设为文本格式后重新填写。"))
            continue
        text = _text(raw)
        limit = _max_length(name)
        if limit is not None and len(text) > limit:
            bad(
                name,
                _("过长（%(n)s个字符），不能超过%(max)s个字符。") % {"n": len(text), "max": limit},
            )
            continue
        out[name] = text

    _check_values(number, out, today, problems, header)
    if problems:
        return None, problems
    data = {name: out.get(name, "") for name in services.APPLICANT_FIELDS}
    data["id_number"] = normalize_code(data["id_number"])
    return ParsedRow(
        row=number,
        original_number=out.get("original_number", ""),
        received_on=out["received_on"],
        channel=out["channel"],
        data=data,
        closed_on=out.get("closed_on"),
        outcome=out.get("outcome", ""),
        legal_basis=out.get("legal_basis", ""),
        reasons=out.get("reasons", ""),
    ), []


def _check_values(
    number: int, out: dict[str, Any], today: date, problems: list[Problem], header: dict[str, str]
) -> None:
    def bad(name: str, message: str) -> None:
        problems.append(Problem(number, header[name], message))

    received = out.get("received_on")
    if received and received > today:
        bad("received_on", _("收到申请之日不能晚于今天。"))
    document, id_number = out.get("id_document"), normalize_code(out.get("id_number", ""))
    if document == IdDocument.RESIDENT_ID and id_number:
        problem = resident_id_problem(id_number)
        if problem:
            bad("id_number", _("居民身份证号码无效：%(p)s。") % {"p": problem})
    elif document == IdDocument.CREDIT_CODE and id_number:
        problem = credit_code_problem(id_number)
        if problem:
            bad("id_number", _("统一社会信用代码无效：%(p)s。") % {"p": problem})
    if (
        out.get("applicant_type") == ApplicantType.NATURAL_PERSON
        and document == IdDocument.CREDIT_CODE
    ):
        bad("id_document", _("自然人请提供个人身份证件。"))
    for name, check in (("phone", validate_mobile_or_phone), ("email", validate_email)):
        if out.get(name):
            try:
                check(out[name])
            except ValidationError as exc:
                bad(name, "；".join(str(m) for m in exc.messages))
    closed, outcome = out.get("closed_on"), out.get("outcome")
    if closed or outcome:
        if not closed:
            bad("closed_on", _("填写了办理结果的，须填写办结日期。"))
        if not outcome:
            bad("outcome", _("填写了办结日期的，须填写办理结果。"))
        for name in ("legal_basis", "reasons"):
            if not out.get(name):
                bad(name, _("已办结的申请须填写法律依据和理由（第三十六条）。"))
        if closed and received and closed < received:
            bad("closed_on", _("办结日期不能早于收到申请之日。"))
        if closed and closed > today:
            bad("closed_on", _("办结日期不能晚于今天。"))


def parse_rows(
    headers: list[str], rows: list[tuple[int, list[Any]]], today: date
) -> tuple[list[ParsedRow], list[Problem]]:
    """Validate the whole file; the rows are usable only when the problem list is empty."""
    problems = _header_problems(headers)
    if problems:
        return [], problems
    index = {h: i for i, h in enumerate(headers)}
    field_of = {c.header: c.field for c in IMPORT_COLUMNS}
    maps = {name: _choice_map(choices) for name, choices in CHOICES.items()}
    parsed: list[ParsedRow] = []
    seen: dict[str, int] = {}
    for number, cells in rows:
        values = {field_of[h]: (cells[i] if i < len(cells) else None) for h, i in index.items()}
        row, row_problems = parse_row(number, values, today, maps)
        problems.extend(row_problems)
        original = _text(values.get("original_number"))
        if original in seen:
            problems.append(
                Problem(
                    number,
                    "原台账编号",
                    _("与第%(row)s行的原台账编号重复。") % {"row": seen[original]},
                )
            )
        elif original:
            seen[original] = number
        if row is None:
            continue
        parsed.append(row)
    return parsed, problems


# --- importing ------------------------------------------------------------------------------


def _refuse(
    actor: User, organization: Organization, filename: str, problems: list[Problem]
) -> ImportResult:
    audit_record(
        actor=actor,
        verb="inforequest.ledger_import_refused",
        organization=organization,
        after={"filename": filename[:200], "problems": len(problems)},
        outcome=AuditOutcome.FAILURE,
    )
    return ImportResult(problems=problems)


def ledger_import(
    *, actor: User, organization: Organization, filename: str, content: bytes
) -> ImportResult:
    """Import a ledger file for `organization`: all rows, or none and the report of why."""
    if not can(actor, Action.WORK, organization):
        raise PermissionDenied("没有为该机关登记申请的权限")
    sha256 = hashlib.sha256(content).hexdigest()
    try:
        headers, rows = read_rows(content)
    except LedgerFileError as exc:
        return _refuse(actor, organization, filename, [Problem(0, "", str(exc))])
    parsed, problems = parse_rows(headers, rows, timezone.localdate())
    if problems:
        return _refuse(actor, organization, filename, problems)
    earlier = LedgerImport.objects.filter(organization=organization, sha256=sha256).first()
    if earlier is not None:
        when = timezone.localtime(earlier.created_at).strftime("%Y-%m-%d %H:%M")
        return _refuse(
            actor,
            organization,
            filename,
            [Problem(0, "", _("该文件已于 %(when)s 导入过，未重复导入。") % {"when": when})],
        )
    current = 0
    try:
        with transaction.atomic():
            batch = LedgerImport.objects.create(
                organization=organization,
                actor=actor,
                filename=filename[:200],
                sha256=sha256,
                row_count=len(parsed),
            )
            created: list[InfoRequest] = []
            for row in parsed:
                current = row.row
                created.append(_import_row(actor, organization, batch, row, sha256))
            audit_record(
                actor=actor,
                verb="inforequest.ledger_imported",
                obj=batch,
                organization=organization,
                after={
                    "filename": batch.filename,
                    "sha256": sha256,
                    "rows": len(created),
                    "numbers": [created[0].number, created[-1].number],
                },
            )
    except (ValidationError, ValueError) as exc:
        # A rule of the services that the row checks did not catch: still nothing is kept.
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return _refuse(actor, organization, filename, [Problem(current, "", "；".join(messages))])
    return ImportResult(batch=batch, requests=created)


def _import_row(
    actor: User, organization: Organization, batch: LedgerImport, row: ParsedRow, sha256: str
) -> InfoRequest:
    info, _created = services.request_submit(
        organization=organization,
        data=row.data,
        channel=row.channel,
        received_on=row.received_on,
        actor=actor,
        submission_key=f"ledger-{sha256[:40]}-{row.row}",
    )
    if row.closed_on is not None:
        services.request_close(
            actor=actor,
            request=info,
            outcome=row.outcome,
            legal_basis=row.legal_basis,
            reasons=row.reasons,
            on=row.closed_on,
            # The reply letter of a paper ledger was made outside the system.
            without_letter=f"台账导入：答复书在系统外制作（原编号 {row.original_number or row.row}）",
        )
    ImportedRequest.objects.create(
        batch=batch, request=info, row_number=row.row, original_number=row.original_number
    )
    return info
