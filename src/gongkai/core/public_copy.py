"""The copy of a file that leaves the organisation: what names the people who wrote, reviewed
or commented on a file is taken out, and the content is left as it is. Used for the attachments
the portal publishes and for the files provided to an applicant (decision 0003).

- Office (DOCX, XLSX): the document properties are emptied; the author and initials of every
  comment and tracked change, Excel's note authors (and the "name:" line Excel starts a note
  with), shared-workbook user names and Excel's person list become a neutral mark; Word's person
  list (people.xml) is emptied; the folder a workbook was saved from and a local template path
  are dropped. Parts are edited with an XML parser and written back only when something
  changed. No part is added or removed, so relationships and content types stay consistent.
- PDF: the document information, every XMP stream and application-private data (/PieceInfo),
  and the author (/T) of annotations other than form fields, in whatever object they sit;
  objects left unreferenced (the old XMP, earlier revisions) are not copied.
- Images: EXIF (GPS, camera, owner), XMP, comments and text chunks. The EXIF orientation is
  applied to the pixels first, so phone photos stay upright; the colour profile, resolution and
  transparency are kept. A JPEG that needs no turning keeps its own quantisation tables.
  Pictures inside an Office package (word/media, xl/media, the thumbnail) go through the same
  routine but are not turned: see `office`.
- OFD: the author, creator, company, keywords and custom data of DocInfo.

Office and OFD parts never carry a DTD (OPC forbids one); a part that does is refused rather
than parsed, and entities are never expanded.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from lxml import etree

# The formats handled, as named by publications' AttachmentType (the applications side maps
# its content types onto these).
PDF, DOCX, XLSX, OFD, PNG, JPEG = "pdf", "docx", "xlsx", "ofd", "png", "jpeg"
MAX_ZIP_MEMBERS = 5000
MAX_UNZIPPED = 200 * 1024 * 1024  # zip bombs

# Stands for a removed name; not empty, as some readers treat an empty author as missing.
ANONYMOUS = "—"

_EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
    b'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
)
_EMPTY_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"/>'
)
_EMPTY_CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'custom-properties"/>'
)
_DOC_PROPS = {
    "docProps/core.xml": _EMPTY_CORE,
    "docProps/app.xml": _EMPTY_APP,
    "docProps/custom.xml": _EMPTY_CUSTOM,
}

_W15 = "http://schemas.microsoft.com/office/word/2012/wordml"  # people.xml
_X18TC = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"  # persons
_X15AC = "http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"  # absPath
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# w:author / w:initials on comments and every tracked change (w:ins, w:del, w:rPrChange, …),
# author on shared-workbook revisions, userName of fileSharing and revision headers, the last
# person to refresh a pivot table.
_NAME_ATTRIBUTES = frozenset({"author", "initials", "userName", "refreshedBy"})
# A part that contains none of these words has nothing to edit and is not parsed.
_OFFICE_WORDS = tuple(
    b"author initials userName refreshedBy userInfo people person absPath attachedTemplate".split()
)
_OFD_DOCINFO = {"Author", "Creator", "CreatorVersion", "Company", "Keywords", "CustomDatas"}


# --- XML parts -----------------------------------------------------------------------------
def parse_part(content: bytes, name: str) -> etree._Element:
    """An XML part of a package (Office, OFD): entities are not expanded, nothing is fetched, and
    a part with a DTD is refused. publications/files.py reads parts through this too."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"文件中的 {name} 不是有效的 XML，无法处理") from exc
    if root.getroottree().docinfo.doctype:
        raise ValueError(f"文件中的 {name} 含有 DTD 声明，拒绝处理")
    return root


def serialise(root: etree._Element) -> bytes:
    """A parsed package part as bytes again, with its XML declaration kept."""
    tree = root.getroottree()
    return etree.tostring(
        tree, xml_declaration=True, encoding="UTF-8", standalone=tree.docinfo.standalone
    )


