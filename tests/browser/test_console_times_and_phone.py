"""In Chromium: the console and the traveller's page show times in the post's zone, and the entry
list fits a 390 px wide phone (no horizontal scroll, nothing spilling out of its card)."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from kordon.notices.models import Notice
from kordon.posts.management.commands.demousers import DEMO_PASSWORD
from tests.browser.accessibility import assert_accessible
from tests.browser.test_way_back_to_the_notice import file_a_notice
from tests.conftest import kg_today, make_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.querySelectorAll("body *")) {
        const box = el.getBoundingClientRect();
        if (box.width && box.right > width + 1) out.push(`${el.tagName}.${el.className} right=${box.right}`);
    }
    return {scroll: document.documentElement.scrollWidth, width, out: out.slice(0, 5)};
}"""


def log_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(base + "/post/login/")
    assert_accessible(page)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("Entry list"))).to_be_visible()
    assert_accessible(page)


def test_a_stamp_shows_the_posts_time_on_the_console_and_the_notice(page: Page, live_server, crossing, time_machine):
    expected = kg_today() + timedelta(days=6)
    file_a_notice(page, live_server.url)  # for kg_today() + 6 days
    status_url = page.url
    make_officer(crossing.posts.get(code="kg-bordobo"), "aibek", password="correct-horse-9")
    # 05:10 at Bordobo (UTC+6) is 23:10 of the day before in UTC.
    time_machine.move_to(f"{expected.isoformat()}T05:10:00+06:00", tick=False)
    log_in(page, live_server.url, "aibek", "correct-horse-9")
    page.get_by_test_id("stamp-NX4HK2LP1").click()
    entry = page.get_by_test_id("entry-NX4HK2LP1")
    expect(entry).to_contain_text("5:10")
    expect(entry).not_to_contain_text("11:10")
    expect(entry).to_contain_text("aibek")  # who stamped, in the list's fifth column
    expect(page.locator("thead th").nth(4)).to_have_text("Entry")
    assert_accessible(page)
    page.goto(status_url)
    expect(page.get_by_text(re.compile(r"Entered .*5:10"))).to_be_visible()
    assert_accessible(page)


def test_the_entry_list_fits_a_390_px_phone(browser: Browser, live_server, settings, tmp_path):
    settings.DEBUG, settings.VAR_DIR = True, tmp_path
    for command in (["loaddemo"], ["demousers"], ["demoparties"]):
        call_command(*command)
    settings.DEBUG = False
    Notice.objects.filter(is_demo=True).first().travellers.update(
        surname="Demo-Wolfeschlegelsteinhausenbergerdorff", given_names="Hubert Blaine Maximilian Christopher")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    log_in(page, live_server.url, "officer", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name=re.compile("Entry list"))).to_be_visible()
    page.locator("tbody tr", has_text="DEMO-JANSSEN").get_by_role("button", name="Stamp").click()
    expect(page.locator("tbody tr", has_text="DEMO-JANSSEN").locator(".stamped")).to_contain_text("officer")
    tomorrow = kg_today() + timedelta(days=1)
    for path in ("/post/", f"/post/?date={tomorrow.isoformat()}", "/post/search/?q=demo janssen",
                 "/post/search/?q=Wolfeschlegelsteinhausenbergerdorff", "/post/scan/", "/post/exits/"):
        page.goto(live_server.url + path)
        assert_accessible(page)
        measured = page.evaluate(OVERFLOW)
        assert measured["width"] <= 390, measured  # the phone's width, less any scroll bar
        assert measured["scroll"] <= measured["width"] and measured["out"] == [], (path, measured)
    context.close()
