"""End to end in Chromium: a traveller files, pays with the sandbox provider, gets a receipt; an officer stamps."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.test_notice_to_stamp import fill_traveller
from tests.conftest import kg_today, make_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sandbox_on(settings, crossing):
    settings.KORDON_SANDBOX_PAYMENTS = True
    crossing.payment_providers = "cash,sandbox"
    crossing.payment_required_before_entry = True
    crossing.save()


def test_a_traveller_pays_online_gets_a_receipt_and_is_stamped_in(page: Page, live_server, crossing, sandbox_on,
                                                                    time_machine):
    expected = kg_today() + timedelta(days=6)
    page.goto(live_server.url + "/notices/new/?crossing=kyzyl-art")
    assert_accessible(page)
    page.select_option("#id_direction", "TJ-KG")
    page.fill("#id_expected_date", expected.isoformat())
    fill_traveller(page, 0, "Janssen", "Kirstin", "NX4HK2LP1", "F")
    page.fill("#id_email", "kirstin@example.org")
    page.get_by_role("button", name="File the notice").click()
    expect(page.get_by_test_id("owed")).to_contain_text("USD 15.00")
    expect(page.get_by_test_id("estimate")).to_contain_text("estimate")
    status_url, reference = page.url, page.get_by_test_id("reference").inner_text()
    assert_accessible(page)

    page.get_by_test_id("pay-sandbox").click()
    expect(page.get_by_role("heading", name="Sandbox checkout")).to_be_visible()
    expect(page.get_by_test_id("sandbox-amount")).to_have_text("USD 15.00")
    assert_accessible(page)
    page.get_by_role("button", name="Pay USD 15.00").click()
    number = page.get_by_test_id("receipt-number")
    expect(number).to_have_text(re.compile(r"^HQ-\d{4}-000001$"))
    expect(page.get_by_test_id("receipt-amount")).to_have_text("USD 15.00")
    expect(page.get_by_test_id("payer")).to_have_text("JANSSEN, Kirstin")
    expect(page.get_by_text(reference)).to_be_visible()
    assert_accessible(page)  # the receipt

    page.goto(status_url)
    expect(page.get_by_test_id("payment-status")).to_have_text("Paid")
    expect(page.get_by_test_id("receipt-link")).to_have_text(re.compile(r"^HQ-"))
    assert_accessible(page)

    make_officer(crossing.posts.get(code="kg-bordobo"), "aibek", password="correct-horse-9")
    time_machine.move_to(f"{expected.isoformat()}T09:00:00+06:00", tick=True)
    page.goto(live_server.url + "/post/")
    assert_accessible(page)
    page.fill("#id_username", "aibek")
    page.fill("#id_password", "correct-horse-9")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("Entry list"))).to_contain_text("(today)")
    expect(page.get_by_test_id(f"payment-{reference.replace('-', '')}")).to_have_text("paid")
    assert_accessible(page)
    page.get_by_test_id("stamp-NX4HK2LP1").click()
    expect(page.get_by_role("status")).to_contain_text("Stamped")
    assert_accessible(page)
    expect(page.locator(".stamped")).to_have_count(1)
