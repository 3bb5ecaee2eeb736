"""What a seal says about a notice: the kordon.notice header and message (see kordon.seals.vdsnc)."""

from __future__ import annotations

import unicodedata
from typing import Any

from kordon.notices.models import Notice, Traveller
from kordon.notices.mrz import MrzError, parse_mrz
from kordon.seals.vdsnc import COUNTRY_ALPHA3, SEAL_TYPE, SEAL_VERSION

# ICAO Doc 9303 part 3 spellings for letters that are not "the letter without its accent".
_LATIN = {
    "Ä": "AE", "Å": "AA", "Æ": "AE", "Ö": "OE", "Ø": "OE", "Œ": "OE", "Ü": "UE", "ẞ": "SS", "ß": "SS",
    "Þ": "TH", "Ĳ": "IJ", "Ð": "D", "Đ": "D", "Ħ": "H", "Ł": "L", "Ŀ": "L", "Ŋ": "N", "Ŧ": "T",
}
# Doc 9303 part 3's Cyrillic table for the letters of Russian, Tajik and Kyrgyz names.
_CYRILLIC = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Е": "E", "Ё": "E", "Ж": "ZH", "З": "Z", "И": "I",
    "Й": "I", "К": "K", "Л": "L", "М": "M", "Н": "N", "О": "O", "П": "P", "Р": "R", "С": "S", "Т": "T",
    "У": "U", "Ф": "F", "Х": "KH", "Ц": "TS", "Ч": "CH", "Ш": "SH", "Щ": "SHCH", "Ъ": "IE", "Ы": "Y",
    "Ь": "", "Э": "E", "Ю": "IU", "Я": "IA",
}
_APOSTROPHES = frozenset("'\u2019\u2018\u02bc`\u00b4")


def _letter(char: str) -> str:
    """One upper-case character as the MRZ writes it: A-Z, "" (left out) or " " (a separator)."""
    if char in _LATIN or char in _CYRILLIC:
        return _LATIN.get(char) or _CYRILLIC.get(char, "")
    if char in _APOSTROPHES:
        return ""
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if base.isascii() and base.isalpha():
        return base
    if base in _CYRILLIC:  # Tajik Ӣ and Ӯ are И and У with a macron
        return _CYRILLIC[base]
    # A letter without a known spelling stays itself rather than vanish; anything else separates.
    return char if char.isalpha() else " "


def transliterate(name: str) -> str:
    """A typed name as in the MRZ: upper-case words separated by single spaces.

    Letters that neither table nor accent-stripping can spell in A-Z are kept as they are.
    """
    spelled = "".join(_letter(char) for char in unicodedata.normalize("NFC", name.upper()))
    return " ".join(spelled.split())


def mrz_name(traveller: Traveller) -> str:
    """The name as in the MRZ, "SURNAME  GIVEN NAMES" with two spaces (one part: just the surname).

    The MRZ lines the traveller gave win (they are what the officer reads in the passport); otherwise
    the typed names are transliterated as ICAO Doc 9303 part 3 does, and may differ from the passport
    for names of other scripts.
    """
    surname, given = transliterate(traveller.surname), transliterate(traveller.given_names)
    if traveller.mrz.strip():
        try:
            data = parse_mrz(traveller.mrz.split())
            surname, given = data.surname, data.given_names
        except MrzError:
            pass  # checked when filed; a doubtful MRZ falls back to the typed name
    return f"{surname}  {given}" if given else surname


def header(notice: Notice) -> dict[str, Any]:
    """The seal's header: issued in the name of the receiving post's state, which signs it."""
    return {"t": SEAL_TYPE, "v": SEAL_VERSION, "is": COUNTRY_ALPHA3[issuing_country(notice)]}


def issuing_country(notice: Notice) -> str:
    """Alpha-2 of the state whose authority signs the notice's seal: where the party is admitted."""
    return notice.direction.to_post.country.upper()


def message(notice: Notice, number: int) -> dict[str, Any]:
    """The seal's message (kordon.notice layout); ``number`` makes every seal of a notice distinct."""
    first, last = notice.arrival_window()
    msg: dict[str, Any] = {
        "ref": notice.reference,
        "cx": notice.crossing.slug,
        "dir": notice.direction.code,
        "vf": first.isoformat(),
        "vu": last.isoformat(),
        "sn": number,
        "tr": [
            {"n": mrz_name(t), "i": t.document_number, "nat": t.nationality, "dob": t.date_of_birth.isoformat()}
            for t in notice.travellers.all()
        ],
    }
    vehicle = getattr(notice, "vehicle", None)
    if vehicle is not None:
        msg["veh"] = {"pl": vehicle.plate, "c": vehicle.country}
    return msg


def same_content(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two messages say the same thing, whatever their seal numbers."""
    return {k: v for k, v in a.items() if k != "sn"} == {k: v for k, v in b.items() if k != "sn"}
