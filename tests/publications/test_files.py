"""Attachments: the type comes from the content, text is extracted per page or chunk, and the
published copy carries no author metadata."""

from __future__ import annotations

import io
import zipfile

import pytest

from gongkai.publications import files
from gongkai.publications.constants import AttachmentType
from tests.publications.conftest import tiny_pdf


def docx_bytes(text: str, author: str = "") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    document.core_properties.author = author
    document.core_properties.last_modified_by = author
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def xlsx_bytes(rows: list[list[object]], author: str = "") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "名单"
    for row in rows:
        ws.append(row)
    wb.properties.creator = author
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ofd_bytes(pages: list[str], author: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(
            "OFD.xml",
            '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocInfo>'
            f"<ofd:Title>t</ofd:Title><ofd:Author>{author}</ofd:Author></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        for i, text in enumerate(pages):
            zf.writestr(
                f"Doc_0/Pages/Page_{i}/Content.xml",
                '<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer>'
                f"<ofd:TextObject><ofd:TextCode>{text}</ofd:TextCode></ofd:TextObject>"
                "</ofd:Layer></ofd:Content></ofd:Page>",
            )
    return buf.getvalue()


def jpeg_with_exif() -> bytes:
    from PIL import Image

    img = Image.new("RGB", (4, 4), "red")
    exif = Image.Exif()
    exif[0x013B] = "Zhang San"  # Artist
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif)
    return buf.getvalue()


def test_type_is_recognised_from_content_not_name() -> None:
    assert files.detect_type(tiny_pdf()) == AttachmentType.PDF
    assert files.detect_type(docx_bytes("x")) == AttachmentType.DOCX
    assert files.detect_type(xlsx_bytes([["a"]])) == AttachmentType.XLSX
    assert files.detect_type(ofd_bytes(["x"])) == AttachmentType.OFD
    assert files.detect_type(jpeg_with_exif()) == AttachmentType.JPEG


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03 this is an executable renamed to report.pdf",
        b"<html><script>alert(1)</script></html>",
        b"PK\x03\x04 not really a zip",
    ],
)
def test_other_content_is_refused(data: bytes) -> None:
    with pytest.raises(files.FileRejected):
        files.detect_type(data)


def test_macro_enabled_office_file_is_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes("x"))) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr("word/vbaProject.bin", b"\x00")
    with pytest.raises(files.FileRejected, match="宏"):
        files.detect_type(buf.getvalue())


def test_size_limit() -> None:
    with pytest.raises(files.FileRejected, match="上限"):
        files.check_upload(tiny_pdf(), max_bytes=10)
    with pytest.raises(files.FileRejected, match="为空"):
        files.check_upload(b"", max_bytes=10)


def test_text_per_page_sheet_or_chunk() -> None:
    assert files.extract_text(tiny_pdf("Page one"), "pdf") == ["Page one"]
    assert files.extract_text(ofd_bytes(["第一页", "第二页"]), "ofd") == ["第一页", "第二页"]
    assert files.extract_text(docx_bytes("入学办法正文"), "docx") == ["入学办法正文"]
    sheets = files.extract_text(xlsx_bytes([["姓名", "电话"], ["张三", "13812345678"]]), "xlsx")
    assert sheets == ["名单\n姓名\t电话\n张三\t13812345678"]
    long = files.extract_text(docx_bytes("字" * 4500), "docx")
    assert [len(c) for c in long] == [2000, 2000, 500]


def test_published_copy_has_no_author() -> None:
    from pypdf import PdfReader

    pdf = files.strip_metadata(tiny_pdf("x", author="Zhang San"), "pdf")
    assert not (PdfReader(io.BytesIO(pdf)).metadata or {}).get("/Author")
    assert files.extract_text(pdf, "pdf") == ["x"]

    for data, kind in [(docx_bytes("正文", "张三"), "docx"), (xlsx_bytes([[1]], "张三"), "xlsx")]:
        clean = files.strip_metadata(data, kind)
        with zipfile.ZipFile(io.BytesIO(clean)) as zf:
            assert "张三".encode() not in b"".join(zf.read(n) for n in zf.namelist())
        assert files.detect_type(clean) == kind
    assert files.extract_text(files.strip_metadata(docx_bytes("正文", "张三"), "docx"), "docx") == [
        "正文"
    ]

    ofd = files.strip_metadata(ofd_bytes(["x"], "张三"), "ofd")
    with zipfile.ZipFile(io.BytesIO(ofd)) as zf:
        assert "张三".encode() not in zf.read("OFD.xml")

    jpeg = files.strip_metadata(jpeg_with_exif(), "jpeg")
    assert b"Zhang San" in jpeg_with_exif() and b"Zhang San" not in jpeg
