"""Uploads are cleaned or refused on their content alone; nothing else reaches storage."""

from __future__ import annotations

import io
import pickle
import warnings
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image
from pypdf import PdfWriter

from kordon.documents.sanitize import PREVIEW_PX, CleanFile, Refused, sanitize
from tests.documents import samples


def refusal(data: bytes | io.RawIOBase, **limits: int) -> Refused:
    with pytest.raises(Refused) as caught:
        sanitize(data, **limits)  # type: ignore[arg-type]
    return caught.value


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def assert_close(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 12) -> None:
    assert all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True)), (actual, expected)


def assert_small_jpeg_preview(clean: CleanFile) -> Image.Image:
    preview = opened(clean.preview)
    assert preview.format == "JPEG"
    assert max(preview.size) <= PREVIEW_PX
    return preview


# --- what the file is ------------------------------------------------------------------------


def test_a_jpg_that_is_really_html_is_refused_as_an_unsupported_type() -> None:
    refused = refusal(samples.html_named_jpg())
    assert refused.code == "unsupported_type"
    assert "Send a photo (JPEG, PNG or WebP) or a PDF." in refused.message


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(samples.gif(), id="gif"),
        pytest.param(samples.image_bytes(Image.new("RGB", (8, 8)), "TIFF"), id="tiff"),
        pytest.param(samples.image_bytes(Image.new("RGB", (8, 8)), "BMP"), id="bmp"),
        pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', id="svg"),
        pytest.param(b"PK\x03\x04" + bytes(40), id="zip"),
        pytest.param(b"MZ\x90\x00" + bytes(60), id="windows-executable"),
        pytest.param(b"\x7fELF" + bytes(60), id="linux-executable"),
        pytest.param(b"\n%PDF-1.7\n", id="pdf-signature-not-at-the-start"),
    ],
)
def test_files_that_are_not_photos_or_pdfs_are_refused_as_unsupported(data: bytes) -> None:
    assert refusal(data).code == "unsupported_type"


def test_an_empty_file_is_refused_as_corrupt_with_a_plain_explanation() -> None:
    for empty in (b"", io.BytesIO(b"")):
        refused = refusal(empty)  # type: ignore[arg-type]
        assert refused.code == "corrupt_file"
        assert refused.message.startswith("The file is empty")


# --- size ------------------------------------------------------------------------------------


def test_a_50_mb_upload_is_refused_after_reading_at_most_the_limit_plus_one_byte() -> None:
    upload = samples.MeteredUpload(50 * 1024 * 1024)
    refused = refusal(upload)
    assert refused.code == "file_too_large"
    assert upload.bytes_read <= 10 * 1024 * 1024 + 1
    assert "This file is 50.0 MB; the limit is 10 MB." in refused.message


def test_an_oversized_stream_that_cannot_seek_is_refused_without_guessing_its_size() -> None:
    upload = samples.MeteredUpload(3000, seekable=False)
    refused = refusal(upload, max_bytes=1000)
    assert refused.code == "file_too_large"
    assert upload.bytes_read <= 1001
    assert "larger than the" in refused.message


def test_a_file_exactly_at_the_limit_is_accepted_and_one_byte_more_is_refused() -> None:
    data = samples.jpeg()
    assert sanitize(data, max_bytes=len(data)).content_type == "image/jpeg"
    assert sanitize(io.BytesIO(data), max_bytes=len(data)).content_type == "image/jpeg"
    assert refusal(data, max_bytes=len(data) - 1).code == "file_too_large"


# --- hostile and damaged images --------------------------------------------------------------


def test_a_small_png_declaring_30000_by_30000_pixels_is_refused_as_corrupt() -> None:
    bomb = samples.png_declaring(30_000, 30_000)
    assert len(bomb) < 200
    refused = refusal(bomb)
    assert refused.code == "corrupt_file"
    assert "too large to process" in refused.message


def test_a_png_over_our_pixel_limit_is_refused_naming_its_size_before_any_decoding() -> None:
    refused = refusal(samples.png_declaring(8000, 6000))  # 48 MP: under Pillow's limit, over ours
    assert refused.code == "corrupt_file"
    assert "8000 x 6000 pixels; the limit is 40 megapixels" in refused.message


def test_pillows_bomb_warning_is_an_error_here_even_if_the_caller_allows_more_pixels() -> None:
    refused = refusal(samples.png_declaring(10_000, 10_000), max_pixels=10**9)
    assert refused.code == "corrupt_file"


