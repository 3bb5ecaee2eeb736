"""The scan's early/late notes count days in proper words: "1 day early", "8 days early"."""

from datetime import date

from kordon.seals.services import _window_note

FIELDS = {"vf": "2026-12-10", "vu": "2026-12-11"}


def test_one_day_early_is_singular():
    assert _window_note(FIELDS, date(2026, 12, 9)) == [
        "The seal is valid from Thursday 2026-12-10: the party is 1 day early."]


def test_eight_days_early_is_plural_without_brackets():
    [note] = _window_note(FIELDS, date(2026, 12, 2))
    assert note.endswith("the party is 8 days early.") and "(s)" not in note


def test_late_counts_from_the_last_valid_day():
    assert _window_note(FIELDS, date(2026, 12, 12))[0].endswith("1 day late.")
    assert _window_note(FIELDS, date(2026, 12, 14))[0].endswith("3 days late.")
