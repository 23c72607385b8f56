"""Files on an application and redaction before release (条例第三十七条 区分处理;
SECURITY.md §4 V12: content-checked uploads, private storage, permission-checked downloads)."""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.inforequests import file_services, files
from gongkai.inforequests.constants import Outcome
from gongkai.inforequests.models import Attachment, InfoRequest
from gongkai.inforequests.redaction import Box, burn_in
from gongkai.inforequests.release_rules import AttachmentKind, RedactionGround
from gongkai.inforequests.services import request_submit
from tests.conftest import APPLICANT, District, make_user
from tests.inforequests import pdfs
from tests.inforequests.letters_support import close_with_reply

TOP_BOX = Box(1, Decimal(5), Decimal(5), Decimal(90), Decimal(8))  # over the SECRET line


def _submit(district: District) -> InfoRequest:
    info, _ = request_submit(
        organization=district.dept_a,
        data=dict(APPLICANT),
        channel="online",
        received_on=timezone.localdate(),
    )
    return info


def _release(district: District, info: InfoRequest, data: bytes = pdfs.SAMPLE) -> Attachment:
    return file_services.attachment_add(
        actor=district.officer_a,
        request=info,
        data=data,
        title="预算表.pdf",
        kind=AttachmentKind.RELEASE,
    )


def _text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        return "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def _render(pdf: bytes, page: int = 0) -> Any:
    document = pdfium.PdfDocument(pdf)
    try:
        return document[page].render(scale=1).to_pil().convert("L")
    finally:
        document.close()


# --- what a file is --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (pdfs.SAMPLE, files.PDF),
        (pdfs.image("PNG"), files.PNG),
        (pdfs.image("JPEG"), files.JPEG),
        (pdfs.docx(), files.DOCX),
    ],
)
def test_accepted_files_are_recognised_by_content(data: bytes, content_type: str) -> None:
    assert files.sniff(data).content_type == content_type


@pytest.mark.parametrize(
    "data",
    [
        pdfs.windows_program(),  # a renamed .exe
        b"plain text pretending to be a scan",
        pdfs.image("PNG")[:40],  # truncated image
        b"%PDF-1.4 not really a pdf",
        b"PK\x03\x04 broken zip",
    ],
)
def test_other_content_is_refused_whatever_the_name(data: bytes) -> None:
    with pytest.raises(files.FileRefused):
        files.check_upload(data, allowed=files.RELEASE_TYPES)


def test_scans_are_pdf_or_images_only() -> None:
    with pytest.raises(files.FileRefused):
        files.check_upload(pdfs.docx(), allowed=files.SCAN_TYPES)


def test_size_limit(settings: Any) -> None:
    settings.UPLOAD_MAX_MB = 1
    big = pdfs.SAMPLE + b"\n%" + b"x" * (1024 * 1024)
    with pytest.raises(files.FileRefused, match="1 MB"):
        files.check_upload(big, allowed=files.RELEASE_TYPES)


def test_shown_names_cannot_reach_folders() -> None:
    assert files.safe_title("../../etc/passwd") == "passwd"
    assert files.safe_title("C:\\scan\\申请书.pdf") == "申请书.pdf"
    with pytest.raises(FileNotFoundError):
        files.path_of("../../secret_key")


# --- burning in ----------------------------------------------------------------------------


