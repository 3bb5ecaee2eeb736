"""Offline posts: sealed notices listed today at Bordobo, and officers of both posts."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from kordon.crossings.models import Crossing
from tests.conftest import kg_today, traveller
from tests.seals.conftest import StateAuthority, set_up_state


@pytest.fixture
def seals(crossing: Crossing, settings: Any, tmp_path: Path) -> dict[str, StateAuthority]:
    settings.KORDON_SEAL_KEY_PASSPHRASE = "test-seal-key-passphrase-0123456789"
    return {country: set_up_state(country, tmp_path) for country in ("KG", "TJ")}


@pytest.fixture
def today_party(file_notice, seals, time_machine):  # type: ignore[no-untyped-def]
    """A sealed party of two listed for a day; the clock is then moved to 08:00 of that day at the post."""
    notice = file_notice(travellers=[traveller(), traveller(given_names="Lars", sex="M",
                                                            document_number="NX4HK2LP2")],
                         expected_date=(kg_today() + timedelta(days=6)).isoformat())
    time_machine.move_to(f"{notice['expected_date']}T08:00:00+06:00", tick=False)
    return notice


@pytest.fixture
def other_party(file_notice, seals):  # type: ignore[no-untyped-def]
    """A sealed one-traveller party for the same day; ask for it before `today_party` (which moves the clock)."""
    return file_notice(travellers=[traveller(document_number="QQ1234567", surname="Tanaka", given_names="Yui")],
                       expected_date=(kg_today() + timedelta(days=6)).isoformat())
