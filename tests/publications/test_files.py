"""Attachments: the type comes from the content, text is extracted per page or chunk, and the
published copy carries no author metadata."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from gongkai.core import public_copy
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


VALID_ID = "11010519491231002X"
VALUES = [
    f"身份证号：{VALID_ID}",
    "身份证号：110105491231002",  # 15 digits: found only beside its label
    "联系电话138 1234 5678",
    "卡号6222 0212 3456 7894",
    "wang.li@example.cn",
    "家住幸福小区5栋302室",
]


@given(
    st.lists(
        st.one_of(
            st.text(alphabet="受助学生名单，。；字 ", min_size=1, max_size=700),
            st.just("\n"),
            st.sampled_from(VALUES),
        ),
        max_size=40,
    )
)
@example(["字" * 1995, VALUES[0], "字" * 100])  # the ID across the 2,000th character
@example(["字" * 1990, VALUES[2], VALUES[4], "字" * 2500])
@example(["字。" * 995, VALUES[1], "字" * 100])  # a sentence end right before the label
@example(["字" * 1994, VALUES[3], "字" * 100])
@example(["字" * 1995, VALUES[1], "字" * 100])  # the label before, the number after the 2,000th
def test_chunks_never_cut_a_value_and_lose_no_text(pieces: list[str]) -> None:
    """Each chunk is scanned for personal data on its own: a value cut in two is never found."""
    text = "".join(pieces)
    chunks = files._chunks(text)
    assert all(len(c) <= files.CHUNK_CHARS for c in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())
    for value in VALUES:
        assert sum(c.count(value) for c in chunks) == text.count(value)


def test_published_copy_has_no_author() -> None:
    from pypdf import PdfReader

    pdf = public_copy.strip_metadata(tiny_pdf("x", author="Zhang San"), "pdf")
    assert not (PdfReader(io.BytesIO(pdf)).metadata or {}).get("/Author")
    assert files.extract_text(pdf, "pdf") == ["x"]

    for data, kind in [(docx_bytes("正文", "张三"), "docx"), (xlsx_bytes([[1]], "张三"), "xlsx")]:
        clean = public_copy.strip_metadata(data, kind)
        with zipfile.ZipFile(io.BytesIO(clean)) as zf:
            assert "张三".encode() not in b"".join(zf.read(n) for n in zf.namelist())
        assert files.detect_type(clean) == kind
    assert files.extract_text(
        public_copy.strip_metadata(docx_bytes("正文", "张三"), "docx"), "docx"
    ) == ["正文"]

    ofd = public_copy.strip_metadata(ofd_bytes(["x"], "张三"), "ofd")
    with zipfile.ZipFile(io.BytesIO(ofd)) as zf:
        assert "张三".encode() not in zf.read("OFD.xml")

    jpeg = public_copy.strip_metadata(jpeg_with_exif(), "jpeg")
    assert b"Zhang San" in jpeg_with_exif() and b"Zhang San" not in jpeg


# --- names of reviewers and commenters in the published copy --------------------------------
REVIEWER, EDITOR = "张科长", "李四"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def add_parts(data: bytes, parts: dict[str, bytes], edits: dict[str, tuple[str, str]]) -> bytes:
    """The package with `parts` added and, in the parts named in `edits`, the first occurrence
    of a marker replaced by marker + text (for relationships, content types, insertions)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename in edits:
                marker, text = edits[info.filename]
                assert marker.encode() in content, (info.filename, marker)
                content = content.replace(marker.encode(), (marker + text).encode(), 1)
            dst.writestr(info, content)
        for name, content in parts.items():
            dst.writestr(name, content)
    return buf.getvalue()


