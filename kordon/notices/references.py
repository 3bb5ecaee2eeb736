"""Notice references: short, unambiguous when read aloud or typed, with a check character.

Nine random characters from an alphabet without 0/O and 1/I (32 symbols, 45 bits: not guessable
at any rate the API allows), then one Luhn mod N check character that catches every single typo
and most swaps of neighbours. Shown as `KX7F-3M9Q-PA`; accepted in any case, with or without
dashes or spaces.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
RANDOM_LENGTH = 9


def _check_character(body: str) -> str:
    # Luhn mod N (N = 32): double every second symbol from the right, sum the base-N digits.
    total, factor = 0, 2
    for char in reversed(body):
        addend = factor * _INDEX[char]
        total += addend // len(ALPHABET) + addend % len(ALPHABET)
        factor = 1 if factor == 2 else 2
    return ALPHABET[(len(ALPHABET) - total % len(ALPHABET)) % len(ALPHABET)]


def new_reference() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + _check_character(body)


def normalize(text: str) -> str | None:
    """The stored form of a typed reference, or None if it cannot be one (bad symbol or check)."""
    cleaned = "".join(text.split()).replace("-", "").upper()
    if len(cleaned) != RANDOM_LENGTH + 1 or any(c not in _INDEX for c in cleaned):
        return None
    return cleaned if _check_character(cleaned[:-1]) == cleaned[-1] else None


def display(reference: str) -> str:
    return f"{reference[:4]}-{reference[4:8]}-{reference[8:]}"
