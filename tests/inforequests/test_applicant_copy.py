"""Files provided to an applicant (条例第三十六条第（二）项) leave without the names of the
people who wrote, edited or commented on them and without a photo's location: the applicant
receives a stored copy stripped of document metadata, staff keep the original, and both the
release and every download record what was delivered."""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.inforequests import file_services, files
from gongkai.inforequests.constants import Outcome
from gongkai.inforequests.models import Attachment, InfoRequest
from gongkai.inforequests.release_rules import AttachmentKind
from gongkai.inforequests.services import request_submit
from tests.conftest import APPLICANT, District
from tests.inforequests import pdfs
from tests.inforequests.letters_support import close_with_reply
from tests.inforequests.test_files_redaction import TOP_BOX
from tests.publications.conftest import docx_with, login, tiny_pdf
from tests.publications.test_files import phone_photo

pytestmark = pytest.mark.django_db

AUTHOR, COMMENTER = "张三", "李四"


def _submit(district: District) -> InfoRequest:
    info, _ = request_submit(
        organization=district.dept_a,
        data=dict(APPLICANT),
        channel="online",
        received_on=timezone.localdate(),
    )
    return info


def _add(district: District, info: InfoRequest, data: bytes, title: str) -> Attachment:
    return file_services.attachment_add(
        actor=district.officer_a, request=info, data=data, title=title, kind=AttachmentKind.RELEASE
    )


def _release(district: District, attachment: Attachment) -> Attachment:
    return file_services.attachment_set_released(
        actor=district.officer_a, attachment=attachment, released=True
    )


def _close(district: District, info: InfoRequest, outcome: str = Outcome.DISCLOSED) -> None:
    close_with_reply(
        actor=district.officer_a,
        request=info,
        outcome=outcome,
        legal_basis="《中华人民共和国政府信息公开条例》第三十六条第（二）项",
        reasons="依法提供。",
        on=timezone.localdate(),
    )
    info.refresh_from_db()


def _applicant_download(info: InfoRequest, attachment: Attachment) -> bytes:
    response = Client().post(
        reverse("portal:track_file"),
        {"number": info.number, "code": info.tracking_code, "file": attachment.pk},
    )
    assert response.status_code == 200
    return response.content


def _staff_download(district: District, attachment: Attachment) -> bytes:
    url = reverse("console:attachment_download", kwargs={"pk": attachment.pk})
    response = login(district.officer_a).get(url)
    assert response.status_code == 200
    return response.content


def _package_text(data: bytes) -> str:
    """Every part of an Office package as text, where a name could hide."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())


def _reviewed_docx() -> bytes:
    """A reply annex as a reviewing office leaves it: written and last saved by 张三, with a
    comment by 李四."""

    def build(document: Any) -> None:
        document.core_properties.author = AUTHOR
        document.core_properties.last_modified_by = AUTHOR
        paragraph = document.add_paragraph("第二段")
        document.add_comment(paragraph.runs, text="请核对数字", author=COMMENTER, initials="李")

    return docx_with("二〇二五年预算执行情况", build)


def docx_with_dtd() -> bytes:
    """A DOCX whose comments part declares a DTD: the stripper refuses it rather than parse it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_with("正文"))) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr(
            "word/comments.xml",
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "x">]><w:comments xmlns:w='
            '"http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:comment w:author="&a;"/></w:comments>',
        )
    return out.getvalue()


def test_released_docx_reaches_the_applicant_without_author_or_commenter(
    district: District,
) -> None:
    import docx

    original = _reviewed_docx()
    assert AUTHOR in _package_text(original) and COMMENTER in _package_text(original)
    info = _submit(district)
    attachment = _release(district, _add(district, info, original, "预算执行情况.docx"))
    _close(district, info)

    delivered = _applicant_download(info, attachment)
    text = _package_text(delivered)
    assert AUTHOR not in text and COMMENTER not in text
    document = docx.Document(io.BytesIO(delivered))  # still a document Word opens
    assert document.core_properties.author == "" and document.core_properties.last_modified_by == ""
    assert [p.text for p in document.paragraphs if p.text] == ["二〇二五年预算执行情况", "第二段"]
    # Staff still have the file as uploaded.
    assert _staff_download(district, attachment) == original


