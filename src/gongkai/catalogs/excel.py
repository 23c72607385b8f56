"""Excel (.xlsx) exchange of the publication catalog: a template, reading and validating an
existing catalog row by row, and the export of a listing.

Reading never writes: `read_catalog` returns the rows and every problem found (row, column,
problem, in Chinese); `imports.catalog_import` writes only when there is none.

The import publishes every row it writes, so it takes only items already published as 主动公开.
A file that says otherwise of a row in its 公开属性 or 状态 column (the export below, a legacy
catalog) has that row refused: information marked 不予公开 or 依申请公开, or never published,
must not become public through an import (条例第十四条至第十六条).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from gongkai.publications.constants import (
    DisclosureAttribute,
    Genre,
    NormativeKind,
    Status,
    StatutoryCategory,
    Validity,
)
from gongkai.publications.models import Publication
from gongkai.publications.rules import plain_text, scan_pii
from gongkai.publications.topics import topic_label, topics

# Upload guards. A catalog of one organisation has hundreds to a few thousand rows.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # a zip bomb expands far beyond this
MAX_ROWS = 2000  # about 75–90 ms per written row (decision 0004): a few minutes at most
SHEET_TITLE = "政府信息目录"
HEADER_ROW = 1


@dataclass(frozen=True)
class Column:
    key: str  # Publication field, or a pseudo field
    header: str
    required: bool = False
    width: int = 16


COLUMNS = (
    Column("title", "信息名称", True, 40),
    Column("published_on", "发布日期", True, 12),
    Column("index_number", "索引号", False, 28),
    Column("document_number", "发文字号", False, 20),
    Column("written_on", "成文日期", True, 12),
    Column("statutory_category", "法定主动公开内容", True, 30),
    Column("topic", "主题分类", True, 24),
    Column("genre", "体裁分类", False, 10),
    Column("summary", "内容概述", False, 40),
    Column("keywords", "关键词", False, 16),
    Column("source", "信息来源", False, 16),
    Column("normative_kind", "规章或行政规范性文件", False, 14),
    Column("validity", "有效性", False, 8),
    Column("ceased_on", "废止或失效日期", False, 12),
    Column("body", "正文", False, 60),
)
# Written by the export and read by the import, which refuses a row not 主动公开 and 已发布.
STATE_COLUMNS = (
    Column("disclosure_attribute", "公开属性", False, 10),
    Column("status", "状态", False, 8),
)
# 发布机构 is only informative: the importer chooses the organisation the rows belong to.
EXPORT_EXTRA = (Column("organization", "发布机构", False, 24), *STATE_COLUMNS)
BY_HEADER = {c.header: c for c in COLUMNS + STATE_COLUMNS}

DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


@dataclass(frozen=True)
class RowError:
    row: int  # the row number Excel shows
    column: str  # the header, or "" for the whole row / file
    message: str


@dataclass
class ParsedRow:
    row: int
    data: dict[str, Any]  # publications.services EDITABLE_FIELDS values
    published_on: date
    index_number: str = ""
    validity: str = Validity.VALID
    ceased_on: date | None = None


@dataclass
class ReadResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class UploadRejected(ValidationError):
    """The file as a whole is refused (type, size, structure); no row was read."""


# --- choice lists: the label shown in Excel ↔ the stored value ---------------------------------
def _choice_maps() -> dict[str, dict[str, str]]:
    def labels(choices: Any) -> dict[str, str]:
        return {str(label): value for value, label in choices}

    statutory = labels(StatutoryCategory.choices)
    statutory.update({value: value for value in StatutoryCategory.values})
    topic_map = {t.label: t.code for t in topics().values()}
    topic_map.update({code: code for code in topics()})
    return {
        "statutory_category": statutory,
        "topic": topic_map,
        "genre": labels(Genre.choices),
        "normative_kind": {**labels(NormativeKind.choices), "": ""},
        "validity": labels(Validity.choices),
        "disclosure_attribute": labels(DisclosureAttribute.choices),
        "status": labels(Status.choices),
    }


def _display(key: str, value: str) -> str:
    if not value:
        return ""
    if key == "topic":
        return topic_label(value)
    for k, choices in (
        ("statutory_category", StatutoryCategory),
        ("genre", Genre),
        ("normative_kind", NormativeKind),
        ("validity", Validity),
    ):
        if key == k:
            return str(choices(value).label)
    return value


# --- template ------------------------------------------------------------------------------------
def _header(ws: Any, columns: tuple[Column, ...]) -> None:
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=i, value=col.header + ("*" if col.required else ""))
        cell.font = Font(bold=True)
        ws.column_dimensions[cell.column_letter].width = col.width
    ws.freeze_panes = "A2"


def template() -> bytes:
    """An empty catalog with the headers (required ones marked *), drop-down lists for the
    coded columns and a sheet explaining each column."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    _header(ws, COLUMNS)
    lists = wb.create_sheet("可选值")
    coded = [
        (key, [str(label) for _, label in _choices_for(key)])
        for key in ("statutory_category", "genre", "normative_kind", "validity")
    ]
    coded.append(("topic", [t.label for t in topics().values()]))
    for i, (key, values) in enumerate(coded, start=1):
        lists.cell(row=1, column=i, value=_header_of(key))
        for r, v in enumerate(values, start=2):
            lists.cell(row=r, column=i, value=v)
        src = lists.cell(row=1, column=i).column_letter
        dst = ws.cell(row=1, column=[c.key for c in COLUMNS].index(key) + 1).column_letter
        dv = DataValidation(type="list", formula1=f"'可选值'!${src}$2:${src}${len(values) + 1}")
        dv.add(f"{dst}2:{dst}{MAX_ROWS + 1}")
        ws.add_data_validation(dv)
    help_ws = wb.create_sheet("填写说明")
    notes = [
        ("列", "说明"),
        ("信息名称*", "必填，不超过300字"),
        ("发布日期*", "必填，原发布日期，格式 2024-03-05；导入后保留原发布日期"),
        (
            "索引号",
            "原索引号；填写且不重复的予以保留，空白的按本单位索引号规则在发布年度内自动编号",
        ),
        ("成文日期*", "必填，格式 2024-03-01"),
        ("法定主动公开内容*", "条例第二十条的项目，从下拉列表选择，或填代码如 20-01"),
        ("主题分类*", "如 综合政务\\政务公开，或代码如 0201"),
        ("规章或行政规范性文件", "规章、行政规范性文件或留空"),
        ("有效性", "规范性文件的有效性；留空为有效"),
        ("废止或失效日期", "有效性为已修改、已废止或已失效时必填"),
        ("正文", "纯文本或HTML；导入前检查个人信息"),
        (
            "公开属性、状态",
            "可不设此两列；设列时（如本系统导出的目录）只导入公开属性为主动公开且状态为已发布的行，"
            "其他行不予导入",
        ),
        ("限制", f"每次最多 {MAX_ROWS} 行，文件不超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB"),
    ]
    for r, (a, b) in enumerate(notes, start=1):
        help_ws.cell(row=r, column=1, value=a)
        help_ws.cell(row=r, column=2, value=b)
    help_ws.column_dimensions["A"].width = 24
    help_ws.column_dimensions["B"].width = 80
    return _save(wb)


