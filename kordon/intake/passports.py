"""Reading the MRZ from a photo of a passport's data page, with Debian's tesseract-ocr (pytesseract).

Tesseract reads the letters and digits of OCR-B well but not its filler "<" (runs of fillers come
out as "K", "<K" or nothing), and it drops characters after long filler runs. The MRZ is monospaced,
so we read it as a grid instead: the photo is turned upright (of the quarter turns, the axis whose
rows of text are sharper, both ways round: a phone held sideways or upside down) and straightened
(the angle whose rows of text are sharpest), the MRZ's lines are found from the bottom up, each
line is cut into its 44 (TD3), 36 (TD2) or 30 (TD1) cells, a cell shaped like the chevron is a
filler, and every other cell takes the character tesseract placed in it. Nothing read is trusted
until `kordon.notices.mrz` has checked every check digit.
"""

import io
import itertools
from dataclasses import dataclass

import numpy as np
import pytesseract
from PIL import Image, ImageOps

from kordon.notices.mrz import MrzData, MrzError, MrzProblem, parse_mrz

WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
TESSERACT = f"--psm 7 -c tessedit_char_whitelist={WHITELIST} -c load_system_dawg=0 -c load_freq_dawg=0"
WORK_WIDTH = 1400  # pixels: enough for 44 cells of ~25 px, small enough to search angles quickly
ANGLES = (0, -3, 3, -6, 6, -9, 9, -12, 12, -15, 15)
FORMATS = {2: (44, 36), 3: (30,)}  # line count → cells per line


