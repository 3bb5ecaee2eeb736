"""End to end in Chromium: a traveller files for two people and a camper; an officer stamps both."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.conftest import kg_today, make_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_traveller(page: Page, index: int, surname: str, given: str, number: str, sex: str) -> None:
    prefix = f"#id_form-{index}-"
    page.fill(prefix + "surname", surname)
    page.fill(prefix + "given_names", given)
    page.fill(prefix + "nationality", "NLD")
    page.select_option(prefix + "sex", sex)
    page.fill(prefix + "date_of_birth", "1980-01-31")
    page.fill(prefix + "document_number", number)
    page.fill(prefix + "document_expiry", "2031-01-01")


def file_for_two_and_a_camper(page: Page, base_url: str, expected: str) -> str:
    page.goto(base_url + "/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("File a notice for Kyzyl-Art")).click()
    assert_accessible(page)
    page.select_option("#id_direction", "TJ-KG")
    page.fill("#id_expected_date", expected)
    fill_traveller(page, 0, "Janssen", "Kirstin", "NX4HK2LP1", "F")
    page.get_by_role("button", name="Add another traveller").click()
    assert_accessible(page)
    fill_traveller(page, 1, "de Vries", "Vincent", "NX4HK2LP2", "M")
    page.check("#id_has_vehicle")
    page.fill("#id_plate", "VX-123-B")
    page.fill("#id_vehicle_country", "NL")
    page.select_option("#id_vehicle_kind", "camper")
    page.fill("#id_email", "kirstin@example.org")
    page.get_by_role("button", name="File the notice").click()
    expect(page.get_by_test_id("fee")).to_contain_text("USD 30.00")
    assert_accessible(page)
    return page.url


def test_a_party_files_and_is_stamped_in_on_its_day(page: Page, live_server, crossing, time_machine):
    expected = kg_today() + timedelta(days=6)
    status_url = file_for_two_and_a_camper(page, live_server.url, expected.isoformat())
    reference = page.get_by_test_id("reference").inner_text()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}", reference)

    make_officer(crossing.posts.get(code="kg-bordobo"), "aibek", password="correct-horse-9")
    time_machine.move_to(f"{expected.isoformat()}T09:00:00+06:00", tick=True)
    page.goto(live_server.url + "/post/")
    assert_accessible(page)
    page.fill("#id_username", "aibek")
    page.fill("#id_password", "correct-horse-9")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("Entry list"))).to_contain_text("(today)")
    assert_accessible(page)
    for number in ("NX4HK2LP1", "NX4HK2LP2"):
        page.get_by_test_id(f"stamp-{number}").click()
        expect(page.get_by_role("status")).to_contain_text("Stamped")
        assert_accessible(page)
    expect(page.locator(".stamped")).to_have_count(2)

    page.goto(status_url)
    assert_accessible(page)
    expect(page.get_by_test_id("status")).to_have_text("Entered")
    expect(page.locator(".stamped")).to_have_count(2)