def test_burned_in_copy_has_no_text_layer_at_all() -> None:
    """第三十七条: what is withheld must not be recoverable from the provided file."""
    assert pdfs.SECRET in _text(pdfs.SAMPLE)
    redacted = burn_in(pdfs.SAMPLE, [TOP_BOX], dpi=100)
    assert _text(redacted).strip() == ""
    assert b"SECRETNAME" not in redacted and b"PUBLIC" not in redacted


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdftotext_finds_nothing_in_the_redacted_copy(tmp_path: Path) -> None:
    """A second, independent extractor (poppler, which .ci/run installs)."""
    path = tmp_path / "redacted.pdf"
    path.write_bytes(burn_in(pdfs.SAMPLE, [TOP_BOX], dpi=100))
    tool = shutil.which("pdftotext") or "pdftotext"
    out = subprocess.run(  # noqa: S603 (fixed arguments)
        [tool, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "SECRET" not in out and "1101" not in out
    assert out.strip() == ""


def test_box_is_black_and_the_rest_of_the_page_survives_as_image() -> None:
    original = _render(pdfs.SAMPLE)
    redacted = _render(burn_in(pdfs.SAMPLE, [TOP_BOX], dpi=100))
    w, h = redacted.size
    assert (w, h) == original.size or abs(w - original.size[0]) <= 1
    # Inside the box: black everywhere.
    inside = redacted.crop((int(0.06 * w), int(0.06 * h), int(0.94 * w), int(0.12 * h)))
    assert inside.getextrema() == (0, 0) or max(inside.getextrema()) < 20
    # The public line (420 pt from the bottom) is still there, as pixels.
    y = int((pdfs.PAGE_H - 420) / pdfs.PAGE_H * h)
    line = redacted.crop((60, y - 14, 300, y + 4))
    assert min(line.getextrema()) < 100  # dark glyph pixels
    blank = redacted.crop((60, int(0.8 * h), 300, int(0.8 * h) + 18))
    assert min(blank.getextrema()) > 200


def test_every_page_is_kept_with_its_size() -> None:
    redacted = burn_in(pdfs.SAMPLE, [TOP_BOX], dpi=100)
    document = pdfium.PdfDocument(redacted)
    try:
        assert len(document) == 2
        width, height = document[0].get_size()
        assert abs(width - pdfs.PAGE_W) < 1.5 and abs(height - pdfs.PAGE_H) < 1.5
    finally:
        document.close()


# --- services --------------------------------------------------------------------------------


def test_files_are_stored_privately_and_the_upload_is_audited(district: District) -> None:
    info = _submit(district)
    attachment = _release(district, info)
    path = files.path_of(attachment.storage_name)
    assert path.read_bytes() == pdfs.SAMPLE
    assert "private" in path.parts and path.stat().st_mode & 0o077 == 0
    event = AuditEvent.objects.get(verb="inforequest.file_added")
    assert event.actor_id == district.officer_a.pk
    assert event.after["sha256"] == attachment.sha256


def test_officer_of_another_organisation_cannot_attach_or_read(district: District) -> None:
    info = _submit(district)
    attachment = _release(district, info)
    with pytest.raises(PermissionDenied):
        file_services.attachment_add(
            actor=district.officer_b,
            request=info,
            data=pdfs.SAMPLE,
            title="x.pdf",
            kind=AttachmentKind.RELEASE,
        )
    with pytest.raises(PermissionDenied):
        file_services.attachment_read(actor=district.officer_b, attachment=attachment)


def test_redaction_needs_a_page_inside_the_document_and_a_box_inside_the_page(
    district: District,
) -> None:
    attachment = _release(district, _submit(district))
    bad = [
        Box(3, Decimal(0), Decimal(0), Decimal(10), Decimal(10)),
        Box(1, Decimal(95), Decimal(0), Decimal(10), Decimal(10)),
        Box(1, Decimal(0), Decimal(0), Decimal(0), Decimal(10)),
    ]
    for box in bad:
        with pytest.raises(ValidationError):
            file_services.redaction_add(
                actor=district.officer_a,
                attachment=attachment,
                box=box,
                ground=RedactionGround.PERSONAL_PRIVACY,
                note="第三人姓名",
            )


def _redact(district: District, attachment: Attachment) -> Attachment:
    file_services.redaction_add(
        actor=district.officer_a,
        attachment=attachment,
        box=TOP_BOX,
        ground=RedactionGround.PERSONAL_PRIVACY,
        note="第三人姓名和身份证号码",
    )
    return file_services.redaction_apply(actor=district.officer_a, attachment=attachment)


def test_original_with_redactions_is_never_released(district: District) -> None:
    info = _submit(district)
    attachment = _release(district, info)
    file_services.attachment_set_released(
        actor=district.officer_a, attachment=attachment, released=True
    )
    copy = _redact(district, attachment)
    attachment.refresh_from_db()
    assert not attachment.released  # marking a box withdrew the original
    with pytest.raises(ValidationError):
        file_services.attachment_set_released(
            actor=district.officer_a, attachment=attachment, released=True
        )
    assert copy.kind == AttachmentKind.REDACTED and copy.redacted_from == attachment
    assert _text(files.read(copy.storage_name)).strip() == ""
    file_services.attachment_set_released(actor=district.officer_a, attachment=copy, released=True)
    applied = AuditEvent.objects.get(verb="inforequest.redaction_applied")
    assert applied.after["grounds"] == ["personal_privacy"]


def test_changing_the_redactions_supersedes_the_copy(district: District) -> None:
    attachment = _release(district, _submit(district))
    copy = _redact(district, attachment)
    file_services.attachment_set_released(actor=district.officer_a, attachment=copy, released=True)
    file_services.redaction_remove(actor=district.officer_a, redaction=attachment.redactions.get())
    copy.refresh_from_db()
    assert copy.superseded and not copy.released
    with pytest.raises(ValidationError):
        file_services.attachment_set_released(
            actor=district.officer_a, attachment=copy, released=True
        )


def test_scans_are_never_released(district: District) -> None:
    info = _submit(district)
    scan = file_services.attachment_add(
        actor=district.officer_a,
        request=info,
        data=pdfs.image("JPEG"),
        title="信函.jpg",
        kind=AttachmentKind.SCAN,
    )
    with pytest.raises(ValidationError):
        file_services.attachment_set_released(
            actor=district.officer_a, attachment=scan, released=True
        )


# --- console ---------------------------------------------------------------------------------


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(name: str, data: bytes) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def test_console_refuses_a_renamed_program(district: District) -> None:
    info = _submit(district)
    response = _as(district.officer_a).post(
        reverse("console:request_file_add", kwargs={"pk": info.pk}),
        {"kind": "release", "file": _upload("答复材料.pdf", pdfs.windows_program())},
        follow=True,
    )
    assert "不支持的文件类型" in response.content.decode()
    assert not Attachment.objects.exists()


def test_console_download_is_permission_checked_and_audited(district: District) -> None:
    info = _submit(district)
    attachment = _release(district, info)
    url = reverse("console:attachment_download", kwargs={"pk": attachment.pk})
    assert _as(district.officer_b).get(url).status_code == 404
    response = _as(district.officer_a).get(url)
    assert response.status_code == 200
    assert response.content == pdfs.SAMPLE
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert AuditEvent.objects.filter(verb="inforequest.file_downloaded").count() == 1
    # A reviewer of the same organisation may read; a supervisor above too.
    assert _as(district.reviewer_a).get(url).status_code == 200


def test_console_marks_a_box_without_javascript_and_shows_the_log(district: District) -> None:
    info = _submit(district)
    attachment = _release(district, info)
    client = _as(district.officer_a)
    url = reverse("console:attachment_redact", kwargs={"pk": attachment.pk})
    response = client.post(
        url,
        {
            "page": 1,
            "left": "5",
            "top": "5",
            "width": "90",
            "height": "8",
            "ground": "trade_secret",
            "note": "供应商报价",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "商业秘密（第十五条）" in page and "供应商报价" in page
    image = client.get(
        reverse("console:attachment_page_image", kwargs={"pk": attachment.pk, "page": 1})
    )
    assert image["Content-Type"] == "image/png"
    assert _as(district.officer_b).get(url).status_code == 404
    detail = client.get(reverse("console:request_detail", kwargs={"pk": info.pk})).content
    assert "供应商报价" in detail.decode()  # the redaction log on the application page
    client.post(reverse("console:attachment_redaction_apply", kwargs={"pk": attachment.pk}))
    assert attachment.redacted_copies.count() == 1


def test_register_with_scans(district: District) -> None:
    client = _as(district.officer_a)
    today = timezone.localdate().isoformat()
    data = {
        **{k: v for k, v in APPLICANT.items() if v != ""},
        "organization": district.dept_a.pk,
        "channel": "in_person",
        "submitted_on": today,
        "scans": [_upload("申请书.pdf", pdfs.SAMPLE), _upload("身份证.png", pdfs.image())],
    }
    response = client.post(reverse("console:request_register"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    info = InfoRequest.objects.get()
    assert sorted(a.kind for a in info.attachments.all()) == ["scan", "scan"]
    # A program among the scans: nothing is registered, the form says why.
    data["scans"] = [_upload("扫描.pdf", pdfs.windows_program())]
    data["id_number"] = "440524188001010014"
    response = client.post(reverse("console:request_register"), data)
    assert response.status_code == 200
    assert "不支持的文件类型" in response.content.decode()
    assert InfoRequest.objects.count() == 1


# --- the applicant's download ----------------------------------------------------------------


def _closed_with_copy(district: District) -> tuple[InfoRequest, Attachment, Attachment]:
    info = _submit(district)
    original = _release(district, info)
    copy = _redact(district, original)
    file_services.attachment_set_released(actor=district.officer_a, attachment=copy, released=True)
    close_with_reply(
        actor=district.officer_a,
        request=info,
        outcome=Outcome.PARTLY_DISCLOSED,
        legal_basis="《中华人民共和国政府信息公开条例》第三十七条",
        reasons="第三人个人信息已遮盖。",
        on=timezone.localdate(),
    )
    info.refresh_from_db()
    return info, original, copy


def test_applicant_downloads_the_redacted_copy_with_number_and_code(
    client: Client, district: District
) -> None:
    info, original, copy = _closed_with_copy(district)
    track = client.post(
        reverse("portal:track"), {"number": info.number, "code": info.tracking_code}
    )
    page = track.content.decode()
    assert copy.title in page and original.title + "<" not in page
    url = reverse("portal:track_file")
    response = client.post(
        url, {"number": info.number, "code": info.tracking_code, "file": copy.pk}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert _text(response.content).strip() == ""
    assert "SECRETNAME" not in response.content.decode("latin-1")
    event = AuditEvent.objects.filter(verb="inforequest.file_downloaded").latest("id")
    assert event.actor_id is None and event.after["attachment"] == copy.pk
    # The original, a wrong code, or another file: nothing.
    assert (
        client.post(
            url, {"number": info.number, "code": info.tracking_code, "file": original.pk}
        ).status_code
        == 404
    )
    assert (
        client.post(url, {"number": info.number, "code": "WRONG123", "file": copy.pk}).status_code
        == 404
    )


def test_nothing_is_downloadable_before_the_reply(client: Client, district: District) -> None:
    info = _submit(district)
    attachment = _release(district, info)
    file_services.attachment_set_released(
        actor=district.officer_a, attachment=attachment, released=True
    )
    response = client.post(
        reverse("portal:track_file"),
        {"number": info.number, "code": info.tracking_code, "file": attachment.pk},
    )
    assert response.status_code == 404


def test_legal_reviewer_reads_the_redaction_log_but_cannot_change_it(district: District) -> None:
    info = _submit(district)
    attachment = _release(district, info)
    _redact(district, attachment)
    legal = make_user("legal_a", legal_reviewer=district.dept_a)
    client = _as(legal)
    page = client.get(reverse("console:request_detail", kwargs={"pk": info.pk})).content.decode()
    assert "第三人姓名和身份证号码" in page and "个人隐私（第十五条）" in page
    redact_url = reverse("console:attachment_redact", kwargs={"pk": attachment.pk})
    assert client.get(redact_url).status_code == 200
    response = client.post(redact_url, {"page": 1, "left": 1, "top": 1, "width": 1, "height": 1})
    assert response.status_code == 403
    assert attachment.redactions.count() == 1
