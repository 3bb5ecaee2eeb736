"""Builders for test uploads, made in code with Pillow and pypdf so no binary fixture is committed.

Each builder returns the bytes a phone might send. Hostile samples are built the way an
attacker would build them (PNG chunks written by hand, PDF dictionaries added with pypdf).
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable, Sequence

from PIL import ExifTags, Image, ImageDraw, PngImagePlugin
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

Colour = tuple[int, int, int]
RED: Colour = (220, 20, 20)
BLUE: Colour = (20, 40, 200)
GREY: Colour = (128, 128, 128)

GPS_LATITUDE = (41.0, 42.0, 43.5)  # a recognisable position to look for afterwards


# --- photos ----------------------------------------------------------------------------------


def image_bytes(image: Image.Image, fmt: str, **params: object) -> bytes:
    """Encode ``image`` as ``fmt`` with Pillow save parameters."""
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def jpeg(size: tuple[int, int] = (64, 48), colour: Colour = GREY, **params: object) -> bytes:
    """A plain JPEG of one colour."""
    return image_bytes(Image.new("RGB", size, colour), "JPEG", **params)


def noisy_jpeg(size: tuple[int, int], quality: int) -> bytes:
    """A JPEG of coloured noise, which compresses about as badly as a detailed phone photo."""
    bands = [Image.effect_noise(size, sigma) for sigma in (60, 70, 80)]
    image = Image.merge("RGB", bands)
    return image_bytes(image, "JPEG", quality=quality)


def html_named_jpg() -> bytes:
    """What an attacker uploads as passport.jpg: an HTML page."""
    return b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def gif() -> bytes:
    return image_bytes(Image.new("P", (16, 16)), "GIF")


def webp(size: tuple[int, int] = (120, 80), colour: Colour = BLUE) -> bytes:
    return image_bytes(Image.new("RGB", size, colour), "WEBP", quality=90)


def gps_jpeg() -> bytes:
    """A phone photo whose EXIF carries camera details and GPS coordinates."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "KordonPhone"
    exif[ExifTags.Base.Model] = "Model X"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: GPS_LATITUDE,
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (20.0, 21.0, 22.5),
    }
    return jpeg((80, 60), exif=exif.tobytes(), comment=b"secret comment", icc_profile=b"fake-icc" * 4)


def sideways_photo(stored: tuple[int, int] = (400, 300)) -> bytes:
    """A landscape-stored JPEG with EXIF Orientation 6, as phones save portrait shots.

    Orientation 6 means "rotate 90 degrees clockwise to display", which turns the stored left
    edge into the displayed top edge; that edge is painted red, the rest grey.
    """
    image = Image.new("RGB", stored, GREY)
    ImageDraw.Draw(image).rectangle((0, 0, stored[0] // 8, stored[1]), fill=RED)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    return image_bytes(image, "JPEG", quality=95, exif=exif.tobytes())


def png_with_alpha_and_text() -> bytes:
    """An RGBA PNG: left half fully transparent red, right half opaque blue, plus text chunks."""
    image = Image.new("RGBA", (100, 50), (*RED, 0))
    ImageDraw.Draw(image).rectangle((50, 0, 99, 49), fill=(*BLUE, 255))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "taken at the border")
    info.add_text("GPS", "41.7 N", zip=True)
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS</x:xmpmeta>")
    return image_bytes(image, "PNG", pnginfo=info)


def grey16_png() -> bytes:
    """A 16-bit greyscale PNG, 32x16: left half 8000 (dark), right half 56000 (light)."""
    row = struct.pack("<32H", *[8000] * 16, *[56000] * 16)
    # Built from bytes: Image.paste of an int into I;16 does not store values over 32767 as given.
    image = Image.frombytes("I;16", (32, 16), row * 16)
    return image_bytes(image, "PNG")


def bilevel_stripes_png(size: tuple[int, int] = (4000, 60)) -> bytes:
    """A 1-bit PNG of alternating one-pixel black and white columns, like fine print on a scan."""
    image = Image.new("1", size, 0)
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 2):
        draw.line((x, 0, x, size[1]), fill=1)
    return image_bytes(image, "PNG")


def wide_half_transparent_png(size: tuple[int, int] = (4100, 600)) -> bytes:
    """An RGBA PNG wider than two output widths: left half transparent red, right half opaque blue."""
    image = Image.new("RGBA", size, (*RED, 0))
    ImageDraw.Draw(image).rectangle((size[0] // 2, 0, size[0], size[1]), fill=(*BLUE, 255))
    return image_bytes(image, "PNG")


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_declaring(width: int, height: int) -> bytes:
    """A real, tiny PNG whose IHDR declares ``width`` x ``height`` RGB pixels.

    The IDAT holds a few compressed zero bytes: nowhere near the declared size, which is what a
    decompression bomb looks like before anything is decoded.
    """
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024, 9))
        + png_chunk(b"IEND", b"")
    )


def png_chunk_types(data: bytes) -> list[bytes]:
    """The chunk types of a PNG, in order."""
    types, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        types.append(data[offset + 4 : offset + 8])
        offset += 12 + length
    return types


# --- PDFs ------------------------------------------------------------------------------------


def scan_pdf(size: tuple[int, int] = (300, 400), colour: Colour = BLUE) -> bytes:
    """What a phone "scan to PDF" produces: one page, one JPEG drawn over the whole page."""
    return image_bytes(Image.new("RGB", size, colour), "PDF", resolution=72.0)


