"""The machine-readable zone (MRZ) of passports and identity cards, per ICAO Doc 9303 parts 3 to 6.

Travellers may type or paste the MRZ of their document; we read it, check every check digit and compare it
with the fields they typed, so mistakes surface while they fill in the form rather than at the gate.

This module is ours by design, not a third-party MRZ library: it is small, the spec is stable (the layouts
have not changed since the 1980s), and we need per-digit diagnostics that name the line and position of
each faulty check digit in words a traveller can act on. It has no Django dependency.

Layouts (positions 1-based, as in the spec):

- TD3, passport books (part 4): 2 lines of 44.
- TD1, ID-card size (part 5): 3 lines of 30.
- TD2 (part 6): 2 lines of 36.

Tolerated quirks: Germany's one-letter country code "D<<"; "<" for the check digit of an empty field; unknown
(all-filler) dates; a partly unknown date of birth ("YY<<<<", "YYMM<<"); TD1/TD2 document numbers longer than
nine characters, continued in the optional data.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kordon.text import compact

CHECK_DIGIT = "mrz_check_digit"
INVALID = "invalid"
MISMATCH = "mrz_mismatch"


class MrzFormat(StrEnum):
    TD1 = "TD1"  # 3 x 30, ID-card size
    TD2 = "TD2"  # 2 x 36
    TD3 = "TD3"  # 2 x 44, passport book


@dataclass(frozen=True)
class MrzProblem:
    """One thing wrong with an MRZ, or one difference between the MRZ and the typed fields.

    `field` is our field name ("document_number", "composite", "lines", ...); `code` is "mrz_check_digit",
    "invalid" or "mrz_mismatch"; `line` and `position` are 1-based and point at the faulty check digit (or,
    for "invalid", at the faulty field or character), so a form can highlight it.
    """

    field: str
    code: str
    message: str
    line: int | None = None
    position: int | None = None


@dataclass(frozen=True)
class MrzData:
    """What a valid MRZ says. Fillers are removed; names use single spaces between their parts."""

    format: MrzFormat
    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    date_of_birth: date | None
    sex: str
    document_expiry: date | None
    optional_data: str


class MrzError(ValueError):
    """The MRZ could not be read or failed its checks; `problems` holds every problem found, in MRZ order."""

    def __init__(self, problems: Iterable[MrzProblem]) -> None:
        self.problems: list[MrzProblem] = list(problems)
        super().__init__(" ".join(p.message for p in self.problems))


# --- Layouts -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    """Characters [start, end) of line `line`; all 0-based here, 1-based in messages."""

    line: int
    start: int
    end: int

    def of(self, lines: Sequence[str]) -> str:
        return lines[self.line][self.start:self.end]

    def where(self) -> str:
        if self.end - self.start == 1:
            return _("line %(line)d, position %(position)d") % {"line": self.line + 1, "position": self.start + 1}
        return _("line %(line)d, positions %(first)d-%(last)d") % {
            "line": self.line + 1, "first": self.start + 1, "last": self.end}


@dataclass(frozen=True)
class _Layout:
    format: MrzFormat
    rows: int
    width: int
    names: _Span
    number: _Span
    number_check: _Span
    nationality: _Span
    birth: _Span
    birth_check: _Span
    sex: _Span
    expiry: _Span
    expiry_check: _Span
    optional: tuple[_Span, ...]  # the first one holds the tail of a long document number (TD1, TD2)
    optional_check: _Span | None  # only TD3 checks its optional data (the personal number)
    composite: tuple[_Span, ...]
    composite_check: _Span


_CODE, _STATE = _Span(0, 0, 2), _Span(0, 2, 5)  # the same in every format


def _two_line_layout(fmt: MrzFormat, width: int) -> _Layout:
    """TD2 and TD3 share line 2 up to the optional data; only TD3 gives that data its own check digit."""
    optional_end = width - 2 if fmt is MrzFormat.TD3 else width - 1
    return _Layout(
        format=fmt, rows=2, width=width, names=_Span(0, 5, width),
        number=_Span(1, 0, 9), number_check=_Span(1, 9, 10), nationality=_Span(1, 10, 13),
        birth=_Span(1, 13, 19), birth_check=_Span(1, 19, 20), sex=_Span(1, 20, 21),
        expiry=_Span(1, 21, 27), expiry_check=_Span(1, 27, 28),
        optional=(_Span(1, 28, optional_end),),
        optional_check=_Span(1, width - 2, width - 1) if fmt is MrzFormat.TD3 else None,
        composite=(_Span(1, 0, 10), _Span(1, 13, 20), _Span(1, 21, width - 1)),
        composite_check=_Span(1, width - 1, width),
    )


_TD1 = _Layout(
    format=MrzFormat.TD1, rows=3, width=30, names=_Span(2, 0, 30),
    number=_Span(0, 5, 14), number_check=_Span(0, 14, 15), nationality=_Span(1, 15, 18),
    birth=_Span(1, 0, 6), birth_check=_Span(1, 6, 7), sex=_Span(1, 7, 8),
    expiry=_Span(1, 8, 14), expiry_check=_Span(1, 14, 15),
    optional=(_Span(0, 15, 30), _Span(1, 18, 29)), optional_check=None,
    composite=(_Span(0, 5, 30), _Span(1, 0, 7), _Span(1, 8, 15), _Span(1, 18, 29)),
    composite_check=_Span(1, 29, 30),
)
_LAYOUTS = {
    (3, 30): _TD1,
    (2, 36): _two_line_layout(MrzFormat.TD2, 36),
    (2, 44): _two_line_layout(MrzFormat.TD3, 44),
}
# By line width, for messages.
_KIND = {30: gettext_lazy("an ID card"), 36: gettext_lazy("a 2-line ID card"), 44: gettext_lazy("a passport")}
_COVERED = frozenset({"document_number", "date_of_birth", "document_expiry", "optional_data"})  # by composite


# --- Normalizing and check digits ------------------------------------------------------------------------

# Look-alikes of the filler "<" that OCR apps, autocorrect and fonts produce. A double chevron stands for two
# fillers (autocorrect turns "<<" into "«"). ">" is there because on German and Nordic keyboards it is "<"
# with Shift held, which people do while typing capitals.
_LOOKALIKES = str.maketrans(
    {"\u00ab": "<<", "\u00bb": "<<", ">": "<"}  # « » >
    # single angle quotes, angle brackets, arrowheads (NFKC has already made full-width and small forms "<")
    | dict.fromkeys("\u2039\u203a\u3008\u27e8\u276e\u276c\u1438\u02c2\u227a", "<")
)
_BLANKS = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")
_RUN_TOGETHER = {90: 30, 72: 36, 88: 44}  # total length of an MRZ pasted as one line -> line width
_MRZ_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")


def normalize_lines(text_or_lines: str | Sequence[str]) -> list[str]:
    """Clean upper-case MRZ lines from pasted text or a list of lines.

    Blank lines are dropped and all whitespace inside a line removed; lower case becomes upper case;
    full-width forms and chevron look-alikes become "<". A whole MRZ pasted as one line (88, 72 or 90
    characters) is split into its lines. Characters that cannot be in an MRZ are kept, so that parse_mrz
    can point at them.
    """
    text = text_or_lines if isinstance(text_or_lines, str) else "\n".join(text_or_lines)
    text = unicodedata.normalize("NFKC", text).translate(_LOOKALIKES).upper()
    lines = [_BLANKS.sub("", line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) == 1 and len(lines[0]) in _RUN_TOGETHER:
        width = _RUN_TOGETHER[len(lines[0])]
        lines = [lines[0][i:i + width] for i in range(0, len(lines[0]), width)]
    return lines


def _char_value(char: str) -> int:
    if "0" <= char <= "9":
        return ord(char) - ord("0")
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == "<":
        return 0
    raise ValueError(f"{char!r} is not an MRZ character (A-Z, 0-9 or <).")


def check_digit(value: str) -> str:
    """The ICAO 9303 check digit of `value`: weights 7, 3, 1 repeating, "<" = 0, A = 10 ... Z = 35, mod 10.

    Raises ValueError for a character outside A-Z, 0-9 and "<" (lower case included: normalize first).
    """
    weights = (7, 3, 1)
    return str(sum(_char_value(c) * weights[i % 3] for i, c in enumerate(value)) % 10)


# --- Shape: line count, lengths, characters ---------------------------------------------------------------


def _layout_for(lines: list[str]) -> _Layout:
    """The layout these lines have, or MrzError with every shape problem (count, lengths, characters)."""
    layout = _LAYOUTS.get((len(lines), len(lines[0]))) if lines else None
    if layout and any(len(line) != layout.width for line in lines):
        layout = None
    problems = ([] if layout else _shape_problems(lines)) + _character_problems(lines)
    if layout and not problems and lines[0][0] == "V":
        # Visas (MRV-A, MRV-B) share the sizes but not the layout of line 2; reading on would only confuse.
        problems = [MrzProblem("lines", INVALID, _(
            "This is the MRZ of a visa (it starts with V). Enter the MRZ of the passport or identity card "
            "instead."), 1, 1)]
    if problems or layout is None:
        raise MrzError(problems)
    return layout


def _shape_problems(lines: list[str]) -> list[MrzProblem]:
    """Wrong line count, else wrong line lengths, judged against the format the longest line is nearest to."""
    entered = ngettext("%(count)d line was entered", "%(count)d lines were entered", len(lines)) % {
        "count": len(lines)}
    if not lines or len(lines) > 3:
        return [MrzProblem("lines", INVALID, _(
            "An MRZ has 2 lines (passport) or 3 lines (ID card), but %(entered)s. Copy all the lines of "
            "letters, digits and < at the bottom of the photo page, or on the back of the ID card."
        ) % {"entered": entered})]
    width = min(_KIND, key=lambda w: abs(w - max(map(len, lines))))
    rows = 3 if width == 30 else 2
    if len(lines) != rows:
        return [MrzProblem("lines", INVALID, _(
            "The MRZ of %(kind)s has %(rows)d lines of %(width)d characters, but %(entered)s. Copy all "
            "its lines, each on a line of its own."
        ) % {"kind": _KIND[width], "rows": rows, "width": width, "entered": entered})]
    return [_length_problem(n, line, width) for n, line in enumerate(lines, 1) if len(line) != width]


def _length_problem(number: int, line: str, width: int) -> MrzProblem:
    diff = len(line) - width
    if diff < 0:
        hint = ngettext("%(count)d character is missing, often a <; count the < signs",
                        "%(count)d characters are missing, often a <; count the < signs", -diff) % {"count": -diff}
    else:
        hint = ngettext("there is %(count)d character too many",
                        "there are %(count)d characters too many", diff) % {"count": diff}
    return MrzProblem("lines", INVALID, _(
        "Line %(number)d of the MRZ has %(length)d characters, but the lines of %(kind)s have %(width)d: "
        "%(hint)s. Copy the line again, typing every < as shown."
    ) % {"number": number, "length": len(line), "kind": _KIND[width], "width": width, "hint": hint}, number)


def _character_problems(lines: list[str]) -> list[MrzProblem]:
    problems = []
    for number, line in enumerate(lines, 1):
        bad = [(i, c) for i, c in enumerate(line) if c not in _MRZ_CHARS]
        if bad:
            position, char = bad[0][0] + 1, bad[0][1]
            values = {"number": number, "char": char, "position": position, "more": len(bad) - 1}
            message = ngettext(
                'Line %(number)d of the MRZ has "%(char)s" at position %(position)d and %(more)d more; an MRZ '
                "holds only the letters A-Z, the digits 0-9 and <. Copy the line again as printed.",
                'Line %(number)d of the MRZ has "%(char)s" at position %(position)d and %(more)d more; an MRZ '
                "holds only the letters A-Z, the digits 0-9 and <. Copy the line again as printed.",
                len(bad) - 1,
            ) if len(bad) > 1 else _(
                'Line %(number)d of the MRZ has "%(char)s" at position %(position)d; an MRZ holds only the '
                "letters A-Z, the digits 0-9 and <. Copy the line again as printed.")
            problems.append(MrzProblem("lines", INVALID, message % values, number, position))
    return problems


# --- Reading the fields -----------------------------------------------------------------------------------

_DIGIT_FOR_LETTER = {"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B"}  # misreadings in names
_LETTER_FOR_DIGIT = {"O": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8"}  # ... and in dates


def _words(raw: str) -> str:
    """Fillers to single spaces, none at either end: "ANNA<MARIA<<<" -> "ANNA MARIA"."""
    return " ".join(part for part in raw.split("<") if part)


class _Reader:
    """Reads the fields of lines whose shape is known good, collecting problems instead of stopping."""

    def __init__(self, lines: list[str], layout: _Layout, today: date) -> None:
        self.lines, self.layout, self.today = lines, layout, today
        self.problems: list[MrzProblem] = []
        self.optional_skip = 0  # characters of the optional data taken by a long document number

    def text(self, span: _Span) -> str:
        return span.of(self.lines)

    def invalid(self, field_name: str, span: _Span, message: str) -> None:
        self.problems.append(MrzProblem(field_name, INVALID, message, span.line + 1, span.start + 1))

    def check(self, field_name: str, label: str, data: str, at: _Span) -> None:
        """Record a problem unless the digit at `at` is the check digit of `data`."""
        found, expected = self.text(at), check_digit(data)
        # ICAO lets an all-filler field carry "<" as its check digit (its value would be 0 anyway).
        if found == expected or (found == "<" and set(data) == {"<"}):
            return
        line, position = at.line + 1, at.start + 1
        values = {"label": label, "line": line, "position": position, "found": found, "data": data,
                  "expected": expected}
        message = _(
            "The check digit of the %(label)s in line %(line)d of the MRZ (position %(position)d) is %(found)s, "
            "but for the %(label)s as typed (%(data)s) it should be %(expected)s. Check both for a typing mistake."
        ) if found.isdigit() else _(
            'The check digit of the %(label)s in line %(line)d of the MRZ (position %(position)d) should be a '
            'digit, but is "%(found)s"; for the %(label)s as typed (%(data)s) it should be %(expected)s. Check '
            "both for a typing mistake.")
        self.problems.append(MrzProblem(field_name, CHECK_DIGIT, message % values, line, position))

    def read(self) -> MrzData:
        layout = self.layout
        surname, given_names = self.names()
        return MrzData(
            format=layout.format, document_code=self.document_code(),
            issuing_state=self.country("issuing_state", _("issuing state"), _STATE),
            surname=surname, given_names=given_names, document_number=self.document_number(),
            nationality=self.country("nationality", _("nationality"), layout.nationality),
            date_of_birth=self.date_of_birth(), sex=self.sex(), document_expiry=self.expiry(),
            optional_data=self.optional_data(),
        )

    def document_code(self) -> str:
        raw = self.text(_CODE)
        if not ("A" <= raw[0] <= "Z" and ("A" <= raw[1] <= "Z" or raw[1] == "<")):
            self.invalid("document_code", _CODE, _(
                'The MRZ starts with "%(raw)s", but it must start with the document type, such as P< for a '
                "passport or I< for an ID card. Check the start of line 1.") % {"raw": raw})
        return raw.rstrip("<")

    def country(self, field_name: str, label: str, span: _Span) -> str:
        raw = self.text(span)
        # One to three letters, then fillers: Germany's code is "D<<".
        if not re.fullmatch(r"[A-Z]{1,3}<*", raw):
            self.invalid(field_name, span, _(
                'The %(label)s in the MRZ (%(where)s) reads "%(raw)s", but must be a three-letter country '
                "code such as NLD (or D<< for Germany). Check it for a typing mistake."
            ) % {"label": label, "where": span.where(), "raw": raw})
        return raw.rstrip("<")

    def names(self) -> tuple[str, str]:
        span = self.layout.names
        raw = self.text(span)
        surname, _sep, given_names = raw.partition("<<")
        bad = next((i for i, c in enumerate(raw) if not ("A" <= c <= "Z" or c == "<")), None)
        if bad is not None:
            where = _Span(span.line, span.start + bad, span.start + bad + 1)
            letter = _DIGIT_FOR_LETTER.get(raw[bad])
            hint = (" " + _("If it is the letter %(letter)s, type %(letter)s.") % {"letter": letter}) if letter else ""
            self.invalid("surname" if bad < len(surname) else "given_names", where, _(
                "The name in the MRZ has the digit %(digit)s at %(where)s, but names there have only "
                "letters and <."
            ) % {"digit": raw[bad], "where": where.where()} + hint)
        elif not _words(raw):
            self.invalid("surname", span, _("The name in the MRZ (%(where)s) is empty. Copy it again.")
                         % {"where": span.where()})
        return _words(surname), _words(given_names)

    def document_number(self) -> str:
        layout = self.layout
        head, check_at = self.text(layout.number), layout.number_check
        # ICAO long document number (TD1, TD2): "<" in place of the check digit; the number goes on in the
        # optional data, followed by its check digit and a filler.
        if layout.format is not MrzFormat.TD3 and self.text(check_at) == "<" and "<" not in head:
            return self.long_document_number(head)
        self.check("document_number", _("document number"), head, check_at)
        if not head.strip("<"):
            self.invalid("document_number", layout.number, _(
                "The document number in the MRZ (%(where)s) is empty. Copy that line again."
            ) % {"where": layout.number.where()})
        return head.replace("<", "")

    def long_document_number(self, head: str) -> str:
        span = self.layout.optional[0]
        tail = self.text(span).split("<", 1)[0]
        self.optional_skip = len(tail) + 1
        if len(tail) < 2:  # the rest of the number and its check digit: at least two characters
            self.invalid("document_number", self.layout.number_check, _(
                "The check digit of the document number (%(where)s) is <, which means the number goes on in "
                "the optional data, but nothing follows there. Check for a typing mistake."
            ) % {"where": self.layout.number_check.where()})
            return head + tail
        rest = tail[:-1]
        check_at = _Span(span.line, span.start + len(rest), span.start + len(rest) + 1)
        self.check("document_number", _("document number"), head + rest, check_at)
        return head + rest

    def date_of_birth(self) -> date | None:
        layout = self.layout
        return self.date("date_of_birth", _("date of birth"), layout.birth, layout.birth_check, _birth_date)

    def expiry(self) -> date | None:
        layout = self.layout
        return self.date("document_expiry", _("expiry date"), layout.expiry, layout.expiry_check, _expiry_date)

    def date(self, field_name: str, label: str, span: _Span, check_at: _Span, pick: "_Pick") -> date | None:
        """The date at `span` (YYMMDD), its check digit checked; None when fillers mark it unknown."""
        raw = self.text(span)
        self.check(field_name, label, raw, check_at)
        if _is_unknown(raw, partly=field_name == "date_of_birth"):
            return None
        if not raw.isdigit():
            self.not_a_date(field_name, label, span, raw)
            return None
        found = pick(int(raw[:2]), int(raw[2:4]), int(raw[4:]), self.today)
        if found is None:
            self.invalid(field_name, span, _(
                "The %(label)s in the MRZ (%(where)s) reads %(raw)s, which is not a real date (YYMMDD). "
                "Check it for a typing mistake.") % {"label": label, "where": span.where(), "raw": raw})
        return found

    def not_a_date(self, field_name: str, label: str, span: _Span, raw: str) -> None:
        digits = {c: _LETTER_FOR_DIGIT[c] for c in sorted(set(raw)) if c in _LETTER_FOR_DIGIT}
        hint = "".join(" " + _("If %(letter)s is the digit %(digit)s, type %(digit)s.") % {"letter": c, "digit": d}
                       for c, d in digits.items())
        self.invalid(field_name, span, _(
            'The %(label)s in the MRZ (%(where)s) reads "%(raw)s", but a date there is six digits, YYMMDD.'
        ) % {"label": label, "where": span.where(), "raw": raw} + hint)

    def sex(self) -> str:
        raw = self.text(self.layout.sex)
        if raw not in ("M", "F", "X", "<"):
            self.invalid("sex", self.layout.sex, _(
                'The sex in the MRZ (%(where)s) is "%(raw)s", but it must be M, F or < (unspecified). Check it '
                "for a typing mistake.") % {"where": self.layout.sex.where(), "raw": raw})
        return "X" if raw == "<" else raw

    def optional_data(self) -> str:
        layout = self.layout
        if layout.optional_check is not None:
            raw = self.text(layout.optional[0])
            self.check("optional_data", _("personal number"), raw, layout.optional_check)
        parts = [self.text(span) for span in layout.optional]
        parts[0] = parts[0][self.optional_skip:]
        return " ".join(word for word in map(_words, parts) if word)

    def composite(self) -> None:
        """The final check digit, over the number, dates and optional data with their own check digits."""
        at = self.layout.composite_check
        data = "".join(self.text(span) for span in self.layout.composite)
        found, expected = self.text(at), check_digit(data)
        if found == expected:
            return
        others = any(p.field in _COVERED for p in self.problems)
        after = (" " + _("It may be right once the other problems are fixed.")) if others else ""
        line, position = at.line + 1, at.start + 1
        self.problems.append(MrzProblem("composite", CHECK_DIGIT, _(
            "The final check digit of the MRZ (line %(line)d, position %(position)d) is %(found)s, but for the "
            "characters it covers it should be %(expected)s. It covers the document number, the dates and the "
            "optional data, with their check digits, so look there for a typing mistake."
        ) % {"line": line, "position": position, "found": found, "expected": expected} + after, line, position))


# --- Dates ------------------------------------------------------------------------------------------------

_Pick = Callable[[int, int, int, date], date | None]
_PARTLY_UNKNOWN = re.compile(r"[0-9]{2}<<<<|[0-9]{4}<<")


def _is_unknown(raw: str, *, partly: bool) -> bool:
    """Whether fillers mark the date unknown; with `partly`, also when only the month and day are unknown."""
    return raw == "<<<<<<" or (partly and _PARTLY_UNKNOWN.fullmatch(raw) is not None)


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _birth_date(yy: int, month: int, day: int, today: date) -> date | None:
    """The latest century that puts the birth date not after today; None for no such real date.

    A person over 100 is read as a child: the MRZ cannot tell them apart, and the typed date settles it.
    """
    century = today.year // 100 * 100
    for year in (century + yy, century - 100 + yy):
        found = _real_date(year, month, day)
        if found is not None and found <= today:
            return found
    return None


def _expiry_date(yy: int, month: int, day: int, today: date) -> date | None:
    """The century that puts the expiry year in [today - 50 years, today + 50 years); None if no real date."""
    first = today.year - 50
    return _real_date(first + (yy - first) % 100, month, day)


# --- Parsing ----------------------------------------------------------------------------------------------


def parse_mrz(lines: str | Sequence[str], *, today: date | None = None) -> MrzData:
    """Read a TD1, TD2 or TD3 MRZ (the format follows from the line count and lengths).

    Accepts anything normalize_lines accepts. Every check digit is verified, the composite one included.
    Raises MrzError with every problem found: shape problems (line count, lengths, characters) alone, as
    the fields cannot be told apart then; otherwise all field and check-digit problems, in MRZ order.
    `today` (default: date.today()) settles the century of two-digit years.
    """
    clean = normalize_lines(lines)
    reader = _Reader(clean, _layout_for(clean), today or date.today())
    data = reader.read()
    reader.composite()
    if reader.problems:
        raise MrzError(sorted(reader.problems, key=lambda p: (p.line or 0, p.position or 0)))
    return data


# --- Comparing with the typed fields ----------------------------------------------------------------------

# ICAO 9303 part 3 transliterations that are not just "drop the accent", with accepted variants. The
# stripped form ("MULLER" for "Müller") is accepted too: states differ, and older passports used it.
_TRANSLITERATIONS: dict[str, tuple[str, ...]] = {
    "Ä": ("AE", "A"), "Å": ("AA", "A"), "Æ": ("AE",), "Ö": ("OE", "O"), "Ø": ("OE", "O"), "Œ": ("OE",),
    "Ü": ("UE", "UXX", "U"), "Ñ": ("N", "NXX"), "ẞ": ("SS",), "Þ": ("TH",), "Ĳ": ("IJ",), "Ð": ("D",),
    "Đ": ("D",), "Ħ": ("H",), "Ł": ("L",), "Ŀ": ("L",), "Ŋ": ("N",), "Ŧ": ("T",), "ĸ": ("K",),
    "\u0131": ("I",),  # dotless i
}
# Apostrophes, typed or typographic: ICAO leaves them out of the MRZ; some states write "<", ignored as well.
_APOSTROPHES = frozenset("'\u2019\u2018\u02bc`\u00b4")
_Options = list[tuple[str, ...]]  # for each typed character, the MRZ spellings it may have


def _char_options(char: str) -> tuple[str, ...]:
    if char in _TRANSLITERATIONS:
        return _TRANSLITERATIONS[char]
    if char in _APOSTROPHES:
        return ("",)
    plain = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if plain.isascii() and plain.isalpha():
        return (plain.upper(),)
    # Letters of other scripts stay themselves (and will not match); everything else separates name parts.
    return (char,) if char.isalpha() else (" ",)


def _name_parts(typed: str) -> list[_Options]:
    """The typed name as parts (split where the MRZ has "<"), each character with its MRZ spellings."""
    options = [_char_options(c) for c in unicodedata.normalize("NFC", typed.upper())]
    parts: list[_Options] = [[]]
    for option in options:
        if option == (" ",):
            parts.append([])
        else:
            parts[-1].append(option)
    return [part for part in parts if part]


def _spells(options: _Options, target: str, *, prefix: bool) -> bool:
    """Whether some spelling of `options` equals `target` or, with `prefix`, begins with it.

    Walks the typed characters once, keeping the set of positions in `target` reached so far, so mixed
    spellings ("MUELLER<OZTURK" for "Müller-Öztürk") cost nothing extra.
    """
    reached = {0}
    for spellings in options:
        reached = {end for at in reached for s in spellings if (end := _advance(target, at, s, prefix)) >= 0}
    return len(target) in reached


def _advance(target: str, at: int, spelling: str, prefix: bool) -> int:
    """Where `spelling` at `at` leaves us in `target`; -1 if it does not fit."""
    if target.startswith(spelling, at):
        return at + len(spelling)
    # With a truncated MRZ, the typed name may run on past its end.
    return len(target) if prefix and spelling.startswith(target[at:]) else -1


def _name_matches(typed: str, in_mrz: str, *, truncated: bool) -> bool:
    """Typed name vs MRZ name, ignoring case, accents, hyphens, apostrophes and spaces.

    When the MRZ name field is full it may be truncated: then the MRZ name must be the start of the typed
    name, or each MRZ name part the start of the typed part at the same place ("ANNA M" for "Anna Maria").
    """
    parts, words = _name_parts(typed), in_mrz.split()
    if _spells([o for part in parts for o in part], "".join(words), prefix=truncated):
        return True
    return truncated and len(words) <= len(parts) and all(
        _spells(part, word, prefix=True) for part, word in zip(parts, words, strict=False)
    )


def transliterate(typed: str) -> str:
    """A typed name as ICAO 9303 (part 3, its recommended transliteration) writes it in the MRZ:
    "Müller-Lüdenscheidt" -> "MUELLER LUEDENSCHEIDT"; letters of other scripts stay as they are."""
    return " ".join("".join(options[0] for options in part) for part in _name_parts(typed)).strip()


def name_may_be_truncated(mrz: MrzData) -> bool:
    """Whether the MRZ's name field is full, so its names may be cut short."""
    return _name_field_full(mrz)