class Unreadable(ValueError):
    """No MRZ could be read (`problems` empty), or what was read failed its checks (`problems`)."""

    def __init__(self, message: str, problems: list[MrzProblem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class Reading:
    lines: list[str]
    data: MrzData


def read_passport(content: bytes) -> Reading:
    """The checked MRZ of the passport in the photo; raise Unreadable saying why not."""
    try:
        picture = Image.open(io.BytesIO(content))
        picture.load()
    except Exception as exc:
        raise Unreadable("This file is not a photo we can read.") from exc
    gray = ImageOps.grayscale(ImageOps.exif_transpose(picture))
    failed: list[MrzProblem] = []
    for turn in _orientations(gray):  # a phone held sideways or upside down sends the page turned
        turned = gray.transpose(turn) if turn is not None else gray
        turned = turned.resize((WORK_WIDTH, max(1, round(turned.height * WORK_WIDTH / turned.width))),
                               Image.Resampling.LANCZOS)
        reading = _read_level(turned, failed)
        if reading is not None:
            return reading
        if failed:
            break  # lines with check digits were found this way up: the page is not the other way round
    if failed:
        raise Unreadable("The passport's machine-readable lines were read but fail their check digits.", failed)
    raise Unreadable("No machine-readable lines found: photograph the whole data page, flat and sharp.")


def _read_level(gray: Image.Image, failed: list[MrzProblem]) -> Reading | None:
    """The MRZ of a photo that is upright give or take ANGLES; check-digit failures go to `failed`."""
    for angle in _angles(gray):
        upright = gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
        ink = _ink(upright)
        bands = _text_bands(ink)
        read: dict[tuple[int, int, int, int], list[Box]] = {}
        for count, widths in FORMATS.items():
            if len(bands) < count:
                continue
            rows = bands[-count:]
            for band in rows:
                if band not in read:
                    read[band] = _boxes(upright, band)
            for width in widths:
                options = [_line_options(ink, band, read[band], width) for band in rows]
                for lines in itertools.product(*options):
                    try:
                        return Reading(list(lines), parse_mrz(list(lines)))
                    except MrzError as exc:
                        failed[:] = failed or list(exc.problems)
    return None


def _orientations(gray: Image.Image) -> list[Image.Transpose | None]:
    """The page's likelier quarter turns, best first, tried in turn: the axis along which rows of text
    are sharper (upright or upside down, else on its side), then the other way round on that axis.
    The other axis is not tried: a photo without lines of text either way costs two readings, not four."""
    small = gray.resize((300, max(1, round(gray.height * 300 / gray.width))))

    def rows_sharpness(picture: Image.Image) -> float:
        pixels = np.asarray(picture, dtype=np.float32)
        return float(np.abs(np.diff(pixels, axis=1)).sum(axis=1).var())

    level = max(rows_sharpness(small.rotate(a, fillcolor=255)) for a in (0, -8, 8))
    side = max(rows_sharpness(small.transpose(Image.Transpose.ROTATE_90).rotate(a, fillcolor=255)) for a in (0, -8, 8))
    if side > level:
        return [Image.Transpose.ROTATE_270, Image.Transpose.ROTATE_90]
    return [None, Image.Transpose.ROTATE_180]


def _angles(gray: Image.Image) -> list[float]:
    """Angles to try, the likeliest first: rows of text are sharpest (most varied) when level."""
    small = gray.resize((350, max(1, round(gray.height * 350 / gray.width))))

    def sharpness(angle: float) -> float:
        turned = np.asarray(small.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255), dtype=np.float32)
        edges = np.abs(np.diff(turned, axis=1)).sum(axis=1)  # text rows have many light/dark changes
        return float(edges.var())

    coarse = sorted(ANGLES, key=sharpness, reverse=True)[:2]
    best = coarse[0]
    fine = sorted((best + d for d in (-2, -1, 0, 1, 2)), key=sharpness, reverse=True)
    return list(dict.fromkeys([fine[0], coarse[0]]))


def _ink(picture: Image.Image) -> np.ndarray:
    """True where the page is printed: darker than the local paper by a clear margin (Otsu's threshold)."""
    pixels = np.asarray(picture, dtype=np.uint8)
    histogram = np.bincount(pixels.ravel(), minlength=256).astype(np.float64)
    total, levels = histogram.sum(), np.arange(256)
    weight = np.cumsum(histogram)
    mean = np.cumsum(histogram * levels)
    between = (mean[-1] * weight / total - mean) ** 2 / np.maximum(weight * (total - weight), 1)
    return pixels < int(np.argmax(between))


def _text_bands(ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Rows of text as (top, bottom, left, right): long runs of rows with many ink edges, wide ones."""
    changes = np.abs(np.diff(ink.astype(np.int8), axis=1)).sum(axis=1)
    busy = changes > max(40, ink.shape[1] // 30)  # an MRZ row crosses 44 glyphs: ~100+ edges
    bands = []
    top = None
    for y, row_busy in enumerate([*busy, False]):
        if row_busy and top is None:
            top = y
        elif not row_busy and top is not None:
            span = _text_span(ink[top:y]) if y - top >= 8 else None
            if span is not None and span[1] - span[0] > ink.shape[1] * 0.45:
                bands.append((top, y, *span))
            top = None
    return bands


Box = tuple[str, float]  # a character tesseract read and the x of its centre


def _text_span(rows: np.ndarray) -> tuple[int, int] | None:
    """The widest stretch of printed columns between solid dark ones (a table, a thumb, the cover)."""
    coverage = rows.mean(axis=0)
    # Dark for at least a glyph's height across: background, not a letter's stem.
    dark = np.convolve((coverage > 0.8).astype(np.int32), np.ones(rows.shape[0], dtype=np.int32), "same")
    solid = np.concatenate([[True], dark >= rows.shape[0] * 0.9, [True]])
    edges = np.flatnonzero(solid[1:] != solid[:-1])  # starts and ends of non-solid stretches
    best: tuple[int, int] | None = None
    for start, end in zip(edges[::2], edges[1::2], strict=False):
        inked = np.flatnonzero(coverage[start:end] > 0)
        if inked.size and (best is None or inked[-1] - inked[0] > best[1] - best[0]):
            best = (int(start + inked[0]), int(start + inked[-1]))
    return best


def _line_options(ink: np.ndarray, band: tuple[int, int, int, int], boxes: list[Box], width: int) -> list[str]:
    """Readings of one line: the first box or two may be the page's edge or a smudge, not the MRZ."""
    found = [_read_line(ink, band, boxes[skip:], width) for skip in range(3)]
    return list(dict.fromkeys(line for line in found if line is not None))


def _read_line(ink: np.ndarray, band: tuple[int, int, int, int], boxes: list[Box], width: int) -> str | None:
    """The line as `width` cells: fillers by their shape, other characters from tesseract's boxes."""
    top, bottom, left, right = band
    grid = _grid(boxes, left, right, width)
    if grid is None:
        return None
    origin, pitch = grid
    cells = ink[top:bottom]
    placed: dict[int, str] = {}
    for char, centre in boxes:
        cell = round((centre - origin) / pitch)
        if 0 <= cell < width and (char != "<" or cell not in placed):
            placed[cell] = char
    line: list[str] = []
    for cell in range(width):
        x0 = max(0, int(origin + (cell - 0.5) * pitch))
        x1 = int(origin + (cell + 0.5) * pitch)
        glyph = _glyph(cells[:, x0:x1])
        if glyph is None:
            return None  # every MRZ cell is printed: the grid does not fit this line
        found = placed.get(cell)
        if _is_filler(glyph) and not (found and found.isdigit()):
            line.append("<")
        elif found is None or found == "<":
            return None  # a printed character nobody could read
        else:
            line.append(found)
    return "".join(line)


def _glyph(cell: np.ndarray) -> np.ndarray | None:
    rows, cols = np.flatnonzero(cell.any(axis=1)), np.flatnonzero(cell.any(axis=0))
    if rows.size == 0:
        return None
    return cell[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def _is_filler(glyph: np.ndarray) -> bool:
    """OCR-B's "<": its left quarter is inked only around the middle (the chevron's point). Every
    letter and digit of OCR-B has ink in the top or bottom of its left quarter (a stem, a bowl, an arm)."""
    height, width = glyph.shape
    left = glyph[:, : max(1, width // 4)]
    edge = max(1, height // 4)
    return bool(left[height // 4: height - edge].any() and not left[:edge].any() and not left[height - edge:].any())


def _grid(boxes: list[Box], left: int, right: int, width: int) -> tuple[float, float] | None:
    """Centre of the first cell and the cell pitch that best fit the characters' centres."""
    if len(boxes) < width // 3:
        return None
    origin = boxes[0][1]
    centres = np.array([centre for _, centre in boxes]) - origin
    # Most neighbouring boxes are neighbouring cells: their median distance is the pitch, roughly.
    steps = np.diff(centres)
    rough = float(np.median(steps[steps > 0])) if (steps > 0).any() else (right - left + 1) / width
    best: tuple[float, float] | None = None
    for pitch in np.linspace(rough * 0.92, rough * 1.08, 97):
        offsets = centres / pitch
        misfit = float(np.abs(offsets - np.round(offsets)).mean())
        if best is None or misfit < best[0]:
            best = (misfit, float(pitch))
    assert best is not None
    return origin, best[1]


def _boxes(picture: Image.Image, band: tuple[int, int, int, int]) -> list[Box]:
    """Tesseract's characters of one line with the x of their centres in `picture`, left to right."""
    top, bottom, left, right = band
    pad = (bottom - top) // 3
    box = (max(0, left - pad), max(0, top - pad), min(picture.width, right + pad), min(picture.height, bottom + pad))
    crop = ImageOps.autocontrast(picture.crop(box))
    found = []
    for entry in pytesseract.image_to_boxes(crop, config=TESSERACT).splitlines():
        parts = entry.split()
        if len(parts) >= 5 and parts[0] in WHITELIST:
            found.append((parts[0], box[0] + (int(parts[1]) + int(parts[3])) / 2))
    return sorted(found, key=lambda item: item[1])
