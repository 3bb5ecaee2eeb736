"""In Chromium: every aria-describedby and aria-labelledby on every page names an element that exists
(axe does not check this: a field pointing at a missing error is silent for a screen reader)."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from kordon.notices.models import Notice
from tests.browser.accessibility import assert_accessible
from tests.browser.test_notice_to_stamp import fill_traveller
from tests.browser.test_way_back_to_the_notice import file_a_notice
from tests.conftest import kg_today, make_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MISSING_TARGETS = """() => {
    const missing = [];
    for (const attr of ["aria-describedby", "aria-labelledby"]) {
        for (const el of document.querySelectorAll(`[${attr}]`)) {
            for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
                if (!document.getElementById(id)) missing.push(`${el.id || el.tagName} ${attr} → #${id}`);
            }
        }
    }
    return missing;
}"""


def references(page: Page) -> tuple[int, list[str]]:
    count = page.evaluate("() => document.querySelectorAll('[aria-describedby],[aria-labelledby]').length")
    return count, page.evaluate(MISSING_TARGETS)


def check(page: Page, seen: list[int]) -> None:
    count, missing = references(page)
    assert missing == [], f"{page.url}: {missing}"
    seen.append(count)


def test_every_aria_reference_resolves_on_every_page(page: Page, live_server, crossing, settings):
    settings.KORDON_SANDBOX_PAYMENTS = True
    crossing.payment_providers = "cash,sandbox"
    crossing.save()
    seen: list[int] = []
    base = live_server.url
    for path in ("/", "/notices/new/?crossing=kyzyl-art", "/notices/link/", "/post/login/"):
        page.goto(base + path)
        assert_accessible(page)
        check(page, seen)

    # The filing form with every kind of complaint: empty, then wrong values.
    page.goto(base + "/notices/new/?crossing=kyzyl-art")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="File the notice").click()
    assert_accessible(page)
    check(page, seen)
    fill_traveller(page, 0, "Janssen ☺", "Kirstin", "NX4HK2LP1", "F")
    page.fill("#id_form-0-nationality", "XYZ")
    page.fill("#id_expected_date", kg_today().isoformat())
    page.fill("#id_plate", "AB 123")
    with page.expect_navigation():
        page.get_by_role("button", name="File the notice").click()
    assert_accessible(page)
    check(page, seen)
    assert seen[-1] >= 5  # the fields with errors do refer to them
    with page.expect_navigation():
        page.get_by_role("button", name="Add another traveller").click()
    assert_accessible(page)
    check(page, seen)
    page.goto(base + "/notices/link/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Send me my link").click()
    assert_accessible(page)
    check(page, seen)

    # The traveller's pages: the notice, a refused date, a newcomer with errors, payment pages.
    file_a_notice(page, base)
    check(page, seen)
    page.fill("#new-date", kg_today().isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Move my notice").click()
    assert_accessible(page)
    check(page, seen)
    page.get_by_text("Add a traveller to this party…").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add to the notice").click()  # the browser asks for the fields first
    assert_accessible(page)
    check(page, seen)
    with page.expect_navigation():
        page.get_by_test_id("pay-sandbox").click()
    assert_accessible(page)
    check(page, seen)
    with page.expect_navigation():
        page.get_by_role("button", name="Pay USD 15.00").click()
    assert_accessible(page)
    check(page, seen)

    # The post console: the list, a search, a scan of something that is not a seal.
    notice = Notice.objects.get()
    make_officer(crossing.posts.get(code="kg-bordobo"), "aibek", password="correct-horse-9")
    page.goto(base + "/post/login/")
    assert_accessible(page)
    page.fill("#id_username", "aibek")
    page.fill("#id_password", "wrong")
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert_accessible(page)
    check(page, seen)
    page.fill("#id_password", "correct-horse-9")
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert_accessible(page)
    for path in ("/post/", f"/post/?date={(kg_today() + timedelta(days=6)).isoformat()}",
                 f"/post/search/?q={notice.reference}", "/post/search/?q=nobody"):
        page.goto(base + path)
        assert_accessible(page)
        check(page, seen)
    page.goto(base + "/post/")
    assert_accessible(page)
    page.fill("#seal-input", "NX4HK2LP1")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/post/scan/"))
    expect(page.get_by_test_id("seal-verdict")).to_contain_text("This is not a kordon seal")
    assert_accessible(page)
    check(page, seen)
    assert sum(seen) > 20  # the walk did meet references to check