def _may_mention(content: bytes, words: tuple[bytes, ...]) -> bool:
    """False only when the part surely has none of `words` (UTF-16 parts are always looked at)."""
    if content[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in content[:4]:
        return True
    return any(w in content for w in words)


def _local(node: etree._Element) -> str:
    return etree.QName(node).localname


def _drop(node: etree._Element) -> None:
    parent = node.getparent()
    if parent is not None:
        parent.remove(node)


def _edit_xml(
    words: tuple[bytes, ...], scrub: Callable[[etree._Element], bool]
) -> Callable[[str, bytes], bytes | None]:
    def edit(name: str, content: bytes) -> bytes | None:
        if not name.lower().endswith((".xml", ".rels")) or not _may_mention(content, words):
            return None
        root = parse_part(content, name)
        return serialise(root) if scrub(root) else None

    return edit


def rewrite_zip(
    data: bytes, edit: Callable[[str, bytes], bytes | None], *, drop: frozenset[str] = frozenset()
) -> bytes:
    """The package again, each member replaced by `edit(name, content)` unless that is None;
    the members named in `drop` are left out."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename in drop:
                continue
            content = src.read(info.filename)
            new = edit(info.filename, content)
            dst.writestr(info.filename, content if new is None else new)
    return out.getvalue()


# --- Office --------------------------------------------------------------------------------
def _scrub_office_part(root: etree._Element) -> bool:
    changed = False
    note_authors: list[str] = []
    for node in list(root.iter()):
        if not isinstance(node.tag, str):  # comments, processing instructions
            continue
        qname = etree.QName(node)
        local = qname.localname
        if qname.namespace == _W15 and local == "people" and len(node):
            for person in list(node):  # Word matches persons to authors by name; none is needed
                node.remove(person)
            changed = True
        elif qname.namespace == _X18TC and local == "person":
            # Threaded comments point at the person's id, so the entry stays, nameless.
            node.set("displayName", ANONYMOUS)
            for key in ("userId", "providerId"):
                node.attrib.pop(key, None)
            changed = True
        elif (
            local == "author"
            and (parent := node.getparent()) is not None
            and _local(parent) == "authors"
        ):
            note_authors.append(node.text or "")
            node.text = ANONYMOUS
            changed = True
        elif local == "userInfo" and node.get("name") not in (None, ANONYMOUS):
            node.set("name", ANONYMOUS)  # shared workbook's users (xl/revisions/userNames.xml)
            changed = True
        elif qname.namespace == _X15AC and local == "absPath":
            # The folder the workbook was saved in ("C:\Users\<name>\…"), wrapped by Excel in an
            # mc:AlternateContent of its own; both go.
            choice = node.getparent()
            outer = choice.getparent() if choice is not None else None
            if outer is not None and etree.QName(outer).namespace == _MC and len(choice) == 1:
                _drop(outer)
            else:
                _drop(node)
            changed = True
        elif (
            local == "Relationship"
            and node.get("Type", "").endswith("/attachedTemplate")
            and node.get("TargetMode") == "External"
        ):
            target = node.get("Target", "")
            short = target.replace("\\", "/").rsplit("/", 1)[-1]
            if short != target:  # "file:///C:\Users\<name>\…\Normal.dotm" → "Normal.dotm"
                node.set("Target", short)
                changed = True
        for key, value in node.attrib.items():
            if etree.QName(key).localname in _NAME_ATTRIBUTES and value != ANONYMOUS:
                node.set(key, ANONYMOUS)
                changed = True
    if note_authors:
        changed |= _drop_note_signatures(root, note_authors)
    return changed


def _drop_note_signatures(root: etree._Element, authors: list[str]) -> bool:
    """Excel starts a note with its author's name and a colon, in a bold run of its own."""
    changed = False
    for comment in root.iter("{*}comment"):
        try:
            name = authors[int(comment.get("authorId", ""))]
        except (ValueError, IndexError):
            continue
        first = next((t for t in comment.iter("{*}t") if t.text), None)
        if name and first is not None and first.text.startswith((f"{name}:", f"{name}：")):
            first.text = first.text[len(name) + 1 :]
            changed = True
    return changed


def _embedded_picture(content: bytes) -> bytes | None:
    """A JPEG or PNG inside the package (recognised by its bytes, wherever it sits) without
    its EXIF and XMP. It is not turned upright: the document's layout (wp:extent, the anchor's
    size) was made for the picture as stored, and whatever Word does with the orientation tag
    it keeps doing, as the tag stays. Pixels are re-encoded with the picture's own tables (as
    for a stand-alone upright photo), so its size and look do not change."""
    if content.startswith(b"\xff\xd8\xff"):
        return image(content, png=False, upright=False)
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return image(content, png=True, upright=False)
    return None


def office(data: bytes) -> bytes:
    """DOCX or XLSX without the names of its authors, editors, reviewers and commenters, and
    without the EXIF (GPS, camera) of the photos pasted into it."""
    scrub = _edit_xml(_OFFICE_WORDS, _scrub_office_part)

    def edit(name: str, content: bytes) -> bytes | None:
        return _DOC_PROPS.get(name) or _embedded_picture(content) or scrub(name, content)

    return rewrite_zip(data, edit)


# --- OFD -----------------------------------------------------------------------------------
def _scrub_ofd_info(root: etree._Element) -> bool:
    found = [
        node
        for info in root.iter("{*}DocInfo")
        for node in info
        if isinstance(node.tag, str) and _local(node) in _OFD_DOCINFO
    ]
    for node in found:
        _drop(node)
    return bool(found)


def ofd(data: bytes) -> bytes:
    scrub = _edit_xml((b"DocInfo",), _scrub_ofd_info)

    def edit(name: str, content: bytes) -> bytes | None:
        return scrub(name, content) if name == "OFD.xml" else None

    return rewrite_zip(data, edit)


# --- PDF -----------------------------------------------------------------------------------
def _scrub_pdf_objects(root: object) -> None:
    """Walk every object reachable from the catalog once: XMP and private data go everywhere,
    the author (/T) goes from annotations. A widget's /T is its form field's name and stays."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):  # streams too
            for key in ("/Metadata", "/PieceInfo"):
                if key in obj:
                    del obj[key]
            is_annotation = obj.get("/Type") == "/Annot" or ("/Rect" in obj and "/Subtype" in obj)
            if is_annotation and obj.get("/Subtype") != "/Widget" and "/T" in obj:
                del obj["/T"]
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)


def pdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.metadata = None
    _scrub_pdf_objects(writer.root_object)
    first = io.BytesIO()
    writer.write(first)
    # The writer still holds the objects just unlinked (the XMP streams); a copy made from the
    # written file takes only what is reachable.
    final = PdfWriter(clone_from=PdfReader(io.BytesIO(first.getvalue())))
    final.metadata = None
    out = io.BytesIO()
    final.write(out)
    return out.getvalue()


# --- images --------------------------------------------------------------------------------
_TURNED = (2, 3, 4, 5, 6, 7, 8)  # EXIF orientations other than "upright"


def image(data: bytes, *, png: bool, upright: bool = True) -> bytes:
    """The picture without EXIF, XMP, comments and text chunks. `upright`: apply the EXIF
    orientation to the pixels (a published photo); otherwise keep the pixels as they are and
    the orientation as the only EXIF tag (a picture laid out inside a document)."""
    from PIL import ExifTags, Image, ImageOps, JpegImagePlugin

    with Image.open(io.BytesIO(data)) as img:
        # A small file can declare a huge canvas; Pillow only warns below twice its limit.
        if img.width * img.height > (Image.MAX_IMAGE_PIXELS or 0):
            raise ValueError(f"图片尺寸过大（{img.width}×{img.height}）")
        img.load()
        kept: dict[str, object] = {
            key: img.info[key] for key in ("icc_profile", "dpi") if img.info.get(key)
        }
        if png and img.info.get("transparency") is not None and img.mode not in ("LA", "RGBA"):
            kept["transparency"] = img.info["transparency"]
        orientation = img.getexif().get(ExifTags.Base.Orientation)
        turned = upright and orientation in _TURNED
        if not upright and orientation in _TURNED:
            exif = Image.Exif()
            exif[ExifTags.Base.Orientation] = orientation
            kept["exif"] = exif

        def cleaned() -> Image.Image:
            clean = ImageOps.exif_transpose(img) if upright else img.copy()
            clean.info = {}  # EXIF, XMP, text chunks: nothing is written unless passed to save
            return clean

        buf = io.BytesIO()
        if png:
            cleaned().save(buf, format="PNG", **kept)
        elif img.format == "JPEG" and not turned:
            # The decoded pixels again with the source's own tables: no further loss of quality.
            # Only what is passed here is written (an empty comment overrides the source's).
            img.save(buf, format="JPEG", quality="keep", comment=b"", **kept)
        else:  # turned, or an MPO (its first picture; "keep" refuses MPO)
            sampling = JpegImagePlugin.get_sampling(img)
            if sampling >= 0:
                kept["subsampling"] = sampling
            cleaned().save(buf, format="JPEG", quality=90, comment=b"", **kept)
    return buf.getvalue()


# --- entry point ---------------------------------------------------------------------------
class PackageRefused(ValueError):
    """A ZIP-based file (Office, OFD) that is damaged or would unpack to too much."""


def package_names(data: bytes) -> list[str]:
    """The member names of a ZIP-based file, refused before anything is unpacked when it holds
    too many members or unpacks to too much (zip bombs)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise PackageRefused("文件已损坏，无法识别") from exc
    if len(infos) > MAX_ZIP_MEMBERS or sum(i.file_size for i in infos) > MAX_UNZIPPED:
        raise PackageRefused("文件解压后过大，拒绝接收")
    return [i.filename for i in infos]


def strip_metadata(data: bytes, file_type: str) -> bytes:
    """The copy that leaves the organisation: the names of authors, editors, reviewers and
    commenters (document properties, comments, tracked changes, annotations) and embedded
    EXIF/XMP removed; content unchanged. Raises ValueError for a file it cannot handle."""
    if file_type == PDF:
        return pdf(data)
    if file_type in (DOCX, XLSX):
        package_names(data)  # size limits before anything is unpacked
        return office(data)
    if file_type == OFD:
        package_names(data)
        return ofd(data)
    if file_type in (PNG, JPEG):
        return image(data, png=file_type == PNG)
    return data