def test_sanitizing_leaves_pillow_and_warning_filters_as_they_were() -> None:
    filters_before, limit_before = list(warnings.filters), Image.MAX_IMAGE_PIXELS
    refusal(samples.png_declaring(10_000, 10_000), max_pixels=10**9)
    sanitize(samples.jpeg())
    assert warnings.filters == filters_before
    assert limit_before == Image.MAX_IMAGE_PIXELS


def test_a_truncated_jpeg_is_refused_as_corrupt() -> None:
    whole = samples.noisy_jpeg((200, 150), quality=90)
    refused = refusal(whole[: len(whole) // 2])
    assert refused.code == "corrupt_file"
    assert "damaged or incomplete" in refused.message


@pytest.mark.parametrize(
    "signature", [b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"RIFF\x10\x00\x00\x00WEBP"]
)
def test_an_image_signature_followed_by_garbage_is_refused_as_corrupt(signature: bytes) -> None:
    assert refusal(signature + b"this is not an image at all" * 10).code == "corrupt_file"


# --- what comes out of a photo ---------------------------------------------------------------


def test_gps_and_other_exif_are_gone_after_sanitizing() -> None:
    original = samples.gps_jpeg()
    assert b"Exif" in original and b"KordonPhone" in original  # the sample really carries it
    assert opened(original).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    clean = sanitize(original)

    image = opened(clean.content)
    assert not image.getexif()
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    for marker in (b"Exif", b"GPS", b"KordonPhone", b"secret comment", b"fake-icc", b"ICC_PROFILE"):
        assert marker not in clean.content
        assert marker not in clean.preview
    assert "exif" not in image.info and "icc_profile" not in image.info and "comment" not in image.info


def test_a_sideways_phone_photo_comes_out_upright() -> None:
    clean = sanitize(samples.sideways_photo(stored=(400, 300)))
    image = opened(clean.content).convert("RGB")
    assert image.size == (300, 400) == (clean.width, clean.height)
    assert_close(image.getpixel((150, 5)), samples.RED)  # the red edge is now on top
    assert_close(image.getpixel((150, 395)), samples.GREY)
    assert_close(image.getpixel((5, 200)), samples.GREY)
    assert not image.getexif()  # no Orientation left to rotate it a second time
    preview = assert_small_jpeg_preview(clean)
    assert preview.width < preview.height


def test_webp_is_re_encoded_as_jpeg() -> None:
    clean = sanitize(samples.webp((120, 80), samples.BLUE))
    assert clean.content_type == "image/jpeg"
    image = opened(clean.content)
    assert image.format == "JPEG" and image.size == (120, 80)
    assert_close(image.convert("RGB").getpixel((60, 40)), samples.BLUE)


def test_a_6000_by_4000_jpeg_is_shrunk_to_a_2000_pixel_long_side() -> None:
    clean = sanitize(samples.jpeg((6000, 4000), samples.RED, quality=80))
    assert (clean.width, clean.height) == (2000, 1333)
    image = opened(clean.content)
    assert image.size == (2000, 1333)
    assert image.info.get("progressive") or image.info.get("progression")
    assert_close(image.convert("RGB").getpixel((1000, 600)), samples.RED)
    assert assert_small_jpeg_preview(clean).size == (PREVIEW_PX, 320)


def test_a_png_with_transparency_and_text_comes_out_a_flat_png_on_white_without_text() -> None:
    original = samples.png_with_alpha_and_text()
    assert {b"tEXt", b"zTXt", b"iTXt"} <= set(samples.png_chunk_types(original))

    clean = sanitize(original)

    assert clean.content_type == "image/png"
    assert set(samples.png_chunk_types(clean.content)) <= {b"IHDR", b"IDAT", b"IEND"}
    image = opened(clean.content)
    assert image.mode == "RGB"
    assert image.getpixel((10, 25)) == (255, 255, 255)  # transparent red became white paper
    assert image.getpixel((90, 25)) == samples.BLUE
    assert b"GPS" not in clean.content and b"xmpmeta" not in clean.content


def test_a_16_bit_greyscale_png_keeps_its_shades_instead_of_turning_white() -> None:
    image = opened(sanitize(samples.grey16_png()).content)
    dark, light = image.getpixel((5, 5)), image.getpixel((28, 5))
    assert isinstance(dark, int) and isinstance(light, int)
    assert dark == pytest.approx(8000 / 256, abs=2)
    assert light == pytest.approx(56000 / 256, abs=2)


def test_a_bilevel_scan_is_shrunk_by_averaging_not_by_dropping_pixels() -> None:
    clean = sanitize(samples.bilevel_stripes_png((4000, 60)))
    image = opened(clean.content)
    assert image.size == (2000, 30) and image.mode == "L"
    low, high = image.getextrema()
    assert 100 < low <= high < 160  # one-pixel stripes average to grey; NEAREST would keep black or white


def test_a_large_transparent_png_is_flattened_and_shrunk_in_strips_without_seams() -> None:
    clean = sanitize(samples.wide_half_transparent_png((4100, 600)))
    image = opened(clean.content)
    assert image.size == (2000, 293) and image.mode == "RGB"
    for y in (0, 62, 63, 64, 125, 126, 127, 128, 200, 292):  # rows either side of strip boundaries
        assert image.getpixel((500, y)) == (255, 255, 255)
        assert_close(image.getpixel((1500, y)), samples.BLUE, tolerance=2)


@pytest.mark.parametrize(
    "build",
    [samples.jpeg, samples.webp, samples.png_with_alpha_and_text, samples.sideways_photo],
    ids=["jpeg", "webp", "png", "rotated-jpeg"],
)
def test_every_photo_comes_with_a_small_jpeg_preview(build: Callable[[], bytes]) -> None:
    clean = sanitize(build())
    preview = assert_small_jpeg_preview(clean)
    assert preview.size == (clean.width, clean.height)  # small photos are not enlarged
    assert clean.pages is None


# --- PDFs ------------------------------------------------------------------------------------


def test_a_clean_one_page_scan_is_kept_byte_for_byte_with_a_preview_of_its_image() -> None:
    original = samples.scan_pdf((300, 400), samples.BLUE)
    clean = sanitize(original)
    assert clean.content == original
    assert (clean.content_type, clean.pages, clean.width, clean.height) == ("application/pdf", 1, None, None)
    preview = assert_small_jpeg_preview(clean)
    assert preview.size == (300, 400)
    assert_close(preview.convert("RGB").getpixel((150, 200)), samples.BLUE)


def test_a_large_scan_gets_a_preview_480_pixels_long() -> None:
    preview = assert_small_jpeg_preview(sanitize(samples.scan_pdf((1800, 2400), samples.RED)))
    assert preview.size == (360, PREVIEW_PX)
    assert_close(preview.convert("RGB").getpixel((180, 240)), samples.RED)


def test_a_scan_on_a_page_turned_by_rotate_gets_a_turned_preview() -> None:
    clean = sanitize(samples.rotated_page(samples.scan_pdf((300, 400)), 90))
    assert assert_small_jpeg_preview(clean).size == (400, 300)


def test_a_scan_preview_shows_the_embedded_jpeg_as_pdf_viewers_do_ignoring_its_exif_rotation() -> None:
    data = samples.scan_pdf_of_sideways_jpeg()
    assert b"/DCTDecode" in data and b"Exif" in data
    preview = assert_small_jpeg_preview(sanitize(data)).convert("RGB")
    assert preview.size == (400, 300)
    assert_close(preview.getpixel((5, 150)), samples.RED)  # red stays on the left, as stored


def test_a_pdf_without_a_page_image_gets_a_generated_preview_saying_how_many_pages() -> None:
    clean = sanitize(samples.blank_pdf(pages=3))
    assert clean.pages == 3
    preview = assert_small_jpeg_preview(clean).convert("L")
    assert preview.height == PREVIEW_PX and preview.width == round(595 * PREVIEW_PX / 842)
    assert preview.getpixel((preview.width // 2, 40)) > 240  # a white page...
    darkest, _ = preview.crop((0, 200, preview.width, 280)).getextrema()
    assert darkest < 128  # ...with text across its middle


@pytest.mark.parametrize(
    "add_script",
    [
        samples.with_open_action_js,
        samples.with_names_javascript,
        samples.with_page_open_js,
        samples.with_link_js,
        samples.with_annotation_focus_js,
    ],
    ids=["open-action", "names-tree", "page-open-trigger", "link-annotation", "annotation-trigger"],
)
def test_a_pdf_with_javascript_is_refused(add_script: Callable[[PdfWriter], None]) -> None:
    refused = refusal(samples.rewritten(samples.scan_pdf(), add_script))
    assert refused.code == "unsupported_type"
    assert "contains scripts" in refused.message


def test_javascript_spelled_with_hex_escaped_names_is_still_refused() -> None:
    data = samples.hex_escaped_js_pdf()
    assert b"/JavaScript" not in data and b"/JS " not in data
    assert "contains scripts" in refusal(data).message


def test_a_pdf_with_a_launch_action_is_refused() -> None:
    refused = refusal(samples.rewritten(samples.scan_pdf(), samples.with_launch_action))
    assert refused.code == "unsupported_type"
    assert "open other programs" in refused.message


def test_an_action_type_hidden_behind_an_indirect_reference_is_still_seen() -> None:
    assert "open other programs" in refusal(samples.indirect_action_type_pdf()).message


@pytest.mark.parametrize(
    "attach",
    [samples.with_attachment, samples.with_file_attachment_annotation],
    ids=["embedded-files-tree", "file-attachment-annotation"],
)
def test_a_pdf_with_an_attached_file_is_refused(attach: Callable[[PdfWriter], None]) -> None:
    refused = refusal(samples.rewritten(samples.scan_pdf(), attach))
    assert refused.code == "unsupported_type"
    assert "files attached" in refused.message


@pytest.mark.parametrize(
    ("user", "owner"), [("secret", None), ("", "owner-only")], ids=["password-to-open", "owner-password-only"]
)
def test_an_encrypted_pdf_is_refused_asking_for_a_copy_without_the_password(
    user: str, owner: str | None
) -> None:
    refused = refusal(samples.encrypted(samples.scan_pdf(), user, owner))
    assert refused.code == "unsupported_type"
    assert "protected by a password" in refused.message


def test_a_pdf_with_too_many_pages_is_refused_naming_the_limit() -> None:
    assert sanitize(samples.blank_pdf(pages=20)).pages == 20
    refused = refusal(samples.blank_pdf(pages=21))
    assert refused.code == "file_too_large"
    assert "21 pages; the limit is 20" in refused.message


def test_a_truncated_pdf_is_refused_as_corrupt() -> None:
    whole = samples.scan_pdf()
    assert refusal(whole[: len(whole) // 2]).code == "corrupt_file"


def test_a_pdf_header_followed_by_garbage_is_refused_as_corrupt() -> None:
    assert refusal(b"%PDF-1.7\nthis is not a pdf\n%%EOF\n").code == "corrupt_file"


def test_a_pdf_with_data_appended_after_its_end_is_refused() -> None:
    polyglot = samples.scan_pdf() + b"PK\x03\x04" + bytes(100)
    refused = refusal(polyglot)
    assert refused.code == "unsupported_type"
    assert "extra data after its end" in refused.message


def test_a_pdf_whose_page_image_declares_a_bomb_size_is_refused() -> None:
    assert sanitize(samples.pdf_with_page_image(8, 8)).pages == 1
    refused = refusal(samples.pdf_with_page_image(30_000, 30_000))
    assert refused.code == "corrupt_file"


# --- the contract as a whole -----------------------------------------------------------------


def test_a_refusal_survives_pickling_for_task_queues() -> None:
    refused = pickle.loads(pickle.dumps(refusal(samples.gif())))  # noqa: S301 - our own bytes
    assert (refused.code, isinstance(refused, Refused)) == ("unsupported_type", True)


def test_clean_file_reprs_do_not_dump_document_bytes() -> None:
    assert "content=" not in repr(sanitize(samples.jpeg()))


_VALID = [samples.jpeg(), samples.png_with_alpha_and_text(), samples.webp(), samples.scan_pdf()]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.sampled_from(range(len(_VALID))),
    edits=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=8),
    cut=st.none() | st.integers(min_value=1),
)
def test_damaged_uploads_are_either_cleaned_or_refused_never_anything_else(
    which: int, edits: list[tuple[int, int]], cut: int | None
) -> None:
    data = bytearray(_VALID[which])
    for position, value in edits:
        data[position % len(data)] = value
    if cut is not None:
        data = data[: cut % len(data) or 1]
    try:
        result = sanitize(bytes(data))
    except Refused as refused:
        assert refused.code in ("file_too_large", "unsupported_type", "corrupt_file")
        assert refused.message
    else:
        assert opened(result.preview).format == "JPEG"
