"""Which language a page or an API answer is in: prefix, officer, cookie, Accept-Language; never for data."""

import re

import pytest
from django.conf import settings
from django.test import Client

from kordon.notices.models import Notice
from kordon.posts.models import Officer
from tests.conftest import notice_body

pytestmark = pytest.mark.django_db


def html_lang(response) -> str:
    found = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert found, response.content[:200]
    return found.group(1)


def test_unprefixed_pages_are_english_by_default(client: Client, crossing):
    response = client.get("/")
    assert html_lang(response) == "en" and response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]


def test_accept_language_picks_the_page_language(client: Client, crossing):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ky-KG,ky;q=0.9,ru;q=0.8")
    assert html_lang(response) == "ky"
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,tg;q=0.5")) == "tg"
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,fr;q=0.5")) == "en"


def test_the_prefix_wins_and_is_remembered_without_javascript(client: Client, crossing):
    response = client.get("/ru/", HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(response) == "ru"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    # Back on an unprefixed address (an old link, a bookmark), the choice holds over Accept-Language.
    assert html_lang(client.get("/notices/new/", HTTP_ACCEPT_LANGUAGE="en")) == "ru"
    assert html_lang(client.get("/en/notices/new/")) == "en"
    assert html_lang(client.get("/notices/new/", HTTP_ACCEPT_LANGUAGE="ru")) == "en"


def test_every_page_links_to_itself_in_each_language(client: Client, crossing):
    page = client.get("/ky/notices/new/?crossing=kyzyl-art").content.decode()
    for code in ("en", "ru", "tg"):
        assert f'href="/{code}/notices/new/?crossing=kyzyl-art" hreflang="{code}"' in page
    assert '<span aria-current="true" lang="ky">Кыргызча</span>' in page


def test_links_on_a_page_keep_its_language(client: Client, crossing):
    page = client.get("/tg/").content.decode()
    assert 'href="/tg/notices/new/?crossing=kyzyl-art"' in page


def test_the_api_follows_accept_language_only_and_keeps_codes_and_fields(api, crossing):
    api.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "tg"
    english = api.post("/notices", notice_body(travellers=[]) | {"crossing": "nowhere"})
    russian = api.post("/notices", notice_body() | {"crossing": "nowhere"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert english["Content-Language"] == "en" and russian["Content-Language"] == "ru"
    assert [(e["field"], e["code"]) for e in russian.json()["errors"]] == [("crossing", "not_found")]


def test_api_paths_are_not_prefixed(api, crossing):
    assert api.client.get("/ru/api/v1/crossings").status_code == 404
    assert api.get("/crossings").status_code == 200


def test_a_notice_remembers_the_language_it_was_filed_in(api, crossing):
    api.post("/notices", notice_body(), HTTP_ACCEPT_LANGUAGE="ky")
    assert Notice.objects.get().language == "ky"


def test_a_notice_filed_on_the_page_takes_the_page_language(client: Client, crossing):
    from tests.notices.test_traveller_pages import form_data

    response = client.post("/tg/notices/new/", form_data())
    assert response.status_code == 302 and response["Location"].startswith("/tg/notices/")
    assert Notice.objects.get().language == "tg"


def test_an_officer_chooses_the_console_language(client: Client, officer):
    client.login(username="aibek", password="correct-horse-9")
    assert html_lang(client.get("/post/", HTTP_ACCEPT_LANGUAGE="en")) == "en"
    response = client.post("/post/language/", {"language": "ky", "next": "/post/search/?q=x"})
    assert response.status_code == 302 and response["Location"] == "/ky/post/search/?q=x"
    assert Officer.objects.get().language == "ky"
    # The preference holds on unprefixed console pages, whatever the browser asks for.
    assert html_lang(client.get("/post/", HTTP_ACCEPT_LANGUAGE="ru")) == "ky"
    response = client.post("/post/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/post/" and Officer.objects.get().language == ""