def scan_pdf_of_sideways_jpeg() -> bytes:
    """A scan PDF embedding, byte for byte, a 400x300 JPEG with EXIF Orientation 6 (viewers ignore it)."""
    return pdf_with_page_jpeg(sideways_photo((400, 300)), 400, 300)


def blank_pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    return _written(writer)


def rewritten(pdf: bytes, change: Callable[[PdfWriter], None]) -> bytes:
    """``pdf`` cloned with pypdf, changed by ``change``, and written out again."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    change(writer)
    return _written(writer)


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def javascript_action(code: str = "app.alert('pwned')") -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(code),
        }
    )


def with_open_action_js(writer: PdfWriter) -> None:
    writer.root_object[NameObject("/OpenAction")] = javascript_action()


def with_names_javascript(writer: PdfWriter) -> None:
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("boot"), javascript_action()])}
    )
    writer.root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})


def with_page_open_js(writer: PdfWriter) -> None:
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): javascript_action()})


def _annotation(subtype: str, **entries: DictionaryObject) -> DictionaryObject:
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject(subtype),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 100, 40)]),
        }
    )
    annotation.update({NameObject(f"/{key}"): value for key, value in entries.items()})
    return annotation


def with_link_js(writer: PdfWriter) -> None:
    writer.add_annotation(0, _annotation("/Link", A=javascript_action()))


def with_annotation_focus_js(writer: PdfWriter) -> None:
    triggers = DictionaryObject({NameObject("/Fo"): javascript_action()})
    writer.add_annotation(0, _annotation("/Link", AA=triggers))


def with_launch_action(writer: PdfWriter) -> None:
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("C:\\Windows\\System32\\cmd.exe"),
        }
    )


def with_attachment(writer: PdfWriter) -> None:
    writer.add_attachment("invoice.exe", b"MZ\x90\x00not really")


def with_file_attachment_annotation(writer: PdfWriter) -> None:
    embedded = writer._add_object(_stream(b"MZ\x90\x00", NameObject("/EmbeddedFile")))
    spec = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Filespec"),
            NameObject("/F"): TextStringObject("payload.exe"),
            NameObject("/EF"): DictionaryObject({NameObject("/F"): embedded}),
        }
    )
    writer.add_annotation(0, _annotation("/FileAttachment", FS=spec))


def _stream(data: bytes, kind: NameObject) -> DictionaryObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    stream[NameObject("/Type")] = kind
    return stream


def encrypted(pdf: bytes, user_password: str, owner_password: str | None = None) -> bytes:
    """``pdf`` encrypted with AES-256; an empty user password means "owner password only"."""

    def lock(writer: PdfWriter) -> None:
        writer.encrypt(user_password, owner_password, algorithm="AES-256")

    return rewritten(pdf, lock)


def rotated_page(pdf: bytes, degrees: int) -> bytes:
    def turn(writer: PdfWriter) -> None:
        writer.pages[0][NameObject("/Rotate")] = NumberObject(degrees)

    return rewritten(pdf, turn)


def raw_pdf(objects: Sequence[bytes]) -> bytes:
    """A PDF written byte by byte: object i+1 is ``objects[i]``, object 1 is the catalog.

    For what pypdf's writer would normalise away, such as names spelled with #xx escapes.
    """
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def hex_escaped_js_pdf() -> bytes:
    """A one-page PDF whose open action is JavaScript with its names spelled /J#61vaScript, /J#53."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>",
        ]
    )


def indirect_action_type_pdf() -> bytes:
    """A PDF whose open action names its type through an indirect reference: /S 5 0 R."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            b"<< /S 5 0 R /F (cmd.exe) >>",
            b"/Launch",
        ]
    )


def pdf_with_page_image(width: int, height: int) -> bytes:
    """A one-page PDF drawing a tiny JPEG whose image dictionary declares ``width`` x ``height``."""
    return pdf_with_page_jpeg(jpeg((8, 8)), width, height)


def pdf_with_page_jpeg(data: bytes, width: int, height: int) -> bytes:
    """A one-page A4 PDF drawing the JPEG ``data`` (embedded as is) over the whole page.

    ``width`` and ``height`` are what the image dictionary declares, true or not.
    """
    image = b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /BitsPerComponent 8 " % (width, height)
    image += b"/ColorSpace /DeviceRGB /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream" % (
        len(data),
        data,
    )
    content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /Im0 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
            image,
        ]
    )


# --- streams ---------------------------------------------------------------------------------


class MeteredUpload(io.RawIOBase):
    """A ``size``-byte upload produced on demand (never held in memory) that counts bytes read.

    It starts with ``head`` (say, a JPEG signature) and continues with zeros.
    """

    def __init__(self, size: int, head: bytes = b"\xff\xd8\xff\xe0", *, seekable: bool = True) -> None:
        super().__init__()
        self.size, self.head, self._seekable = size, head, seekable
        self.position = 0
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._seekable

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = min(len(buffer), self.size - self.position)
        chunk = bytearray(count)
        head_part = self.head[self.position : self.position + count]
        chunk[: len(head_part)] = head_part
        buffer[:count] = chunk
        self.position += count
        self.bytes_read += count
        return count

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if not self._seekable:
            raise io.UnsupportedOperation("seek")
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = base + offset
        return self.position

    def tell(self) -> int:
        return self.position
