"""In Chromium: an officer's scanner types a seal into the console, and the officer stamps the party."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.conftest import make_officer, traveller
from tests.seals.conftest import current, seal_authority, seal_key_passphrase  # noqa: F401 -- fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base_url: str) -> None:
    page.goto(base_url + "/post/")
    assert_accessible(page)
    page.fill("#id_username", "aibek")
    page.fill("#id_password", "correct-horse-9")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("Entry list"))).to_be_visible()
    assert_accessible(page)


def scan(page: Page, seal: str) -> None:
    """What a USB or Bluetooth scanner does: type the QR's text into the focused box, then Enter."""
    expect(page.locator("#seal-input")).to_be_focused()
    page.keyboard.type(seal)
    page.keyboard.press("Enter")


def test_an_officer_scans_a_seal_and_stamps_the_party(
    page: Page, live_server: Any, crossing: Any, seal_authority: Any, file_notice: Any, time_machine: Any  # noqa: F811
) -> None:
    filed = file_notice(travellers=[traveller(), traveller(surname="de Vries", given_names="Vincent", sex="M",
                                                           document_number="NX4HK2LP2")])
    seal = current(filed["reference"]).document
    make_officer(crossing.posts.get(code="kg-bordobo"), "aibek", password="correct-horse-9")
    time_machine.move_to(f"{filed['expected_date']}T09:00:00+06:00", tick=True)
    log_in(page, live_server.url)

    scan(page, seal.replace("ERIKSSON", "ERIKSSEN"))  # a forged copy first
    expect(page.get_by_test_id("seal-verdict")).to_contain_text("Forged or altered")
    expect(page.get_by_test_id("stamp-NX4HK2LP1")).to_have_count(0)
    assert_accessible(page)  # the verdict of a forged seal

    scan(page, seal)
    expect(page.get_by_test_id("seal-verdict")).to_contain_text("Verified.")
    expect(page.get_by_role("heading", name=re.compile("Notice"))).to_contain_text(filed["display_reference"])
    assert_accessible(page)
    for number in ("NX4HK2LP1", "NX4HK2LP2"):
        page.get_by_test_id(f"stamp-{number}").click()
        expect(page.get_by_role("status").first).to_contain_text("Stamped")
        assert_accessible(page)
    expect(page.locator(".stamped")).to_have_count(2)