def reviewed_docx() -> bytes:
    """A DOCX as a reviewing office leaves it: a comment by the section chief, a tracked
    insertion, deletion and formatting change by a colleague, Word's person list, and a template
    in the colleague's Windows profile."""
    import docx
    from lxml import etree

    document = docx.Document()
    document.core_properties.author = REVIEWER
    paragraph = document.add_paragraph("入学办法正文")
    document.add_comment(paragraph.runs, text="这里要改", author=REVIEWER, initials="张")
    change = {f"{W}id": "90", f"{W}author": EDITOR, f"{W}date": "2024-03-01T00:00:00Z"}
    inserted = etree.SubElement(paragraph._p, f"{W}ins", change)
    etree.SubElement(etree.SubElement(inserted, f"{W}r"), f"{W}t").text = "新增条款"
    deleted = etree.SubElement(paragraph._p, f"{W}del", {**change, f"{W}id": "91"})
    etree.SubElement(etree.SubElement(deleted, f"{W}r"), f"{W}delText").text = "原条款"
    run_props = paragraph.runs[0]._r.get_or_add_rPr()
    etree.SubElement(
        etree.SubElement(run_props, f"{W}rPrChange", {**change, f"{W}id": "92"}), f"{W}rPr"
    )
    header = document.sections[0].header.paragraphs[0]
    header_ins = etree.SubElement(header._p, f"{W}ins", {**change, f"{W}id": "93"})
    etree.SubElement(etree.SubElement(header_ins, f"{W}r"), f"{W}t").text = "页眉"
    buf = io.BytesIO()
    document.save(buf)
    w15 = "http://schemas.microsoft.com/office/word/2012/wordml"
    people = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w15:people xmlns:w15="{w15}">'
        f'<w15:person w15:author="{REVIEWER}"><w15:presenceInfo w15:providerId="AD" '
        f'w15:userId="S-1-5-21-zhang"/></w15:person><w15:person w15:author="{EDITOR}"/>'
        "</w15:people>"
    )
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    return add_parts(
        buf.getvalue(),
        {
            "word/people.xml": people.encode(),
            "word/_rels/settings.xml.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                f'relationships"><Relationship Id="rId1" Type="{rel}/attachedTemplate" '
                f'Target="file:///C:\\Users\\{EDITOR}\\AppData\\Roaming\\Microsoft\\Templates\\'
                'Normal.dotm" TargetMode="External"/></Relationships>'
            ).encode(),
        },
        {
            "[Content_Types].xml": (
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
                '<Override PartName="/word/people.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.wordprocessingml.people+xml"/>',
            ),
            "word/_rels/document.xml.rels": (
                'relationships">',
                '<Relationship Id="rIdPeople" Type="http://schemas.microsoft.com/office/2011/'
                'relationships/people" Target="people.xml"/>',
            ),
        },
    )


