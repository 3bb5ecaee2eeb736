"""The public crossing page, its opening days and the refusal of a closed day, in each language.

Expected texts come from the catalogues and the formats of kordon/formats, so an untranslated
heading, an English weekday or an English-grammar date on a Russian, Kyrgyz or Tajik page fails.
"""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from kordon.crossings.models import ClosedDate
from kordon.notices.models import Notice
from tests.conftest import error_codes, kg_today, notice_body
from tests.notices.test_traveller_pages import form_data

pytestmark = pytest.mark.django_db
LANGUAGES = ("en", "ru", "ky", "tg")
HEADINGS = ("Before you go", "What to bring", "Requirements at the border", "Fees", "Posts and opening days",
            "Season and road", "Between the posts", "Services nearby", "Changes to these rules")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_crossing_page_and_its_opening_days_read_in_the_language(client: Client, crossing, kg_post, language):
    holiday = kg_today() + timedelta(days=10)
    ClosedDate.objects.create(post=kg_post, date=holiday, reason="Independence Day")
    response = client.get(f"/{language}/crossings/kyzyl-art/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    text = text_of(page)
    with translation.override(language):
        for heading in HEADINGS:
            assert gettext(heading) in text, heading
        for weekday in WEEKDAYS:  # the opening hours, one row a day
            assert f"{gettext(weekday)[:1].upper()}{gettext(weekday)[1:]} 08:00–17:00" in text, weekday
        closed = f"{date_format(holiday, 'l')}, {date_format(holiday, 'DATE_FORMAT')} (Independence Day)"
        assert closed in text
        assert gettext("A notice cannot be filed for a day on which the receiving post is closed.") in text
    if language != "en":
        for english in (*HEADINGS, *WEEKDAYS, "Closed on these dates", "Opening hours, local time"):
            assert english not in text, f"{english!r} left in English on the {language} page"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_home_page_lists_the_crossing_in_the_language(client: Client, crossing, language):
    text = text_of(client.get(f"/{language}/").content.decode())
    with translation.override(language):
        assert gettext("Rules, fees and opening days of %(name)s") % {"name": crossing.name} in text


@pytest.mark.parametrize("language", ("ru", "ky", "tg"))
def test_a_closed_day_is_refused_in_the_language_through_the_api_and_the_form(api, client: Client, crossing, kg_post,
                                                                            language):
    holiday = kg_today() + timedelta(days=7)
    ClosedDate.objects.create(post=kg_post, date=holiday, reason="Victory Day")
    response = api.post("/notices", notice_body(expected_date=holiday.isoformat()), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 422 and error_codes(response) == [("expected_date", "post_closed")]
    message = response.json()["errors"][0]["message"]
    with translation.override(language):
        day = {"post": kg_post.name, "reason": "Victory Day", "day": f"{date_format(holiday, 'l')} {holiday.isoformat()}",
               "next": f"{date_format(holiday + timedelta(days=1), 'l')} {holiday + timedelta(days=1):%Y-%m-%d}"}
        expected = (gettext("%(post)s is closed on %(day)s (%(reason)s).") % day + " "
                    + gettext("The next day you can choose is %(next)s.") % day)
    assert message == expected
    assert "closed" not in message and not any(w in message for w in WEEKDAYS)  # not English, nor its weekday

    page = client.post(f"/{language}/notices/new/", form_data(expected_date=holiday.isoformat()))
    assert page.status_code == 422
    text = text_of(page.content.decode())
    assert f'<html lang="{language}">' in page.content.decode()
    assert message in text  # beside the date field, word for word as the API says it
    assert Notice.objects.count() == 0