def test_docx_with_comments_is_released_with_a_warning_to_the_officer(district: District) -> None:
    """Not refused: the officer decides what is provided; the comment text does go out."""
    info = _submit(district)
    attachment = _add(district, info, _reviewed_docx(), "预算执行情况.docx")
    response = login(district.officer_a).post(
        reverse("console:attachment_release", kwargs={"pk": attachment.pk}),
        {"released": "1"},
        follow=True,
    )
    page = response.content.decode()
    assert "含有修订痕迹、批注或注释" in page and "批注人姓名已去除" in page
    attachment.refresh_from_db()
    assert attachment.released and attachment.has_markup is True
    event = AuditEvent.objects.get(verb="inforequest.file_released")
    assert event.after["has_markup"] is True


def test_clean_docx_is_released_without_a_warning(district: District) -> None:
    info = _submit(district)
    attachment = _add(district, info, docx_with("正文"), "正文.docx")
    response = login(district.officer_a).post(
        reverse("console:attachment_release", kwargs={"pk": attachment.pk}),
        {"released": "1"},
        follow=True,
    )
    page = response.content.decode()
    assert "含有修订痕迹" not in page and "含修订痕迹或批注" not in page
    attachment.refresh_from_db()
    assert attachment.has_markup is False


def test_phone_photo_reaches_the_applicant_upright_without_exif(district: District) -> None:
    from PIL import ExifTags, Image

    original = phone_photo(turned=True)
    with Image.open(io.BytesIO(original)) as src:
        assert src.getexif().get_ifd(ExifTags.IFD.GPSInfo) and src.size == (40, 20)
    info = _submit(district)
    attachment = _release(district, _add(district, info, original, "现场照片.jpg"))
    _close(district, info)

    delivered = _applicant_download(info, attachment)
    with Image.open(io.BytesIO(delivered)) as out:
        assert out.format == "JPEG"
        assert not out.getexif()  # no GPS, camera, owner — nor the orientation tag
        assert out.size == (20, 40)  # turned as the phone meant it to be seen
    assert b"Zhang San" not in delivered and b"PhoneMaker" not in delivered
    assert _staff_download(district, attachment) == original


def test_pdf_reaches_the_applicant_without_its_author(district: District) -> None:
    from pypdf import PdfReader

    original = tiny_pdf("BUDGET", author="Zhang San")
    assert PdfReader(io.BytesIO(original)).metadata["/Author"] == "Zhang San"
    info = _submit(district)
    attachment = _release(district, _add(district, info, original, "预算.pdf"))
    _close(district, info)

    delivered = _applicant_download(info, attachment)
    reader = PdfReader(io.BytesIO(delivered))
    assert "/Author" not in (reader.metadata or {})
    assert b"Zhang San" not in delivered
    assert "BUDGET" in reader.pages[0].extract_text()
    assert _staff_download(district, attachment) == original


def test_release_and_download_record_what_was_delivered(district: District) -> None:
    """The original's size and sha256 stay on the file; the release and each download name
    the bytes the applicant received."""
    original = tiny_pdf("BUDGET", author="Zhang San")
    info = _submit(district)
    attachment = _release(district, _add(district, info, original, "预算.pdf"))
    assert attachment.sha256 == hashlib.sha256(original).hexdigest()
    assert attachment.size == len(original)
    stored = files.read(attachment.applicant_copy)
    assert attachment.applicant_copy_sha256 == hashlib.sha256(stored).hexdigest()
    assert attachment.applicant_copy_size == len(stored) == attachment.delivered_size
    assert attachment.applicant_copy_sha256 != attachment.sha256

    released = AuditEvent.objects.get(verb="inforequest.file_released")
    assert released.after["metadata_removed"] is True
    assert released.after["delivered_sha256"] == attachment.applicant_copy_sha256
    _close(district, info)
    delivered = _applicant_download(info, attachment)
    assert delivered == stored
    downloaded = AuditEvent.objects.filter(verb="inforequest.file_downloaded").latest("id")
    assert downloaded.actor_id is None
    assert downloaded.after["sha256"] == attachment.applicant_copy_sha256

    # Withdrawn and provided again: the same copy, nothing made twice.
    file_services.attachment_set_released(
        actor=district.officer_a, attachment=attachment, released=False
    )
    name = attachment.applicant_copy
    assert _release(district, attachment).applicant_copy == name