def reviewed_xlsx() -> bytes:
    """An XLSX with a note by the section chief (Excel starts its text with "name:"), a threaded
    comment with Excel's person list, a pivot cache refreshed by a colleague, and the folder the
    workbook was saved in."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "名单"
    ws.append(["姓名", "电话"])
    ws.append(["张三", "13812345678"])
    ws["A1"].comment = Comment(f"{REVIEWER}:\n请核对", REVIEWER)
    buf = io.BytesIO()
    wb.save(buf)
    tc = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
    person_id = "{6A3E1B2C-0000-4000-8000-000000000001}"
    return add_parts(
        buf.getvalue(),
        {
            "xl/persons/person.xml": (
                f'<personList xmlns="{tc}"><person displayName="{EDITOR}" id="{person_id}" '
                f'userId="lisi@example.gov.cn" providerId="AD"/></personList>'
            ).encode(),
            "xl/pivotCache/pivotCacheDefinition1.xml": (
                '<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                f'2006/main" refreshedBy="{EDITOR}" refreshedDate="45352.5" recordCount="1"/>'
            ).encode(),
            "xl/threadedComments/threadedComment1.xml": (
                f'<ThreadedComments xmlns="{tc}"><threadedComment ref="B2" '
                f'dT="2024-03-01T00:00:00.00" personId="{person_id}" '
                'id="{6A3E1B2C-0000-4000-8000-000000000002}"><text>号码要打码</text>'
                "</threadedComment></ThreadedComments>"
            ).encode(),
        },
        {
            "xl/workbook.xml": (
                "<workbookPr/>",
                '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/'
                'markup-compatibility/2006"><mc:Choice Requires="x15"><x15ac:absPath '
                f'url="C:\\Users\\{REVIEWER}\\Desktop\\" xmlns:x15ac="http://schemas.microsoft.com/'
                'office/spreadsheetml/2010/11/ac"/></mc:Choice></mc:AlternateContent>',
            ),
        },
    )


def package_mentions(data: bytes, *names: str) -> list[str]:
    """Every part of the package that holds one of the names, as UTF-8 or UTF-16."""
    encodings = ("utf-8", "utf-16-le", "utf-16-be")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [
            part
            for part in zf.namelist()
            if any(n.encode(e) in zf.read(part) for n in names for e in encodings)
        ]


def test_published_docx_names_no_commenter_or_reviser() -> None:
    import docx

    original = reviewed_docx()
    assert {"word/comments.xml", "word/document.xml", "word/people.xml"} <= set(
        package_mentions(original, REVIEWER, EDITOR)
    )
    clean = public_copy.strip_metadata(original, "docx")

    assert package_mentions(clean, REVIEWER, EDITOR) == []
    document = docx.Document(io.BytesIO(clean))  # still a valid package for Word's readers
    assert [(c.author, c.initials, c.text) for c in document.comments] == [
        (public_copy.ANONYMOUS, public_copy.ANONYMOUS, "这里要改")
    ]
    with zipfile.ZipFile(io.BytesIO(clean)) as zf, zipfile.ZipFile(io.BytesIO(original)) as src:
        assert zf.namelist() == src.namelist()  # no part lost, relationships stay consistent
        body = zf.read("word/document.xml").decode()
        assert "新增条款" in body and "原条款" in body  # the text and its changes stay
        assert "Normal.dotm" in zf.read("word/_rels/settings.xml.rels").decode()
    assert files.extract_text(clean, "docx") == files.extract_text(original, "docx")


def test_published_xlsx_names_no_commenter() -> None:
    from openpyxl import load_workbook

    original = reviewed_xlsx()
    assert {"xl/comments/comment1.xml", "xl/persons/person.xml", "xl/workbook.xml"} <= set(
        package_mentions(original, REVIEWER, EDITOR)
    )
    clean = public_copy.strip_metadata(original, "xlsx")

    assert package_mentions(clean, REVIEWER, EDITOR) == []
    with zipfile.ZipFile(io.BytesIO(clean)) as zf:
        assert b"lisi@example.gov.cn" not in zf.read("xl/persons/person.xml")
        assert "号码要打码" in zf.read("xl/threadedComments/threadedComment1.xml").decode()
    ws = load_workbook(io.BytesIO(clean))["名单"]
    note = ws["A1"].comment
    assert note is not None and note.author == public_copy.ANONYMOUS
    assert note.text.strip() == "请核对"
    assert files.extract_text(clean, "xlsx") == files.extract_text(original, "xlsx")


def test_office_part_with_a_dtd_is_refused() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:comment w:author="&b;"/></w:comments>'
    )
    data = add_parts(docx_bytes("正文"), {"word/comments.xml": bomb.encode()}, {})
    with pytest.raises(ValueError, match="DTD"):
        public_copy.strip_metadata(data, "docx")


def pdf_text_values(data: bytes) -> str:
    """Every string and every decoded stream of every object the file holds, referenced or not."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

    reader = PdfReader(io.BytesIO(data))
    found: list[str] = []

    def walk(obj: object) -> None:
        if isinstance(obj, StreamObject):
            raw = obj.get_data()
            found.extend(raw.decode(e, "ignore") for e in ("utf-8", "utf-16-be"))
        if isinstance(obj, DictionaryObject):
            for value in obj.values():
                walk(value)
        elif isinstance(obj, ArrayObject):
            for value in obj:
                walk(value)
        elif isinstance(obj, str):
            found.append(str(obj))
        elif isinstance(obj, bytes):
            found.extend(obj.decode(e, "ignore") for e in ("utf-8", "utf-16-be"))

    for number in range(1, int(reader.trailer["/Size"])):
        try:
            walk(reader.get_object(number))
        except Exception:  # noqa: S112 — free entries of the cross-reference table
            continue
    walk(reader.trailer)
    return "\n".join(found)


