"""What a reviewer left in a file: tracked changes and comments in an Office file, remarks in
PDF annotations. Both apps that send files out ask this (publications refuses to publish such
a file, applications warn the officer before providing it), so it lives in core, beside the
stripper (public_copy.py) whose part parser it shares. Pure functions over bytes; core imports
no app, so formats are named by the strings of public_copy (PDF, DOCX, XLSX…)."""

from __future__ import annotations

import io
import re
import zipfile

from gongkai.core.public_copy import DOCX, PDF, XLSX, package_names, parse_part

# Office parts are found by their content type ([Content_Types].xml), not their name.
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# The Word parts whose text a reader sees, in the order publications extracts their text.
WORD_TEXT = ("main+xml", "header+xml", "footer+xml", "footnotes+xml", "endnotes+xml")
WORD_COMMENTS = "comments+xml"


def office_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(member name, content type) of every part with an Override in [Content_Types].xml,
    in the natural order of the names (header2 before header10)."""
    members = {n.lower(): n for n in zf.namelist()}
    types = parse_part(zf.read("[Content_Types].xml"), "[Content_Types].xml")
    parts = []
    for override in types.iter("{*}Override"):
        name = members.get(override.get("PartName", "").lstrip("/").lower())
        if name:
            parts.append((name, override.get("ContentType", "")))

    def natural(part: tuple[str, str]) -> list[object]:
        return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", part[0])]

    return sorted(parts, key=natural)


def word_kind(content_type: str) -> str:
    """`main+xml`, `header+xml`, `comments+xml`…; "" for parts that are not Word's."""
    if "wordprocessingml" not in content_type and "ms-word" not in content_type:
        return ""
    return content_type.rsplit(".", 1)[-1]


# Word and Excel open a file with its markup shown, so a file that still carries tracked
# changes or comments shows the deleted wording and internal remarks to whoever receives it.
_TRACKED = tuple(
    W + name
    for name in (
        "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange",
        "tblPrChange", "tblPrExChange", "trPrChange", "tcPrChange", "tblGridChange",
        "numberingChange", "cellIns", "cellDel", "cellMerge",
    )
)  # fmt: skip
_SPREADSHEET_MARKUP = {
    "spreadsheetml.comments+xml": ("{*}comment",),  # notes
    "application/vnd.ms-excel.threadedcomments+xml": ("{*}threadedComment",),
    "spreadsheetml.revisionHeaders+xml": ("{*}header",),  # a shared workbook's change history
}


def _markup_tags(content_type: str) -> tuple[str, ...]:
    kind = word_kind(content_type)
    if kind in WORD_TEXT:
        return _TRACKED
    if kind == WORD_COMMENTS:
        return (f"{W}comment",)
    return next((t for end, t in _SPREADSHEET_MARKUP.items() if content_type.endswith(end)), ())


# PDF annotations a reviewer writes on: notes, text boxes and marks, each of which may carry
# a remark (/Contents) that readers open. Links, form fields and seals are not remarks.
_PDF_REMARKS = frozenset(
    [
        "/Text",
        "/FreeText",
        "/Highlight",
        "/Underline",
        "/Squiggly",
        "/StrikeOut",
        "/Caret",
        "/Ink",
        "/Square",
        "/Circle",
        "/Line",
        "/Polygon",
        "/PolyLine",
        "/Stamp",
        "/FileAttachment",
    ]
)


def _pdf_remarks(data: bytes) -> bool:
    from pypdf import PdfReader

    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") in _PDF_REMARKS and str(annot.get("/Contents") or "").strip():
                return True
    return False


def review_markup(data: bytes, file_type: str) -> bool:
    """Whether a DOCX still carries tracked changes (insertions, deletions, moves, formatting
    changes) or comments, an XLSX notes, threaded comments or tracked changes, or a PDF
    annotations with a remark in them (a reviewer's sticky notes). Raises ValueError
    (public_copy.PackageRefused for a damaged or oversized package) for a file it cannot read."""
    if file_type == PDF:
        return _pdf_remarks(data)
    if file_type not in (DOCX, XLSX):
        return False
    package_names(data)  # size limits before anything is unpacked
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name, content_type in office_parts(zf):
            tags = _markup_tags(content_type)
            if tags and next(parse_part(zf.read(name), name).iter(*tags), None) is not None:
                return True
    return False
