"""Passport photos made by the tests: a data page with its MRZ set in OCR-B (Debian's fonts-ocr-b),
photographed straight, at an angle, blurred, or with a wrong check digit."""

import io
import random
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from tests.mrzlines import td3

OCR_B = Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf")
SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.truetype(str(path), size) if path.exists() else ImageFont.load_default(size)


def data_page(lines: list[str], *, seed: int = 0) -> Image.Image:
    """A passport data page, 1250 x 880 px: a face box, printed fields, the MRZ at the bottom."""
    rng = random.Random(seed)
    page = Image.new("RGB", (1250, 880), (236, 232, 220))
    draw = ImageDraw.Draw(page)
    for _ in range(40):  # a guilloche-like background, as security printing has
        x, y = rng.randrange(1250), rng.randrange(600)
        draw.ellipse((x, y, x + rng.randrange(80, 300), y + rng.randrange(40, 160)), outline=(210, 205, 190))
    draw.rectangle((50, 80, 330, 450), fill=(180, 170, 160))
    label, value = _font(SANS, 22), _font(SANS, 30)
    surname, given = lines[0][5:].split("<<", 1)
    for i, (name, text) in enumerate([("Surname", surname.replace("<", " ")),
                                      ("Given names", given.strip("<").replace("<", " ")),
                                      ("Nationality", lines[1][10:13]), ("Passport No.", lines[1][0:9].strip("<"))]):
        draw.text((380, 90 + i * 90), name, font=label, fill=(90, 90, 90))
        draw.text((380, 118 + i * 90), text, font=value, fill=(20, 20, 20))
    mrz = _font(OCR_B, 36)
    for i, line in enumerate(lines):
        draw.text((42, 700 + i * 70), line, font=mrz, fill=(10, 10, 10))
    return page


def photographed(page: Image.Image, *, angle: float = 0.0, blur: float = 0.0, scale: float = 1.0,
                 turn: int = 0) -> bytes:
    """The page as a phone would send it: on a table, maybe turned and out of focus; a JPEG. `turn`
    (90, 180, 270) is the phone held sideways or upside down."""
    shot = page.rotate(angle + turn, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(90, 70, 50))
    if blur:
        shot = shot.filter(ImageFilter.GaussianBlur(blur))
    if scale != 1.0:
        shot = shot.resize((int(shot.width * scale), int(shot.height * scale)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    shot.save(out, "JPEG", quality=85)
    return out.getvalue()


ANNA = ("Eriksson", "Anna Maria", "NLD", "NX4HK2LP1", date(1980, 1, 31), "F", date(2031, 1, 1))
JAN = ("Eriksson", "Jan", "NLD", "NX7PQ3RT8", date(1978, 6, 12), "M", date(2032, 5, 20))


def passport_photo(person: tuple = ANNA, **shot: float) -> bytes:  # type: ignore[type-arg]
    return photographed(data_page(td3(*person)), **shot)


def wrong_check_digit_photo(person: tuple = ANNA) -> bytes:  # type: ignore[type-arg]
    lines = td3(*person)
    digit = lines[1][9]
    lines[1] = lines[1][:9] + str((int(digit) + 3) % 10) + lines[1][10:]  # the document number's check digit
    return photographed(data_page(lines))


def landscape_photo() -> bytes:
    """A photo with no passport in it: sky, mountains, a road."""
    picture = Image.new("RGB", (1200, 800), (120, 170, 230))
    draw = ImageDraw.Draw(picture)
    draw.polygon([(0, 600), (300, 250), (600, 550), (900, 200), (1200, 600), (1200, 800), (0, 800)], fill=(90, 90, 80))
    draw.polygon([(500, 800), (620, 560), (660, 560), (800, 800)], fill=(60, 60, 60))
    return photographed(picture)
