"""A photo pasted into a DOCX is published without its GPS position and camera data, and the
document is laid out as before: the picture is not turned and the package stays valid."""

from __future__ import annotations

import io
import zipfile

from gongkai.core import public_copy
from tests.publications.test_files import phone_photo


def _docx_with_photo(photo: bytes) -> bytes:
    import docx
    from docx.shared import Cm

    document = docx.Document()
    document.add_paragraph("现场照片如下。")
    document.add_picture(io.BytesIO(photo), width=Cm(8))
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _media(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n.startswith("word/media/")}


def test_photo_in_a_document_loses_its_location_but_not_its_layout() -> None:
    import docx
    from PIL import ExifTags, Image

    original = _docx_with_photo(phone_photo(turned=True))
    ((name, stored),) = _media(original).items()
    with Image.open(io.BytesIO(stored)) as src:
        assert src.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # python-docx stores it as given

    clean = public_copy.strip_metadata(original, "docx")

    picture = _media(clean)[name]
    assert b"PhoneMaker" not in picture and b"Zhang San" not in picture
    with Image.open(io.BytesIO(picture)) as out, Image.open(io.BytesIO(stored)) as src:
        exif = out.getexif()
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
        assert dict(exif) == {ExifTags.Base.Orientation: 6}  # kept, so Word shows it as before
        assert out.size == src.size  # not turned: the layout was made for this size
        assert out.quantization == src.quantization
        assert out.info.get("icc_profile") == src.info["icc_profile"]
    before, after = docx.Document(io.BytesIO(original)), docx.Document(io.BytesIO(clean))
    assert [(s.width, s.height) for s in after.inline_shapes] == [
        (s.width, s.height) for s in before.inline_shapes
    ]
    embed = after.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert after.part.related_parts[embed].blob == picture  # the shape shows the clean copy
