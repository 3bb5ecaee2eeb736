"""In Chromium: headquarters reaches the dashboard from the admin, creates an officer in one step
and sees the token once; the pages pass axe and fit a 390 px phone without scrolling sideways."""

import re

import pytest
from playwright.sync_api import Browser, expect

from kordon.posts.models import Officer
from kordon.tokens import hash_token
from tests.browser.accessibility import assert_accessible
from tests.browser.test_console_times_and_phone import OVERFLOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_headquarters_creates_an_officer_in_one_step_on_a_phone(browser: Browser, live_server, kg_post, admin_user):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.get_by_role("button", name=re.compile("Log in")).click()
    page.get_by_test_id("hq-link").click()
    expect(page.get_by_role("heading", name="Headquarters", exact=True)).to_be_visible()
    expect(page.get_by_test_id("dashboard").locator("tbody tr")).to_have_count(14)  # two posts, seven days
    assert_accessible(page)
    measured = page.evaluate(OVERFLOW)
    assert measured["scroll"] <= measured["width"], measured  # the wide table scrolls inside its box

    page.get_by_role("link", name="Create an officer").click()
    page.get_by_role("button", name="Create the officer").click()  # empty: refused beside the field
    expect(page.locator("#id_username_error")).to_contain_text("Enter the officer's user name.")
    assert_accessible(page)
    page.fill("#id_username", "gulnara")
    page.select_option("#id_post", value=str(kg_post.pk))
    page.fill("#id_password", "a-long-console-passphrase-7")
    page.get_by_role("button", name="Create the officer").click()
    token = page.get_by_test_id("officer-token").inner_text()
    officer = Officer.objects.get(user__username="gulnara")
    assert officer.post.code == "kg-bordobo" and officer.token_hash == hash_token(token)
    expect(page.get_by_text("Shown only this once.")).to_be_visible()
    assert_accessible(page)
    measured = page.evaluate(OVERFLOW)
    assert measured["scroll"] <= measured["width"] and measured["out"] == [], measured
    context.close()
