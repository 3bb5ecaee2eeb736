"""The traveller's token is in the path of one request only: opening the link trades it for a cookie
scoped to the notice's pages and redirects to token-free addresses, from which every page works."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kordon.notices.models import Notice
from tests.conftest import open_link, traveller
from tests.notices.test_traveller_pages import form_data

pytestmark = pytest.mark.django_db

PREFIXES = ["", "/en", "/ru", "/ky", "/tg"]


def link(notice: dict[str, Any], below: str = "", language: str = "") -> str:
    return f"{language}/notices/{notice['reference']}/{notice['access_token']}/{below}"


def test_the_link_sets_a_cookie_for_the_notices_pages_in_each_language_and_redirects(client, file_notice):
    notice = file_notice()
    response = client.get(link(notice))
    assert response.status_code == 303 and response["Location"] == f"/notices/{notice['reference']}/"
    assert "no-store" in response["Cache-Control"]
    cookies = [c for c in response.cookies.values() if c.value == notice["access_token"]]
    assert sorted(c["path"] for c in cookies) == sorted(f"{p}/notices/{notice['reference']}/" for p in PREFIXES)
    for cookie in cookies:
        assert cookie["httponly"] and cookie["samesite"] == "Lax" and not cookie["secure"]  # plain HTTP in tests
    last_day = date.fromisoformat(notice["arrival_window"][1])
    assert int(cookies[0]["max-age"]) == (last_day + timedelta(days=2) - timezone.localdate()).days * 86400
    page = client.get(response["Location"])
    assert page.status_code == 200 and notice["display_reference"] in page.content.decode()
    assert notice["access_token"] not in page.content.decode()  # its forms and links carry no token
    assert "no-store" in page["Cache-Control"]


def test_behind_tls_the_cookie_is_secure(client, file_notice, settings):
    settings.SECURE_COOKIES = False
    response = client.get(link(file_notice()), secure=True)
    assert response.status_code == 303 and all(c["secure"] for c in response.cookies.values())


def test_a_far_notice_is_kept_thirty_days_at_most(client, file_notice, settings):
    far = (timezone.localdate() + timedelta(days=80)).isoformat()
    response = client.get(link(file_notice(expected_date=far)))
    assert response.status_code == 303
    assert {int(c["max-age"]) for c in response.cookies.values()} == {30 * 86400}


def test_the_link_in_a_language_leads_to_that_languages_page(client, file_notice):
    notice = file_notice()
    page = open_link(client, notice, "ru")
    assert page == f"/ru/notices/{notice['reference']}/"
    assert 'lang="ru"' in client.get(page).content.decode()
    assert client.get(f"/ky/notices/{notice['reference']}/").status_code == 200  # the language switch works


def test_without_the_cookie_the_pages_say_how_to_open_the_notice(client, file_notice):
    notice = file_notice()
    for below in ("", "seal/", "seal.png"):
        response = client.get(f"/notices/{notice['reference']}/{below}")
        assert response.status_code == 404 and "no-store" in response["Cache-Control"]
    page = client.get(f"/notices/{notice['reference']}/").content.decode()
    assert "Open your notice with its link" in page and f"/notices/link/?reference={notice['reference']}" in page
    for action in ("amend/", "cancel/", "travellers/", "pay/", "documents/"):
        assert client.post(f"/notices/{notice['reference']}/{action}", {"expected_date": "2031-01-01"}).status_code == 404
    assert Notice.objects.get().status == "accepted"


def test_a_wrong_or_another_notices_cookie_opens_nothing(client, file_notice):
    first, second = file_notice(), file_notice(travellers=[traveller(document_number="ZZ1234567")])
    client.cookies[f"kordon_notice_{second['reference']}"] = first["access_token"]
    assert client.get(f"/notices/{second['reference']}/").status_code == 404
    client.cookies[f"kordon_notice_{second['reference']}"] = "Zm9yZ2VkLXRva2VuLW9mLXRoaXJ0eS10d28tYnl0ZXM"
    assert client.get(f"/notices/{second['reference']}/").status_code == 404
    assert client.get(link(first)[:-5] + "/").status_code == 404  # a wrong token sets no cookie
    assert not client.cookies.get(f"kordon_notice_{first['reference']}")


def test_one_browser_holds_several_notices(client, file_notice):
    first, second = file_notice(), file_notice(travellers=[traveller(document_number="ZZ1234567")])
    pages = [open_link(client, first), open_link(client, second)]
    assert first["display_reference"] in client.get(pages[0]).content.decode()
    assert second["display_reference"] in client.get(pages[1]).content.decode()
    assert client.post(pages[0] + "cancel/").status_code == 302
    assert Notice.objects.get(reference=first["reference"]).status == "cancelled"
    assert Notice.objects.get(reference=second["reference"]).status == "accepted"


def test_every_page_of_the_notice_works_from_the_cookie(client, file_notice):
    notice = file_notice()
    page = open_link(client, notice)
    later = (date.fromisoformat(notice["expected_date"]) + timedelta(days=2)).isoformat()
    moved = client.post(page + "amend/", {"expected_date": later})
    assert moved.status_code == 302 and moved["Location"] == page
    newcomer = {f"new-{k}": v for k, v in traveller(document_number="NX4HK2LP2", given_names="Lars").items()}
    assert client.post(page + "travellers/", newcomer).status_code == 302
    assert Notice.objects.get().travellers.count() == 2 and Notice.objects.get().expected_date.isoformat() == later
    assert client.post(page + "cancel/").status_code == 302
    assert Notice.objects.get().status == "cancelled"


def test_old_links_to_a_page_below_the_notice_are_exchanged_too(client, file_notice):
    notice = file_notice()
    response = client.get(link(notice, "seal.png") + "?size=phone")
    assert response.status_code == 303
    assert response["Location"] == f"/notices/{notice['reference']}/seal.png?size=phone"
    assert client.post(link(notice, "cancel/")).status_code == 405  # the path's token never acts
    assert client.post(link(notice)).status_code == 405
    assert Notice.objects.get().status == "accepted"


def test_filing_on_the_web_sets_the_cookie_and_shows_the_link_to_keep(client, crossing):
    response = client.post("/notices/new/", form_data())
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/notices/{notice.reference}/?filed=1"
    [token] = {c.value for c in response.cookies.values() if c.key.startswith("kordon_notice_")}
    filed = client.get(response["Location"]).content.decode()
    assert f'data-testid="key-link">http://testserver/notices/{notice.reference}/{token}/</a>' in filed
    assert token not in client.get(f"/notices/{notice.reference}/").content.decode()  # only right after filing


def test_forgetting_the_notice_on_this_device(client, file_notice):
    notice = file_notice()
    page = open_link(client, notice)
    assert 'data-testid="forget"' in client.get(page).content.decode()
    response = client.post(page + "forget/", follow=True)
    assert "This device no longer keeps notice" in response.content.decode()
    removed = response.redirect_chain and response.redirect_chain[0][0] == "/"
    assert removed and client.get(page).status_code == 404
    assert open_link(client, notice) == page and client.get(page).status_code == 200  # the link still opens it


def test_forgetting_removes_every_languages_cookie(client, file_notice):
    notice = file_notice()
    open_link(client, notice)
    response = client.post(f"/notices/{notice['reference']}/forget/")
    gone = {c["path"] for c in response.cookies.values() if c["max-age"] == 0 and not c.value}
    assert gone == {f"{p}/notices/{notice['reference']}/" for p in PREFIXES}


def test_the_forget_button_needs_the_csrf_token(file_notice):
    browser = Client(enforce_csrf_checks=True)
    notice = file_notice()
    page = open_link(browser, notice)
    assert browser.post(page + "forget/").status_code == 403
    assert browser.get(page).status_code == 200


def test_a_link_sent_again_replaces_the_cookie_of_the_old_one(client, file_notice, smtp_server,
                                                               django_capture_on_commit_callbacks):
    notice = file_notice(contact={"email": "anna@example.org", "phone": ""})
    page = open_link(client, notice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/notices/link/", {"reference": notice["reference"], "contact": "anna@example.org"})
    assert client.get(page).status_code == 404  # the old token, kept in the cookie, is no longer the key
