"""In Chromium, on `make run`'s data: the demo officer finds demo parties on today's list and stamps one."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from kordon.posts.management.commands.demousers import DEMO_PASSWORD
from tests.browser.accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_data(settings, tmp_path):
    """What `make run` loads, command by command (see the Makefile)."""
    settings.DEBUG, settings.VAR_DIR = True, tmp_path
    settings.KORDON_SEAL_KEY_PASSPHRASE = "demo-seal-key-passphrase-for-the-tests-0123"
    for command in (["loaddemo"], ["demousers"], ["seals", "demo"], ["demoparties"]):
        call_command(*command)
    settings.DEBUG = False


def test_the_demo_officer_stamps_a_demo_party_on_todays_list(page: Page, live_server, demo_data):
    page.goto(live_server.url + "/post/")
    assert_accessible(page)
    page.fill("#id_username", "officer")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("Entry list"))).to_contain_text("(today)")
    assert_accessible(page)
    expect(page.get_by_text("Demo data").first).to_be_visible()
    rows = page.locator("tbody tr", has_text="DEMO-JANSSEN")
    expect(rows).to_have_count(1)
    rows.get_by_role("button", name="Stamp").click()
    expect(page.get_by_role("status")).to_contain_text("Stamped: DEMO-JANSSEN, Kirstin")
    expect(page.locator("tbody tr", has_text="DEMO-JANSSEN").locator(".stamped")).to_be_visible()
    assert_accessible(page)