def _choices_for(key: str) -> list[tuple[str, Any]]:
    choices: dict[str, list[tuple[str, Any]]] = {
        "statutory_category": StatutoryCategory.choices,
        "genre": Genre.choices,
        "normative_kind": [c for c in NormativeKind.choices if c[0]],
        "validity": Validity.choices,
    }
    return choices[key]


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading -----------------------------------------------------------------------------------
def _check_file(data: bytes) -> None:
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRejected(
            _("文件过大：不能超过 %(mb)d MB") % {"mb": MAX_UPLOAD_BYTES // 1024 // 1024}
        )
    if not data.startswith(b"PK\x03\x04"):
        raise UploadRejected(_("文件不是 Excel（.xlsx）格式"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            total = sum(i.file_size for i in zf.infolist())
    except zipfile.BadZipFile as exc:
        raise UploadRejected(_("文件已损坏，无法读取")) from exc
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise UploadRejected(_("文件不是 Excel（.xlsx）格式"))
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise UploadRejected(_("不接受含宏的文件，请另存为 .xlsx 后上传"))
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UploadRejected(_("文件解压后过大，无法读取"))


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
    text = _text(value)
    if not text:
        return None
    text = re.sub(r"\s+", "", text)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def read_catalog(stream: IO[bytes] | bytes, *, today: date) -> ReadResult:
    """Every row of the first sheet, validated; nothing is written. Raises UploadRejected
    for a file that is not a readable .xlsx catalog at all."""
    data = stream if isinstance(stream, bytes) else stream.read(MAX_UPLOAD_BYTES + 1)
    _check_file(data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on malformed files
        raise UploadRejected(_("文件无法作为 Excel 工作簿读取")) from exc
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        columns = _map_header(header)
        result = ReadResult()
        maps = _choice_maps()
        seen_index: dict[str, int] = {}
        count = 0
        for number, values in enumerate(rows, start=HEADER_ROW + 1):
            if values is None or all(_text(v) == "" for v in values):
                continue
            count += 1
            if count > MAX_ROWS:
                raise UploadRejected(_("行数过多：每次最多导入 %(n)d 行") % {"n": MAX_ROWS})
            cells = {key: values[i] if i < len(values) else None for key, i in columns.items()}
            _read_row(number, cells, maps, seen_index, today, result)
    finally:
        wb.close()
    if count == 0:
        raise UploadRejected(_("文件中没有数据行"))
    _check_index_numbers_unused(seen_index, result)
    return result


def _map_header(header: tuple[Any, ...] | None) -> dict[str, int]:
    if not header:
        raise UploadRejected(_("第1行应为表头，请使用导入模板"))
    columns: dict[str, int] = {}
    for i, value in enumerate(header):
        name = _text(value).rstrip("*＊").strip()
        col = BY_HEADER.get(name)
        if col is not None:
            if col.key in columns:
                raise UploadRejected(_("表头“%(h)s”重复") % {"h": name})
            columns[col.key] = i
    missing = [c.header for c in COLUMNS if c.required and c.key not in columns]
    if missing:
        raise UploadRejected(
            _("缺少必填列：%(cols)s。请使用导入模板") % {"cols": "、".join(missing)}
        )
    return columns


def _header_of(key: str) -> str:
    return next(c.header for c in COLUMNS + STATE_COLUMNS if c.key == key)


def _read_row(
    number: int,
    cells: dict[str, Any],
    maps: dict[str, dict[str, str]],
    seen_index: dict[str, int],
    today: date,
    result: ReadResult,
) -> None:
    errors: list[RowError] = []

    def err(key: str, message: str) -> None:
        errors.append(RowError(number, _header_of(key) if key else "", message))

    data: dict[str, Any] = {}
    for col in COLUMNS:
        raw = cells.get(col.key)
        if col.key in ("published_on", "written_on", "ceased_on"):
            try:
                data[col.key] = _date(raw)
            except ValueError:
                err(col.key, _("日期格式无法识别：“%(v)s”，应为 2024-03-05") % {"v": _text(raw)})
                data[col.key] = None
                continue
        elif col.key in maps:
            text = _text(raw)
            if text and text not in maps[col.key]:
                err(col.key, _("“%(v)s”不是可选值，请从下拉列表选择") % {"v": text})
            data[col.key] = maps[col.key].get(text, "")
        else:
            data[col.key] = _text(raw)
        if col.required and not _text(raw):
            err(col.key, _("必填项为空"))
    published_on = data.pop("published_on")
    index_number = data.pop("index_number")
    validity = data.pop("validity") or Validity.VALID
    ceased_on = data.pop("ceased_on")
    if published_on and published_on > today:
        err("published_on", _("发布日期不能晚于今天"))
    if published_on and data["written_on"] and data["written_on"] > published_on:
        err("written_on", _("成文日期不能晚于发布日期"))
    if validity != Validity.VALID and not data["normative_kind"]:
        err("validity", _("只有规章或行政规范性文件填写有效性"))
    if validity != Validity.VALID and ceased_on is None:
        err(
            "ceased_on",
            _("有效性为“%(v)s”时须填写废止或失效日期") % {"v": Validity(validity).label},
        )
    if validity == Validity.VALID and ceased_on is not None:
        err("ceased_on", _("有效的文件不填写废止或失效日期"))
    if index_number:
        if index_number in seen_index:
            err(
                "index_number",
                _("索引号与第%(row)d行重复") % {"row": seen_index[index_number]},
            )
        else:
            seen_index[index_number] = number
        if len(index_number) > 80:
            err("index_number", _("索引号不能超过80个字符"))
    _check_published_proactively(cells, maps, err)
    text = "\n".join([data["title"], data["summary"], plain_text(data["body"])])
    kinds = sorted({str(hit.kind.label) for hit in scan_pii(text)})
    if kinds:
        err("body", _("含有个人信息（%(kinds)s），请遮盖后再导入") % {"kinds": "、".join(kinds)})
    _model_errors(data, err, {e.column for e in errors})
    result.errors.extend(errors)
    if not errors:
        result.rows.append(ParsedRow(number, data, published_on, index_number, validity, ceased_on))


def _check_published_proactively(
    cells: dict[str, Any], maps: dict[str, dict[str, str]], err: Any
) -> None:
    """A row whose file says it is not 主动公开 or not 已发布 is refused, never published; a
    blank or unknown value is refused too, since only a stated 主动公开 / 已发布 is safe."""
    checks = (
        (
            "disclosure_attribute",
            DisclosureAttribute.PROACTIVE,
            _("公开属性为“%(v)s”，导入只接受已主动公开的政府信息"),
            _("公开属性为空，导入只接受已主动公开的政府信息，请填写“主动公开”"),
        ),
        (
            "status",
            Status.PUBLISHED,
            _("状态为“%(v)s”，导入只接受已发布的政府信息"),
            _("状态为空，导入只接受已发布的政府信息，请填写“已发布”"),
        ),
    )
    for key, accepted, refused, blank in checks:
        if key not in cells:  # the file has no such column (the import template)
            continue
        text = _text(cells[key])
        value = maps[key].get(text)
        if value == accepted:
            continue
        if not text:
            err(key, blank)
        elif value is None:
            err(key, _("“%(v)s”不是可选值，请从下拉列表选择") % {"v": text})
        else:
            err(key, refused % {"v": text})


def _model_errors(data: dict[str, Any], err: Any, reported: set[str]) -> None:
    """The same field validation publication_create applies (lengths, 主题分类 code)."""
    candidate = Publication(**{k: v for k, v in data.items() if v is not None})
    try:
        candidate.full_clean(
            exclude=["organization", "index_number", "created_by", "reviewed_by", "published_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        known = {c.key for c in COLUMNS}
        for key, messages in exc.message_dict.items():
            if key in known and _header_of(key) in reported:
                continue  # already said in our own words
            for message in messages:
                err(key if key in known else "", message)


def _check_index_numbers_unused(seen: dict[str, int], result: ReadResult) -> None:
    if not seen:
        return
    taken = {
        n
        for n in Publication.objects.filter(index_number__in=list(seen)).values_list(
            "index_number", flat=True
        )
        if n is not None
    }
    for number in sorted(taken, key=lambda n: seen[n]):
        result.errors.append(
            RowError(seen[number], _header_of("index_number"), _("索引号已被现有信息使用"))
        )
    bad_rows = {e.row for e in result.errors}
    result.rows = [r for r in result.rows if r.row not in bad_rows]
    result.errors.sort(key=lambda e: (e.row, e.column))


# --- export ------------------------------------------------------------------------------------
def export_catalog(publications: Any) -> bytes:
    """The listing as a workbook in the template's columns plus 发布机构, 公开属性 and 状态:
    every row the listing holds, drafts and items not proactively disclosed included, with
    their 正文. Read back by `read_catalog`, only rows 主动公开 and 已发布 are accepted (the
    others are refused row by row) and a 索引号 already in use is refused as a duplicate, so
    the file imports again only where its items are not held yet.

    Callers go through `exports.catalog_export`, which scopes and audits the export."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_TITLE)
    columns = COLUMNS + EXPORT_EXTRA
    ws.append([c.header for c in columns])
    for pub in publications.iterator(chunk_size=500):
        row: list[Any] = []
        for col in columns:
            if col.key == "organization":
                value: Any = pub.organization.name
            elif col.key == "status":
                value = pub.get_status_display()
            elif col.key == "disclosure_attribute":
                value = pub.get_disclosure_attribute_display()
            elif col.key == "body":
                value = plain_text(pub.body)
            elif col.key in ("published_on", "written_on", "ceased_on"):
                value = getattr(pub, col.key)
            else:
                value = _display(col.key, getattr(pub, col.key) or "")
            row.append(_as_cell(ws, value))
        ws.append(row)
    return _save(wb)


def _as_cell(ws: Any, value: Any) -> Any:
    """Text starting with = + - @ stays text (no formula injection when opened)."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return value
