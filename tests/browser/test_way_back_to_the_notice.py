"""In Chromium: every payment page leads back to the notice, and a lost link can be sent again."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.test_notice_to_stamp import fill_traveller
from tests.conftest import kg_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sandbox_on(settings, crossing):
    settings.KORDON_SANDBOX_PAYMENTS = True
    crossing.payment_providers = "cash,sandbox"
    crossing.save()


def file_a_notice(page: Page, base_url: str, email: str = "kirstin@example.org") -> str:
    page.goto(base_url + "/notices/new/?crossing=kyzyl-art")
    assert_accessible(page)
    page.select_option("#id_direction", "TJ-KG")
    page.fill("#id_expected_date", (kg_today() + timedelta(days=6)).isoformat())
    fill_traveller(page, 0, "Janssen", "Kirstin", "NX4HK2LP1", "F")
    page.fill("#id_email", email)
    if not email:
        page.fill("#id_phone", "+31 6 1234 5678")
    page.get_by_role("button", name="File the notice").click()
    expect(page.get_by_test_id("reference")).to_be_visible()
    assert_accessible(page)
    return page.url


def test_the_receipt_leads_back_to_the_notice_after_paying(page: Page, live_server, sandbox_on):
    file_a_notice(page, live_server.url)
    reference = page.get_by_test_id("reference").inner_text()
    page.get_by_test_id("pay-sandbox").click()
    expect(page.get_by_test_id("back-to-notice")).to_contain_text("Back to your notice")
    assert_accessible(page)
    page.get_by_role("button", name="Pay USD 15.00").click()
    expect(page.get_by_test_id("receipt-number")).to_have_text(re.compile(r"^HQ-"))
    assert_accessible(page)
    page.get_by_role("link", name="← Back to your notice").click()
    expect(page.get_by_test_id("reference")).to_have_text(reference)
    assert_accessible(page)
    expect(page.get_by_test_id("payment-status")).to_have_text("Paid")


def test_a_declined_payment_links_back_to_the_notice(page: Page, live_server, sandbox_on):
    file_a_notice(page, live_server.url)
    reference = page.get_by_test_id("reference").inner_text()
    page.get_by_test_id("pay-sandbox").click()
    assert_accessible(page)
    page.get_by_role("button", name="Decline").click()
    expect(page.get_by_role("status")).to_contain_text("You did not pay")
    assert_accessible(page)
    page.get_by_role("link", name="Back to your notice", exact=True).click()
    expect(page.get_by_test_id("reference")).to_have_text(reference)
    assert_accessible(page)
    expect(page.get_by_test_id("payment-status")).to_have_text("Unpaid")


def test_a_lost_link_is_sent_again_to_the_notices_email(page: Page, browser: Browser, live_server, sandbox_on,
                                                       smtp_server):
    file_a_notice(page, live_server.url)
    reference = page.get_by_test_id("reference").inner_text()
    page.get_by_test_id("pay-sandbox").click()
    assert_accessible(page)
    page.get_by_role("button", name="Pay USD 15.00").click()
    assert_accessible(page)
    receipt_url = page.url
    sent_at_filing = len(smtp_server.messages)

    # Another browser (the link is lost): the receipt offers to send it again.
    other = browser.new_context(viewport={"width": 412, "height": 915}).new_page()
    other.goto(receipt_url)
    other.get_by_role("link", name="Send me my link again").click()
    expect(other.get_by_label("Reference")).to_have_value(reference)
    other.get_by_label("Email address or phone number given when filing").fill("KIRSTIN@example.org")
    other.get_by_role("button", name="Send me my link").click()
    known_answer = other.get_by_test_id("link-asked").inner_text()

    new_messages = smtp_server.messages[sent_at_filing:]
    assert len(new_messages) == 1 and new_messages[0]["To"] == "kirstin@example.org"
    link = re.search(r"http://\S+/notices/\S+/", new_messages[0].get_content())
    assert link is not None
    other.goto(link.group(0))
    expect(other.get_by_test_id("reference")).to_have_text(reference)

    # An unknown reference, or a contact that is not the notice's: the same answer, and no mail.
    for ref, contact in (("ZZZZ-ZZZZ-ZZ", "kirstin@example.org"), (reference, "someone@example.org")):
        other.goto(live_server.url + "/notices/link/")
        other.get_by_label("Reference").fill(ref)
        other.get_by_label("Email address or phone number given when filing").fill(contact)
        other.get_by_role("button", name="Send me my link").click()
        assert other.get_by_test_id("link-asked").inner_text() == known_answer
    assert len(smtp_server.messages) == sent_at_filing + 1
    other.context.close()


def test_the_filed_page_says_when_no_email_was_sent(page: Page, live_server, crossing):
    file_a_notice(page, live_server.url, email="")
    expect(page.get_by_test_id("filed")).to_contain_text("No email was sent: you gave no email address.")
