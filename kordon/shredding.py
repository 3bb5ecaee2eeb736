"""Each app shreds its own copies of a traveller's personal data (as pretix's ``base/shredder.py``).

The documents app keeps the schedule (``documents/retention.py``) and, inside the transaction that
anonymizes a batch of notices, asks every registered shredder to blank what it holds of them. An
app registers one small class per kind of data in its ``shredders.py`` (imported by its AppConfig),
so an app added later shreds its own data without the schedule knowing it. A shredder that raises
rolls the batch back.
"""

from datetime import datetime
from typing import TypeVar


class Shredder:
    """One kind of personal data an app holds; ``name`` is how the retention's counts call it."""

    name = ""

    def shred(self, notice_ids: list[int]) -> None:
        """Blank or delete this kind of data of the given notices."""
        raise NotImplementedError

    def shred_unlinked(self, crossing_id: int, before: datetime) -> int:
        """Blank data tied to no notice (say, a refusal of someone never in kordon) recorded at the
        crossing before ``before``; return how many rows. Most kinds have none."""
        return 0


_registry: list[Shredder] = []
S = TypeVar("S", bound=type[Shredder])


def register(shredder: S) -> S:
    """Class decorator: shred this kind of data with the others (registering twice keeps one)."""
    if not any(type(known) is shredder for known in _registry):
        _registry.append(shredder())
    return shredder


def shredders() -> list[Shredder]:
    return list(_registry)


def shred(notice_ids: list[int]) -> None:
    for shredder in _registry:
        shredder.shred(notice_ids)


def shred_unlinked(crossing_id: int, before: datetime) -> dict[str, int]:
    """Per kind of data, how many rows tied to no notice were blanked."""
    return {shredder.name: shredder.shred_unlinked(crossing_id, before) for shredder in _registry}