def _name_field_full(mrz: MrzData) -> bool:
    """Whether the name field has no filler left at its end, which is how ICAO marks a possible truncation."""
    layout = next(layout for layout in _LAYOUTS.values() if layout.format is mrz.format)
    capacity = layout.names.end - layout.names.start
    given_names = "<<" + mrz.given_names.replace(" ", "<") if mrz.given_names else ""
    rebuilt = mrz.surname.replace(" ", "<") + given_names
    return len(rebuilt) >= capacity


def _country(code: str) -> str:
    code = code.strip().upper()
    return "DEU" if code == "D" else code  # Germany writes "D" in the MRZ, everyone else (and we) "DEU"


def _mismatch(field_name: str, label: str, typed: str, in_mrz: str, advice: str) -> MrzProblem:
    none = _("none")
    values = {"typed": typed or none, "in_mrz": in_mrz or none}
    message = _MISMATCH.get(field_name, _MISMATCH["surname"]) % values
    return MrzProblem(field_name, MISMATCH, f"{message} {advice}")


# One sentence per field: the field's name cannot be slotted into one sentence in every language.
_MISMATCH = {
    "surname": gettext_lazy("The surname typed (%(typed)s) does not match the MRZ (%(in_mrz)s)."),
    "given_names": gettext_lazy("The given names typed (%(typed)s) do not match the MRZ (%(in_mrz)s)."),
    "nationality": gettext_lazy("The nationality typed (%(typed)s) does not match the MRZ (%(in_mrz)s)."),
    "sex": gettext_lazy("The sex typed (%(typed)s) does not match the MRZ (%(in_mrz)s)."),
    "date_of_birth": gettext_lazy("The date of birth typed (%(typed)s) does not match the MRZ (%(in_mrz)s)."),
    "document_number": gettext_lazy("The document number typed (%(typed)s) does not match the MRZ (%(in_mrz)s)."),
    "document_expiry": gettext_lazy("The expiry date typed (%(typed)s) does not match the MRZ (%(in_mrz)s)."),
}


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def compare_with_fields(
    mrz: MrzData, *, surname: str, given_names: str, nationality: str, sex: str | None,
    date_of_birth: date | None, document_number: str, document_expiry: date | None,
) -> list[MrzProblem]:
    """Every difference between a parsed MRZ and the typed fields, as "mrz_mismatch" problems.

    Names compare as described in _name_matches, accepting both plain (Müller -> MULLER) and ICAO
    (Müller -> MUELLER) transliteration. A field typed as None or empty, or unknown in the MRZ, is not
    compared: it is the form's job to require it. Document numbers compare as letters and digits only.
    """
    truncated = _name_field_full(mrz)
    as_printed = _("Type it as printed on the photo page (accents may be left out), or check the MRZ.")
    problems = [
        _mismatch(name, label, typed, in_mrz, as_printed)
        for name, label, typed, in_mrz in (("surname", "surname", surname, mrz.surname),
                                          ("given_names", "given names", given_names, mrz.given_names))
        if not _name_matches(typed, in_mrz, truncated=truncated)
    ]
    if nationality and _country(nationality) != _country(mrz.nationality):
        problems.append(_mismatch("nationality", "nationality", nationality.upper(), mrz.nationality,
                                  _("Use the code printed in the document, e.g. DEU.")))
    if sex and sex.strip().upper() != mrz.sex:
        problems.append(_mismatch("sex", "sex", sex.upper(), mrz.sex, _("Choose what the document shows.")))
    problems += _compare_values(mrz, date_of_birth, document_number, document_expiry)
    return problems


def _compare_values(
    mrz: MrzData, date_of_birth: date | None, document_number: str, document_expiry: date | None,
) -> list[MrzProblem]:
    check = _("Check both against the document for a typing mistake.")
    problems = []
    if date_of_birth and mrz.date_of_birth and date_of_birth != mrz.date_of_birth:
        problems.append(_mismatch("date_of_birth", "date of birth", _iso(date_of_birth),
                                  _iso(mrz.date_of_birth), check))
    if document_number and compact(document_number) != mrz.document_number:
        problems.append(_mismatch("document_number", "document number", document_number, mrz.document_number,
                                  _("Check both for mixed-up characters such as O and 0, or I and 1.")))
    if document_expiry and mrz.document_expiry and document_expiry != mrz.document_expiry:
        problems.append(_mismatch("document_expiry", "expiry date", _iso(document_expiry),
                                  _iso(mrz.document_expiry), check))
    return problems
