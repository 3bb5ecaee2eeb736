"""Every page passes axe-core's WCAG 2.2 A/AA rules, and a notice can be filed with the keyboard alone."""

import re
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kordon.crossings.models import ClosedDate
from tests.browser.accessibility import assert_accessible
from tests.conftest import kg_today, make_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(page: Page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


def test_the_travellers_pages_pass_axe(page: Page, live_server: Any, crossing: Any, file_notice: Any) -> None:
    base = live_server.url
    for path in ("/", "/crossings/kyzyl-art/", "/notices/new/?crossing=kyzyl-art", "/status/"):
        visit(page, base + path)

    visit(page, base + "/notices/new/?crossing=kyzyl-art")
    page.get_by_role("button", name="Add another traveller").click()
    assert_accessible(page)  # two travellers, each with its remove button
    page.get_by_role("button", name="File the notice").click()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    assert_accessible(page)  # the error summary and the messages beside the fields

    notice = file_notice()
    visit(page, f"{base}/notices/{notice['reference']}/{notice['access_token']}/")
    visit(page, base + "/status/")
    page.fill("#id_reference", notice["reference"])
    page.fill("#id_document_number", "NX4HK2LP1")
    page.fill("#id_date_of_birth", "1980-01-31")
    page.get_by_role("button", name="Check the status").click()
    expect(page.get_by_test_id("lookup-result")).to_be_visible()
    assert_accessible(page)
    page.fill("#id_reference", notice["reference"])
    page.fill("#id_document_number", "NX4HK2LP2")
    page.fill("#id_date_of_birth", "1980-01-31")
    page.get_by_role("button", name="Check the status").click()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    assert_accessible(page)


def test_the_console_and_the_admin_pass_axe(page: Page, live_server: Any, crossing: Any, kg_post: Any,
                                            file_notice: Any, admin_user: Any) -> None:
    base = live_server.url
    notice = file_notice()
    make_officer(kg_post, "aibek", password="correct-horse-9")
    ClosedDate.objects.create(post=kg_post, date=kg_today() + timedelta(days=1), reason="Holiday")
    visit(page, base + "/post/login/")
    page.fill("#id_username", "aibek")
    page.fill("#id_password", "correct-horse-9")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("Entry list"))).to_be_visible()
    assert_accessible(page)
    for path in (f"/post/?date={notice['expected_date']}", f"/post/?date={(kg_today() + timedelta(days=1)).isoformat()}",
                 "/post/search/?q=NX4HK2LP1"):
        visit(page, base + path)

    page.context.clear_cookies()
    visit(page, base + "/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.get_by_role("button", name=re.compile("Log in")).click()
    assert_accessible(page)
    for path in (f"/admin/crossings/crossing/{crossing.pk}/change/", f"/admin/crossings/post/{kg_post.pk}/change/",
                 "/admin/crossings/crossingchange/"):
        visit(page, base + path)


def tab_to(page: Page, selector: str, presses: int = 80) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user would; fail if it is never reached."""
    for _ in range(presses):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def type_into(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def type_date(page: Page, selector: str, day: date) -> None:
    """Type a date into a date field; its segments follow the browser's locale (day or month first)."""
    tab_to(page, selector)
    page.keyboard.type(day.strftime("%d%m%Y"))
    if page.locator(selector).input_value() != day.isoformat():
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")
        page.keyboard.type(day.strftime("%m%d%Y"))
    expect(page.locator(selector)).to_have_value(day.isoformat())


def test_a_notice_is_filed_with_the_keyboard_alone(page: Page, live_server: Any, crossing: Any) -> None:
    day = kg_today() + timedelta(days=7)
    visit(page, live_server.url + "/notices/new/?crossing=kyzyl-art")
    tab_to(page, "#id_direction")
    page.keyboard.type("T")  # a select takes its choice from the keyboard: TJ → KG
    expect(page.locator("#id_direction")).to_have_value("TJ-KG")
    type_date(page, "#id_expected_date", day)
    type_into(page, "#id_form-0-surname", "Janssen")
    type_into(page, "#id_form-0-given_names", "Kirstin")
    type_into(page, "#id_form-0-nationality", "NLD")
    tab_to(page, "#id_form-0-sex")
    page.keyboard.type("F")
    type_date(page, "#id_form-0-date_of_birth", date(1980, 1, 31))
    type_into(page, "#id_form-0-document_number", "NX4HK2LP1")
    type_date(page, "#id_form-0-document_expiry", date(2031, 1, 1))

    tab_to(page, "button[value=add]")
    page.keyboard.press("Enter")  # add a second traveller: the focus lands in their fieldset
    expect(page.locator("#id_form-1-surname")).to_be_visible()
    assert_accessible(page)
    expect(page.locator("#id_form-0-surname")).to_have_value("Janssen")
    assert page.evaluate("() => document.activeElement.closest('fieldset').querySelector('legend').textContent") \
        == "Traveller 2"
    type_into(page, "#id_form-1-surname", "de Vries")
    type_into(page, "#id_form-1-nationality", "NLD")
    tab_to(page, "#id_form-1-sex")
    page.keyboard.type("M")
    type_date(page, "#id_form-1-date_of_birth", date(1979, 3, 14))
    type_into(page, "#id_form-1-document_number", "NX4HK2LP2")
    type_date(page, "#id_form-1-document_expiry", date(2031, 5, 1))
    type_into(page, "#id_email", "kirstin@example.org")
    page.keyboard.press("Enter")  # Enter in a field files the notice; it never adds or removes a traveller

    expect(page.get_by_test_id("reference")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_test_id("fee")).to_contain_text("USD 30.00")


def test_the_error_summary_takes_the_keyboard_to_the_field(page: Page, live_server: Any, crossing: Any) -> None:
    page.goto(live_server.url + "/notices/new/?crossing=kyzyl-art")
    assert_accessible(page)
    page.get_by_role("button", name="File the notice").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    assert_accessible(page)
    link = summary.get_by_role("link", name=re.compile("Traveller 1, Surname"))
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_form-0-surname")).to_be_focused()