def test_file_released_before_copies_existed_is_stripped_on_the_way_out(
    district: District,
) -> None:
    original = tiny_pdf("BUDGET", author="Zhang San")
    info = _submit(district)
    attachment = _release(district, _add(district, info, original, "预算.pdf"))
    Attachment.objects.filter(pk=attachment.pk).update(
        applicant_copy="", applicant_copy_size=None, applicant_copy_sha256=""
    )
    _close(district, info)
    delivered = _applicant_download(info, attachment)
    assert b"Zhang San" not in delivered and delivered != original


def test_a_file_that_cannot_be_stripped_is_not_released(district: District) -> None:
    """An Office part with a DTD is refused by the stripper rather than parsed; such a file
    must not go out as it is."""
    info = _submit(district)
    attachment = _add(district, info, docx_with_dtd(), "正文.docx")
    with pytest.raises(ValidationError, match="不能提供给申请人"):
        _release(district, attachment)
    attachment.refresh_from_db()
    assert not attachment.released and not attachment.applicant_copy


def test_redacted_copy_goes_out_as_made(district: District, settings: Any) -> None:
    """The burned-in copy is page images written here: it is delivered byte for byte, and
    carries no person's name (pypdfium2 writes only its own name and the date)."""
    from pypdf import PdfReader

    settings.REDACTION_DPI = 50
    info = _submit(district)
    original = _add(district, info, pdfs.SAMPLE, "预算表.pdf")
    file_services.redaction_add(
        actor=district.officer_a,
        attachment=original,
        box=TOP_BOX,
        ground="personal_privacy",
        note="第三人姓名",
    )
    copy = file_services.redaction_apply(actor=district.officer_a, attachment=original)
    _release(district, copy)
    _close(district, info, Outcome.PARTLY_DISCLOSED)

    delivered = _applicant_download(info, copy)
    assert hashlib.sha256(delivered).hexdigest() == copy.sha256
    copy.refresh_from_db()
    assert copy.applicant_copy == "" and copy.delivered_size == copy.size
    metadata = PdfReader(io.BytesIO(delivered)).metadata or {}
    assert set(metadata) <= {"/CreationDate", "/Creator", "/Producer"}
    assert {metadata.get("/Creator"), metadata.get("/Producer")} <= {None, "PDFium"}
    assert _staff_download(district, original) == pdfs.SAMPLE


def test_staff_can_check_what_the_applicant_receives(district: District) -> None:
    info = _submit(district)
    attachment = _add(district, info, _reviewed_docx(), "预算执行情况.docx")
    url = reverse("console:attachment_download", kwargs={"pk": attachment.pk})
    officer = login(district.officer_a)
    assert officer.get(url, {"copy": "applicant"}).status_code == 404  # not released yet
    _release(district, attachment)
    page = officer.get(reverse("console:request_detail", kwargs={"pk": info.pk})).content
    assert "申请人收到的文件" in page.decode()
    response = officer.get(url, {"copy": "applicant"})
    assert response.status_code == 200
    assert response.content == files.read(attachment.applicant_copy)
    assert AUTHOR not in _package_text(response.content)
    event = AuditEvent.objects.filter(verb="inforequest.file_downloaded").latest("id")
    assert event.after["applicant_copy"] is True and event.actor_id == district.officer_a.pk
    # Another organisation's officer sees neither.
    assert login(district.officer_b).get(url, {"copy": "applicant"}).status_code == 404