def annotated_pdf() -> bytes:
    """A page with the reviewer's sticky note (author in /T), its pop-up, a form field named
    /T as well, and XMP naming the reviewer."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Popup, Text
    from pypdf.generic import DecodedStreamObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(tiny_pdf("Page one", author=REVIEWER))))
    note = Text(text="请删除此段", rect=(10, 10, 30, 30))
    note[NameObject("/T")] = TextStringObject(REVIEWER)
    note = writer.add_annotation(page_number=0, annotation=note)
    popup = Popup(rect=(40, 40, 120, 80), parent=note)
    popup[NameObject("/T")] = TextStringObject(REVIEWER)
    popup = writer.add_annotation(page_number=0, annotation=popup)
    note[NameObject("/Popup")] = popup.indirect_reference
    xmp = DecodedStreamObject()
    xmp.set_data(f"<x:xmpmeta><dc:creator>{REVIEWER}</dc:creator></x:xmpmeta>".encode())
    writer.root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_published_pdf_names_no_annotation_author() -> None:
    from pypdf import PdfReader

    original = annotated_pdf()
    assert pdf_text_values(original).count(REVIEWER) >= 4  # /Info, XMP, note, pop-up
    clean = public_copy.strip_metadata(original, "pdf")

    assert REVIEWER not in pdf_text_values(clean)
    assert files.extract_text(clean, "pdf") == files.extract_text(original, "pdf") == ["Page one"]
    annots = [a.get_object() for a in PdfReader(io.BytesIO(clean)).pages[0]["/Annots"]]
    assert sorted(a["/Subtype"] for a in annots) == ["/Popup", "/Text"]  # the notes stay
    assert "请删除此段" in pdf_text_values(clean)


def test_form_field_names_are_not_author_names() -> None:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(tiny_pdf("form"))))
    field = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject("applicant_name"),
            NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (10, 10, 90, 30)]),
        }
    )
    ref = writer._add_object(field)
    writer.pages[0][NameObject("/Annots")] = ArrayObject([ref])
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([ref])}
    )
    buf = io.BytesIO()
    writer.write(buf)
    clean = PdfReader(io.BytesIO(public_copy.strip_metadata(buf.getvalue(), "pdf")))
    assert list(clean.get_fields() or {}) == ["applicant_name"]


def phone_photo(*, turned: bool, icc: bool = True, quality: int = 95) -> bytes:
    """A 40×20 photo as a phone saves it: orientation 6 ("turn right to view"), GPS, camera."""
    from PIL import ExifTags, Image, ImageCms

    img = Image.linear_gradient("L").resize((40, 20)).convert("RGB")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Artist] = "Zhang San"
    if turned:
        exif[ExifTags.Base.Orientation] = 6
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (39.0, 54.0, 27.0)
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes() if icc else None
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif, icc_profile=profile, quality=quality)
    return buf.getvalue()


def test_published_photo_is_upright_without_location() -> None:
    from PIL import ExifTags, Image

    original = phone_photo(turned=True)
    with Image.open(io.BytesIO(original)) as src:
        assert src.getexif().get_ifd(ExifTags.IFD.GPSInfo) and src.size == (40, 20)
        profile = src.info["icc_profile"]
    clean = public_copy.strip_metadata(original, "jpeg")

    with Image.open(io.BytesIO(clean)) as out:
        assert out.size == (20, 40)  # turned as the phone meant it; no tag left to turn it again
        assert not out.getexif()  # no GPS, camera, owner or orientation
        assert out.info.get("icc_profile") == profile  # colours as shot
        # Not the default quality 75: the tables are finer (smaller divisors).
        assert sum(out.quantization[0]) < sum(_tables_at(75)[0])
    assert b"PhoneMaker" not in clean and b"Zhang San" not in clean


def _tables_at(quality: int) -> dict[int, list[int]]:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, format="JPEG", quality=quality)
    with Image.open(buf) as img:
        return dict(img.quantization)


def test_upright_photo_keeps_its_own_quality() -> None:
    from PIL import Image

    original = phone_photo(turned=False, quality=95)
    clean = public_copy.strip_metadata(original, "jpeg")
    with Image.open(io.BytesIO(original)) as src, Image.open(io.BytesIO(clean)) as out:
        assert out.size == src.size
        assert out.quantization == src.quantization
        assert not out.getexif() and out.info.get("icc_profile") == src.info["icc_profile"]


def test_multi_picture_photo_is_published_as_its_first_picture() -> None:
    """Some phones save MPO (a JPEG followed by further pictures, each with its own EXIF)."""
    from PIL import Image

    first = Image.open(io.BytesIO(phone_photo(turned=True)))
    depth = Image.new("RGB", (40, 20), "gray")
    buf = io.BytesIO()
    first.save(buf, format="MPO", save_all=True, append_images=[depth], exif=first.getexif())
    assert files.detect_type(buf.getvalue()) == AttachmentType.JPEG
    clean = public_copy.strip_metadata(buf.getvalue(), "jpeg")

    with Image.open(io.BytesIO(clean)) as out:
        assert out.format == "JPEG" and getattr(out, "n_frames", 1) == 1
        assert out.size == (20, 40) and not out.getexif()
    assert b"PhoneMaker" not in clean


def test_published_png_keeps_colours_and_transparency_not_text() -> None:
    from PIL import Image, ImageCms, PngImagePlugin

    img = Image.new("P", (30, 10))
    img.putpalette([0, 0, 0, 255, 0, 0])
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Zhang San")
    exif = Image.Exif()
    exif[0x0112] = 6
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buf = io.BytesIO()
    img.save(buf, format="PNG", pnginfo=text, exif=exif, icc_profile=profile, transparency=0)
    clean = public_copy.strip_metadata(buf.getvalue(), "png")

    assert b"Zhang San" not in clean
    with Image.open(io.BytesIO(clean)) as out:
        assert out.size == (10, 30) and not out.getexif()
        assert out.info.get("icc_profile") == profile and out.info.get("transparency") == 0


def test_ofd_custom_data_is_removed_whole() -> None:
    data = ofd_bytes(["x"], "张三")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "OFD.xml":
                content = content.replace(
                    b"</ofd:DocInfo>",
                    b'<ofd:CustomDatas><ofd:CustomData Name="reviewer"/>'
                    b'<ofd:CustomData Name="phone">13812345678</ofd:CustomData>'
                    b"</ofd:CustomDatas></ofd:DocInfo>",
                )
            dst.writestr(info, content)
    clean = public_copy.strip_metadata(out.getvalue(), "ofd")
    with zipfile.ZipFile(io.BytesIO(clean)) as zf:
        info_xml = zf.read("OFD.xml")
    from defusedxml.ElementTree import fromstring

    root = fromstring(info_xml)  # still well-formed
    assert b"13812345678" not in info_xml and "张三".encode() not in info_xml
    assert [el.text for el in root.iter() if el.tag.endswith("Title")] == ["t"]
    assert files.extract_text(clean, "ofd") == ["x"]


def test_a_picture_declaring_a_huge_canvas_is_refused_not_decoded() -> None:
    """A few kilobytes of PNG can declare 144 million pixels: decoding it would take the
    worker's memory; the attachment fails instead."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buf, "PNG")
    assert len(buf.getvalue()) < 100_000
    with (
        pytest.warns(Image.DecompressionBombWarning),  # Pillow's own, on opening
        pytest.raises(ValueError, match="图片尺寸过大"),
    ):
        public_copy.strip_metadata(buf.getvalue(), "png")


@pytest.mark.django_db
def test_reprocess_command_rewrites_public_copies_written_by_older_code(
    district: Any, settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A public copy written before commenters' names were stripped still names them until
    `gongkai attachments reprocess` writes it again."""
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from gongkai.publications import services
    from tests.publications.conftest import make_draft, publish

    settings.MEDIA_ROOT = tmp_path / "media"
    pub = make_draft(district)
    with django_capture_on_commit_callbacks(execute=True):
        attachment = services.attachment_add(
            actor=district.officer_a,
            publication=pub,
            data=xlsx_bytes([["序号", "项目名称"], [1, "老旧小区改造"]]),
            name="名单.xlsx",
        )
    publish(district, pub)
    attachment.refresh_from_db()
    old = reviewed_docx()  # as the older code published it: unchanged
    attachment.file.save("old.docx", ContentFile(old), save=False)
    attachment.public_file.save("old-public.docx", ContentFile(old), save=False)
    attachment.file_type = "docx"
    attachment.save()
    call_command("attachments", "reprocess")
    attachment.refresh_from_db()
    with attachment.public_file.open("rb") as fh:
        assert package_mentions(fh.read(), REVIEWER, EDITOR) == []
