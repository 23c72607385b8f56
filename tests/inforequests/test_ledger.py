"""The ledger (台账): export to Excel with masked ID numbers (audited), import from the template
validated row by row, all rows or none, through the same services as any application."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook, load_workbook

from gongkai.appeals.services import litigation_record
from gongkai.audit.models import AuditEvent
from gongkai.core.ids import resident_id_check_char
from gongkai.inforequests import services
from gongkai.inforequests.channels import Channel
from gongkai.inforequests.clock_events import ClockEvent
from gongkai.inforequests.constants import Outcome, Status
from gongkai.inforequests.ledger.columns import EXPORT_HEADERS, IMPORT_HEADERS
from gongkai.inforequests.ledger.export import ledger_export
from gongkai.inforequests.ledger.importer import ledger_import
from gongkai.inforequests.ledger.template import template_bytes
from gongkai.inforequests.models import InfoRequest, LedgerImport
from tests.conftest import APPLICANT, District
from tests.inforequests.letters_support import close_with_reply

TODAY = date(2024, 3, 20)
ID_MASKED = "110105********002X"


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield


def _resident_id(seed: int) -> str:
    first17 = f"110105{1960 + seed % 40:04d}0202{seed % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def submit(district: District, **data: Any) -> InfoRequest:
    info, _ = services.request_submit(
        organization=data.pop("org", district.dept_a),
        data={**APPLICANT, **data},
        channel=Channel.ONLINE,
        received_on=date(2024, 3, 1),
    )
    return info


def read(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# --- export -----------------------------------------------------------------------------------


def test_export_has_the_office_columns_and_masks_personal_ids(district: District) -> None:
    info = submit(district)
    close_with_reply(
        actor=district.officer_a,
        request=info,
        outcome=Outcome.DISCLOSED,
        legal_basis="第三十六条第（二）项",
        reasons="予以公开",
        on=date(2024, 3, 15),
    )
    litigation_record(
        actor=district.officer_a,
        organization=district.dept_a,
        applicant_name="张三",
        court="测试区人民法院",
        route="direct",
        filed_on=date(2024, 3, 18),
        info_request=info,
    )
    company = submit(
        district,
        applicant_type="commercial",
        applicant_name="江州某某有限公司",
        id_document="credit_code",
        id_number=district.dept_b.credit_code,
    )
    content, count = ledger_export(
        actor=district.officer_a, queryset=InfoRequest.objects.all(), filters={}
    )
    rows = read(content)
    assert count == 2
    assert tuple(rows[0]) == EXPORT_HEADERS
    by_number = {r[0]: dict(zip(EXPORT_HEADERS, r, strict=True)) for r in rows[1:]}
    row = by_number[info.number]
    assert row["证件号码（已隐去部分）"] == ID_MASKED
    assert APPLICANT["id_number"] not in str(rows)
    assert row["收到申请之日"] == datetime(2024, 3, 1)
    assert row["办结日期"] == datetime(2024, 3, 15)
    assert row["办理结果"] == "予以公开"
    assert row["承办机关"] == district.dept_a.name
    assert row["是否行政诉讼"] == "是" and row["是否行政复议"] == "否"
    # An organisation's credit code is public: not masked.
    assert by_number[company.number]["证件号码（已隐去部分）"] == district.dept_b.credit_code


def test_export_contains_only_what_the_officer_may_see_and_is_audited(
    district: District,
) -> None:
    mine = submit(district)
    other = submit(district, org=district.dept_b)
    content, count = ledger_export(
        actor=district.officer_b, queryset=InfoRequest.objects.all(), filters={"state": "all"}
    )
    numbers = [r[0] for r in read(content)[1:]]
    assert numbers == [other.number] and count == 1
    assert mine.number not in numbers
    event = AuditEvent.objects.get(verb="inforequest.ledger_exported")
    assert event.actor_id == district.officer_b.pk
    assert event.after["rows"] == 1 and event.after["filters"] == {"state": "all"}


def test_text_that_looks_like_a_formula_stays_text(district: District) -> None:
    submit(district, subject='=HYPERLINK("http://evil.example","点击")')
    content, _ = ledger_export(
        actor=district.officer_a, queryset=InfoRequest.objects.all(), filters={}
    )
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


# --- import -----------------------------------------------------------------------------------


def row(**overrides: Any) -> dict[str, Any]:
    base = {
        "原台账编号": "TZ-1",
        "收到申请之日": "2024-02-01",
        "申请渠道": "当面提交",
        "申请人类型": "自然人",
        "申请人姓名或名称": "李四",
        "身份证明": "居民身份证",
        "证件号码": "11010519491231002X",
        "联系电话": "13812345678",
        "电子邮箱": "",
        "通信地址": "",
        "所需信息名称": "2023年财政预算",
        "文号": "",
        "所需信息的描述": "",
        "提供形式": "电子",
        "获取方式": "电子邮件",
        "办结日期": "",
        "办理结果": "",
        "法律依据": "",
        "理由": "",
    }
    base.update(overrides)
    return base


def workbook(rows: list[dict[str, Any]], headers: tuple[str, ...] = IMPORT_HEADERS) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.append(list(headers))
    for r in rows:
        sheet.append([r.get(h, "") for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def do_import(district: District, content: bytes, actor: Any = None) -> Any:
    return ledger_import(
        actor=actor or district.officer_a,
        organization=district.dept_a,
        filename="台账.xlsx",
        content=content,
    )


def test_valid_ledger_imports_through_the_services(district: District) -> None:
    closed = row(
        **{
            "原台账编号": "TZ-2",
            "收到申请之日": datetime(2024, 1, 8),  # an Excel date cell
            "申请渠道": "邮寄（需签收）",
            "办结日期": "2024/01/30",
            "办理结果": "部分公开",  # the short form of the official row label
            "法律依据": "《政府信息公开条例》第三十七条",
            "理由": "部分涉及第三方",
        }
    )
    result = do_import(district, workbook([row(), closed]))
    assert result.ok, result.problems
    first, second = result.requests
    assert first.number.startswith("2024-") and second.number.startswith("2024-")
    assert first.received_on == date(2024, 2, 1) and first.due_on is not None
    assert list(first.events.values_list("kind", flat=True)) == [ClockEvent.RECEIVED]
    second.refresh_from_db()
    assert second.status == Status.CLOSED and second.outcome == Outcome.PARTLY_DISCLOSED
    assert second.closed_on == date(2024, 1, 30)
    assert second.imported_from.original_number == "TZ-2"
    assert AuditEvent.objects.filter(verb="inforequest.submitted").count() == 2
    assert AuditEvent.objects.filter(verb="inforequest.closed").count() == 1
    event = AuditEvent.objects.get(verb="inforequest.ledger_imported")
    assert event.after["rows"] == 2 and event.organization_id == district.dept_a.pk


def test_one_bad_row_in_the_middle_imports_nothing(district: District) -> None:
    rows = [
        row(),
        row(**{"原台账编号": "TZ-2"}),
        row(**{"原台账编号": "TZ-3", "证件号码": "110105194912310021", "申请渠道": "飞鸽"}),
        row(**{"原台账编号": "TZ-4"}),
    ]
    result = do_import(district, workbook(rows))
    assert not result.ok
    assert {(p.row, p.column) for p in result.problems} == {(4, "证件号码"), (4, "申请渠道")}
    messages = {p.column: p.message for p in result.problems}
    assert messages["证件号码"] == "居民身份证号码无效：校验码错误。"
    assert "“飞鸽”不是可选的值" in messages["申请渠道"]
    assert InfoRequest.objects.count() == 0
    assert LedgerImport.objects.count() == 0
    assert not AuditEvent.objects.filter(verb="inforequest.submitted").exists()
    refused = AuditEvent.objects.get(verb="inforequest.ledger_import_refused")
    assert refused.outcome == "failure" and refused.after["problems"] == 2


def test_validation_messages_name_row_column_and_problem(district: District) -> None:
    rows = [
        row(**{"收到申请之日": "2024-04-01"}),  # after today
        row(**{"原台账编号": "TZ-1", "所需信息名称": ""}),  # duplicate number, missing subject
        row(**{"原台账编号": "TZ-3", "办结日期": "2024-02-10"}),  # closed without outcome
        row(
            **{
                "原台账编号": "TZ-4",
                "身份证明": "统一社会信用代码",
                "证件号码": "91350100M000100Y43",
            }
        ),
        row(**{"原台账编号": "TZ-5", "收到申请之日": "去年"}),
    ]
    result = do_import(district, workbook(rows))
    found = {(p.row, p.column, p.message) for p in result.problems}
    assert (2, "收到申请之日", "收到申请之日不能晚于今天。") in found
    assert (3, "所需信息名称", "必填项，不能为空。") in found
    assert (3, "原台账编号", "与第2行的原台账编号重复。") in found
    assert (4, "办理结果", "填写了办结日期的，须填写办理结果。") in found
    assert (4, "法律依据", "已办结的申请须填写法律依据和理由（第三十六条）。") in found
    assert (5, "身份证明", "自然人请提供个人身份证件。") in found
    assert (6, "收到申请之日", "日期“去年”无法识别，请写成 2024-03-01 的格式。") in found
    assert InfoRequest.objects.count() == 0


def test_an_id_number_stored_as_a_number_is_refused(district: District) -> None:
    result = do_import(district, workbook([row(**{"证件号码": 110105194912310021})]))
    assert [p.column for p in result.problems] == ["证件号码"]
    assert "文本格式" in result.problems[0].message


def test_unknown_and_missing_columns_are_reported(district: District) -> None:
    headers = (*(h for h in IMPORT_HEADERS if h != "所需信息名称"), "备注栏")
    result = do_import(district, workbook([row()], headers))
    found = {(p.row, p.column) for p in result.problems}
    assert found == {(1, "备注栏"), (1, "所需信息名称")}


def test_uploads_are_guarded(district: District, settings: Any) -> None:
    not_excel = do_import(district, b"%PDF-1.7 not a spreadsheet")
    assert "不是 Excel" in not_excel.problems[0].message
    broken_zip = do_import(district, b"PK\x03\x04" + b"\0" * 100)
    assert "无法读取" in broken_zip.problems[0].message
    settings.LEDGER_IMPORT_MAX_ROWS = 2
    too_long = do_import(district, workbook([row(**{"原台账编号": f"TZ-{i}"}) for i in range(3)]))
    assert too_long.problems[0].message == "数据超过 2 行，请分成几个文件导入。"
    settings.LEDGER_IMPORT_MAX_BYTES = 1000
    too_big = do_import(district, workbook([row()]))
    assert "文件过大" in too_big.problems[0].message
    assert InfoRequest.objects.count() == 0


def test_the_same_file_twice_is_imported_once(district: District) -> None:
    content = workbook([row()])
    assert do_import(district, content).ok
    again = do_import(district, content)
    assert "已于" in again.problems[0].message
    assert InfoRequest.objects.count() == 1


def test_import_needs_the_work_permission(district: District) -> None:
    with pytest.raises(PermissionDenied):
        do_import(district, workbook([row()]), actor=district.officer_b)
    with pytest.raises(PermissionDenied):
        do_import(district, workbook([row()]), actor=district.supervisor)


def test_the_template_round_trips(district: District) -> None:
    """The downloadable template has the import headers and a sheet explaining them; filled
    in, it imports."""
    wb = load_workbook(io.BytesIO(template_bytes()))
    assert [c.value for c in wb["台账"][1]] == list(IMPORT_HEADERS)
    notes = [r[0] for r in wb["填写说明"].iter_rows(values_only=True)]
    assert set(IMPORT_HEADERS) <= set(notes)
    sheet = wb["台账"]
    for i, header in enumerate(IMPORT_HEADERS, start=1):
        sheet.cell(row=2, column=i, value=row()[header] or None)
    out = io.BytesIO()
    wb.save(out)
    assert do_import(district, out.getvalue()).ok


def test_an_export_above_the_limit_is_refused(district: District, monkeypatch: Any) -> None:
    from gongkai.inforequests.ledger import export

    monkeypatch.setattr(export, "EXPORT_MAX_ROWS", 1)
    submit(district)
    submit(district)
    with pytest.raises(ValidationError, match="超过一次导出的上限"):
        ledger_export(actor=district.officer_a, queryset=InfoRequest.objects.all(), filters={})
    assert not AuditEvent.objects.filter(verb="inforequest.ledger_exported").exists()


def test_a_service_error_on_a_late_row_rolls_back_the_earlier_rows(
    district: District, monkeypatch: Any
) -> None:
    """All or nothing holds even when a service refuses a row that passed the checks."""
    from django.core.exceptions import ValidationError as DjangoValidationError

    from gongkai.inforequests.ledger import importer

    real = importer.services.request_submit
    calls = {"n": 0}

    def failing_third(**kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise DjangoValidationError("收到申请之日不能晚于今天。")
        return real(**kwargs)

    monkeypatch.setattr(importer.services, "request_submit", failing_third)
    rows = [row(**{"原台账编号": f"TZ-{i}"}) for i in range(4)]
    result = do_import(district, workbook(rows))
    assert [(p.row, p.message) for p in result.problems] == [(4, "收到申请之日不能晚于今天。")]
    assert InfoRequest.objects.count() == 0
    assert LedgerImport.objects.count() == 0
    assert not AuditEvent.objects.filter(verb="inforequest.submitted").exists()


def test_imported_rows_export_as_they_were_entered(district: District) -> None:
    closed = row(
        **{
            "原台账编号": "TZ-9",
            "文号": "江府办〔2023〕12号",
            "办结日期": "2024-02-20",
            "办理结果": "本机关不掌握相关政府信息",
            "法律依据": "第三十六条第（四）项",
            "理由": "经检索没有所需信息",
        }
    )
    (info,) = do_import(district, workbook([closed])).requests
    content, _ = ledger_export(
        actor=district.officer_a, queryset=InfoRequest.objects.all(), filters={}
    )
    exported = dict(zip(EXPORT_HEADERS, read(content)[1], strict=True))
    assert exported["编号"] == info.number
    assert exported["收到申请之日"] == datetime(2024, 2, 1)
    assert exported["申请渠道"] == "当面提交"
    assert exported["申请人姓名或名称"] == "李四"
    assert exported["证件号码（已隐去部分）"] == ID_MASKED
    assert exported["文号"] == "江府办〔2023〕12号"
    assert exported["办理结果"] == "本机关不掌握相关政府信息"
    assert exported["法律依据"] == "第三十六条第（四）项"
