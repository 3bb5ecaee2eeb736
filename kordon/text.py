"""Folding text for search: officers type names without accents, in any case."""

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case, accents removed, punctuation as single spaces: "Gül-Öztürk" -> "gul ozturk"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_ALNUM.sub(" ", plain.casefold()).strip()


def compact(text: str) -> str:
    """Upper-case letters and digits only: how document numbers and plates are compared."""
    return fold(text).replace(" ", "").upper()
