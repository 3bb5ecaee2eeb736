"""In Chromium: moving the date says what happened, a refused date is marked at the field, and a
cancelled notice says so first and hides what no longer applies."""

from datetime import timedelta

import pytest
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.test_way_back_to_the_notice import file_a_notice
from tests.conftest import kg_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_successful_date_change_says_the_old_seal_is_void(page: Page, live_server, crossing):
    file_a_notice(page, live_server.url)
    new_date = kg_today() + timedelta(days=9)
    page.fill("#new-date", new_date.isoformat())
    page.get_by_role("button", name="Move my notice").click()
    assert_accessible(page)
    message = page.locator(".messages")
    shown = date_format(new_date, "DATE_FORMAT")  # the page's one date style
    expect(message).to_contain_text(f"now arrives on {shown}")
    expect(message).to_contain_text("The old seal is no longer valid")
    expect(page.get_by_test_id("date")).to_contain_text(shown)


def test_a_date_too_soon_is_marked_at_the_field_and_the_typed_date_kept(page: Page, live_server, crossing):
    file_a_notice(page, live_server.url)
    too_soon = kg_today() + timedelta(days=2)
    page.fill("#new-date", too_soon.isoformat())
    page.get_by_role("button", name="Move my notice").click()
    assert_accessible(page)
    field = page.locator("#new-date")
    expect(field).to_have_value(too_soon.isoformat())
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#new-date_error")).to_contain_text("days' notice: the earliest date you can choose")
    expect(field).to_have_attribute("aria-describedby", "new-date_error")


def test_a_cancelled_notice_says_so_first_and_hides_what_no_longer_applies(page: Page, live_server, crossing):
    file_a_notice(page, live_server.url)
    page.get_by_text("I will not cross: cancel this notice…").click()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel this notice").click()
    assert_accessible(page)
    banner = page.get_by_test_id("cancelled")
    expect(banner).to_contain_text("This notice is cancelled.")
    # The banner comes before anything else about the notice.
    first_block = page.locator("main h1 ~ *").first
    expect(first_block).to_have_attribute("data-testid", "cancelled")
    expect(page.get_by_test_id("status")).to_have_text("Cancelled")
    for gone in ("All documents received", "missing", "not yet", "Change the date", "Your seal",
                 "What happens at the post"):
        expect(page.get_by_text(gone, exact=False)).to_have_count(0)
    expect(page.get_by_role("link", name="File a new notice")).to_be_visible()
