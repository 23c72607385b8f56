"""The text of a DOCX attachment is all the text Word shows: headers, footers, footnotes,
comments, text boxes, content controls and tracked changes, not only the body's paragraphs.
The personal-data scan and search read it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from lxml import etree

from gongkai.core.ids import resident_id_check_char
from gongkai.publications import files, services
from gongkai.publications.constants import PiiKind
from gongkai.publications.models import Attachment
from tests.publications.conftest import docx_with, make_draft
from tests.publications.test_files import W, add_parts

FIRST17 = "32010219850614001"
ID_NUMBER = FIRST17 + resident_id_check_char(FIRST17)
BODY = "关于本区二〇二四年城乡居民最低生活保障对象的公示，公示期为七个工作日。"
NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def _docx(build: Callable[[Any], None]) -> bytes:
    return docx_with(BODY, build)


def _append(paragraph: Any, xml: str) -> None:
    paragraph._p.append(etree.fromstring(xml))


def in_footer(document: Any) -> None:
    document.sections[0].footer.paragraphs[0].text = f"联系人身份证号 {ID_NUMBER}"


def in_text_box(document: Any) -> None:
    """As Word saves a text box: DrawingML in mc:Choice, the same text in VML in mc:Fallback."""
    content = f"<w:txbxContent><w:p><w:r><w:t>申请人 {ID_NUMBER}</w:t></w:r></w:p></w:txbxContent>"
    _append(
        document.add_paragraph(),
        f'<w:r {NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/'
        f'2010/wordprocessingShape"><wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp>'
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback>"
        f"<w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>",
    )


def in_tracked_insertion(document: Any) -> None:
    _append(
        document.paragraphs[0],
        f'<w:ins {NS} w:id="1" w:author="x" w:date="2024-03-01T00:00:00Z">'
        f"<w:r><w:t>户主身份证 {ID_NUMBER}</w:t></w:r></w:ins>",
    )


def in_content_control(document: Any) -> None:
    _append(
        document.add_paragraph(),
        f'<w:sdt {NS}><w:sdtPr><w:alias w:val="身份证号"/></w:sdtPr><w:sdtContent>'
        f"<w:r><w:t>{ID_NUMBER}</w:t></w:r></w:sdtContent></w:sdt>",
    )


def _with_footnote(data: bytes) -> bytes:
    """python-docx writes no footnotes part: add one, and a reference to it in the body."""
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {NS}>'
        '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
        f"<w:r><w:t>材料提供人 {ID_NUMBER}</w:t></w:r></w:p></w:footnote></w:footnotes>"
    )
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
    return add_parts(
        data,
        {"word/footnotes.xml": footnotes.encode()},
        {
            "[Content_Types].xml": (
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
                '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>',
            ),
            "word/_rels/document.xml.rels": (
                'relationships">',
                f'<Relationship Id="rIdFn" Type="{rel}" Target="footnotes.xml"/>',
            ),
            "word/document.xml": (
                BODY + "</w:t></w:r>",
                '<w:r><w:footnoteReference w:id="1"/></w:r>',
            ),
        },
    )


PLACES = {
    "footer": lambda: _docx(in_footer),
    "text box": lambda: _docx(in_text_box),
    "tracked insertion": lambda: _docx(in_tracked_insertion),
    "content control": lambda: _docx(in_content_control),
    "footnote": lambda: _with_footnote(_docx(lambda d: None)),
}


@pytest.mark.parametrize("place", PLACES)
def test_id_number_outside_the_body_paragraphs_is_found(
    place: str, district: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pub = make_draft(district)
    with django_capture_on_commit_callbacks(execute=True):
        attachment = services.attachment_add(
            actor=district.officer_a, publication=pub, data=PLACES[place](), name="公示.docx"
        )
    services.publication_submit(actor=district.officer_a, publication=pub)

    finding = pub.pii_findings.get(kind=PiiKind.RESIDENT_ID)
    assert finding.attachment == attachment and finding.page == 1  # chunk 1, as before
    assert ID_NUMBER not in finding.excerpt  # shown masked
    assert any(ID_NUMBER in t.text for t in Attachment.objects.get(pk=attachment.pk).texts.all())


def test_text_is_read_in_order_once_with_paragraphs_and_cells_apart() -> None:
    def build(document: Any) -> None:
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "姓名", "张某"
        section = document.sections[0]
        section.header.paragraphs[0].text = "页眉"
        section.footer.paragraphs[0].text = "页脚"
        in_text_box(document)
        document.add_comment(document.paragraphs[0].runs, text="请核对", author="x")
        deleted = etree.SubElement(document.paragraphs[0]._p, f"{W}del", {f"{W}id": "9"})
        etree.SubElement(etree.SubElement(deleted, f"{W}r"), f"{W}delText").text = "删去的话"

    (text,) = files.extract_text(_docx(build), "docx")
    assert text.split("\n") == [
        BODY + "删去的话",  # deleted text too: Word shows it, so the scan reads it
        "姓名\t张某",
        f"申请人 {ID_NUMBER}",  # the text box once, not again from its VML copy
        "页眉",
        "页脚",
        "请核对",
    ]
