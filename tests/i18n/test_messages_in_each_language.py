"""API messages, page text, dates and mail in the traveller's or officer's language; codes never change."""

from datetime import date

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from kordon.notices.models import Notice
from kordon.notices.services import cancel_notice
from kordon.notifications import services as notifications
from kordon.notifications.models import Kind
from tests.conftest import error_codes, notice_body, open_link, traveller

pytestmark = pytest.mark.django_db

NO_SUCH_NOTICE = "No such notice, or not for you."


@pytest.mark.parametrize(("language", "expected"), [
    ("ru", "Такого уведомления нет, или оно не ваше."),
    ("ky", "Мындай билдирүү жок, же ал сизге таандык эмес."),
    ("tg", "Чунин огоҳинома нест, ё он аз они шумо нест."),
    ("en", NO_SUCH_NOTICE),
])
def test_an_api_error_message_follows_accept_language_and_its_code_does_not(api, crossing, language, expected):
    response = api.client.get("/api/v1/notices/ABCDEFGH2", HTTP_ACCEPT_LANGUAGE=f"{language},en;q=0.5")
    assert response.status_code == 404
    assert response.json() == {"errors": [{"field": None, "code": "not_found", "message": expected}]}


def test_every_problem_of_a_refused_filing_is_translated_with_its_field_and_code(api, crossing):
    body = notice_body(travellers=[traveller(document_expiry="2020-01-01"),
                                   traveller(document_number="NX4HK2LP2", document_expiry="2020-02-01")])
    english = api.post("/notices", body)
    kyrgyz = api.post("/notices", body, HTTP_ACCEPT_LANGUAGE="ky")
    assert kyrgyz.status_code == english.status_code == 422
    assert error_codes(kyrgyz) == error_codes(english) == [("travellers[0].document_expiry", "document_expired"),
                                                           ("travellers[1].document_expiry", "document_expired")]
    for message in (e["message"] for e in kyrgyz.json()["errors"]):
        assert message.startswith("Документтин мөөнөтү 2020-0") and "Жарактуу паспорт менен" in message


def test_a_schema_error_is_translated_too(api, crossing):
    response = api.post("/notices", notice_body(travellers=[traveller(document_number="X")]), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.json()["errors"] == [{"field": "travellers[0].document_number", "code": "invalid",
                                          "message": "Введите не менее 3 символов."}]


def test_plural_forms_follow_each_language(api, crossing):
    from django.utils.translation import ngettext

    forms = {}
    for language in ("ru", "ky", "tg"):
        with translation.override(language):
            forms[language] = [ngettext("%(count)s traveller", "%(count)s travellers", n) % {"count": n}
                               for n in (1, 2, 5, 21)]
    assert forms["ru"] == ["1 путешественник", "2 путешественника", "5 путешественников", "21 путешественник"]
    assert forms["ky"] == ["1 жолоочу", "2 жолоочу", "5 жолоочу", "21 жолоочу"]
    assert forms["tg"] == ["1 мусофир", "2 мусофир", "5 мусофир", "21 мусофир"]


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "5 June 2026"), ("ru", "5 июня 2026 г."), ("ky", "2026-ж. 5-июнь"), ("tg", "5 июни соли 2026"),
])
def test_dates_are_written_the_way_each_language_writes_them(language, expected):
    from django.utils.formats import date_format, number_format

    with translation.override(language):
        assert date_format(date(2026, 6, 5), "DATE_FORMAT") == expected
        assert number_format("1234.50", decimal_pos=2, use_l10n=True) == ("1234.50" if language == "en" else "1234,50")


def test_a_notice_filed_in_tajik_is_mailed_in_tajik_whoever_acts(
    api, crossing, smtp_server, django_capture_on_commit_callbacks,
):
    reference = api.post("/notices", notice_body(), HTTP_ACCEPT_LANGUAGE="tg").json()["reference"]
    notice = Notice.objects.get(reference=reference)
    assert notice.language == "tg"
    with translation.override("ru"), django_capture_on_commit_callbacks(execute=True):  # an officer in Russian
        cancel_notice(notice)
        notifications.notify(notice, Kind.CANCELLATION)
    [cancelled] = smtp_server.messages
    assert cancelled["Subject"].strip() == f"Огоҳиномаи {notice.display_reference} бекор шуд"
    assert "мӯҳри он дигар эътибор надорад" in cancelled.get_body(("plain",)).get_content()


def test_the_status_page_reads_in_the_language_of_its_address(client: Client, api, crossing):
    filed = api.post("/notices", notice_body()).json()
    page = client.get(open_link(client, filed, "ru")).content.decode()
    with translation.override("ru"):
        for text in ("Crossing notice", "What happens at the post", "Change the date", "Accepted"):
            assert gettext(text) in page and gettext(text) != text
    assert "What happens at the post" not in page
