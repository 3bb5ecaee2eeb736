"""In Chromium, a traveller files a notice in each of the four languages and reads every page in it.

English by default; Russian chosen with the switch on the page (plain links, remembered); Kyrgyz
from the browser's Accept-Language; Tajik from the address. Expected texts come from the catalogues,
so a missing or wrong translation, or a page that falls back to English, fails here. axe checks
every page on the way, in its language.
"""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from playwright.sync_api import Browser, Page, expect

from tests.browser.accessibility import assert_accessible
from tests.conftest import kg_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BROWSER_LOCALE = {"en": "en-GB", "ru": "en-GB", "ky": "ky-KG", "tg": "en-GB"}


@pytest.fixture
def page_in(browser: Browser) -> Iterator:
    contexts = []

    def open_page(language: str) -> Page:
        context = browser.new_context(viewport={"width": 412, "height": 915}, locale=BROWSER_LOCALE[language])
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def t(language: str, text: str, **values: object) -> str:
    with translation.override(language):
        return gettext(text) % values if values else gettext(text)


def test_english_stays_english_with_no_switch_used(page_in, live_server, crossing):
    file_a_notice(page_in("en"), live_server.url, "en", crossing.name, start="/")


def test_the_switch_on_the_page_chooses_russian_and_remembers_it(page_in, live_server, crossing):
    page = page_in("ru")
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Русский").click()
    status_url = file_a_notice(page, live_server.url, "ru", crossing.name, start=None)
    page.goto(status_url.replace("/ru/", "/", 1))  # an unprefixed address: the choice is remembered
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("ru", "Crossing notice"))
    assert_accessible(page, "ru")


def test_kyrgyz_comes_from_the_browser_language(page_in, live_server, crossing):
    file_a_notice(page_in("ky"), live_server.url, "ky", crossing.name, start="/")


def test_tajik_comes_from_the_address(page_in, live_server, crossing):
    file_a_notice(page_in("tg"), live_server.url, "tg", crossing.name, start="/tg/")


def file_a_notice(page: Page, base_url: str, language: str, crossing_name: str, start: str | None) -> str:
    if start is not None:
        page.goto(base_url + start)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Announce your border crossing"))
    assert_accessible(page, language)
    page.get_by_role("link", name=t(language, "File a notice for %(crossing)s", crossing=crossing_name)).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "File a crossing notice"))
    expect(page.get_by_text(t(language, "Date you will arrive at the border post"))).to_be_visible()
    assert_accessible(page, language)
    expected = kg_today() + timedelta(days=6)
    page.select_option("#id_direction", "TJ-KG")
    page.fill("#id_expected_date", expected.isoformat())
    page.fill("#id_form-0-surname", "Janssen")
    page.fill("#id_form-0-given_names", "Kirstin")
    page.fill("#id_form-0-nationality", "NLD")
    page.select_option("#id_form-0-sex", "F")
    page.fill("#id_form-0-date_of_birth", "1980-01-31")
    page.fill("#id_form-0-document_number", "NX4HK2LP1")
    page.fill("#id_form-0-document_expiry", "2020-01-01")  # expired: the refusal is read in the language
    page.fill("#id_email", "kirstin@example.org")
    page.get_by_role("button", name=t(language, "File the notice")).click()
    summary = page.get_by_role("alert").first
    expect(summary).to_contain_text(t(language, "There is a problem"))
    expect(summary).to_contain_text(DOCUMENT_EXPIRED[language])
    expect(page.locator("#id_form-0-document_expiry_error")).to_contain_text(DOCUMENT_EXPIRED[language])
    assert_accessible(page, language)  # the error summary and the message beside the field
    page.fill("#id_form-0-document_expiry", "2031-01-01")
    page.get_by_role("button", name=t(language, "File the notice")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Crossing notice"))
    expect(page.get_by_role("status").first).to_contain_text(t(language, "Your notice is filed."))
    expect(page.get_by_test_id("status")).to_have_text(t(language, "Accepted"))
    with translation.override(language):
        expect(page.locator("dl.facts")).to_contain_text(date_format(expected, "DATE_FORMAT"))
    expect(page.get_by_role("heading", name=t(language, "What happens at the post"))).to_be_visible()
    expect(page.get_by_role("button", name=t(language, "Move my notice"))).to_be_visible()
    assert_accessible(page, language)
    if language != "en":
        body = page.locator("main").inner_text()
        for english in ("What happens at the post", "Change the date", "Fee and payment", "Travellers"):
            assert english not in body, f"{english!r} left in English on the {language} page"
    assert re.search(r"/notices/[2-9A-HJ-NP-Z]{9}[2-9A-HJ-NP-Z]?/", page.url)
    return page.url


DOCUMENT_EXPIRED = {
    "en": "The document expires on 2020-01-01", "ru": "Срок действия документа истекает 2020-01-01",
    "ky": "Документтин мөөнөтү 2020-01-01 бүтөт", "tg": "Мӯҳлати ҳуҷҷат 2020-01-01 ба охир мерасад",
}
