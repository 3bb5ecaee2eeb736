"""A traveller who lost the link asks for the status with three answers; wrong answers are never
told apart, and nothing personal is ever shown."""

from datetime import timedelta

import pytest
from django.test import Client

from kordon.notices.models import Notice
from tests.conftest import error_codes

pytestmark = pytest.mark.django_db


def ask(api, notice, client_address="127.0.0.1", **overrides):
    body = {"reference": notice["display_reference"], "document_number": "nx4hk2lp1", "date_of_birth": "1980-01-31"}
    return api.post("/notices/lookup", body | overrides, REMOTE_ADDR=client_address)


def test_the_three_answers_give_the_status_and_nothing_personal(api, file_notice):
    notice = file_notice()
    response = ask(api, notice)
    assert response.status_code == 200
    day = notice["expected_date"]
    assert response.json() == {
        "reference": notice["reference"], "status": "accepted", "expected_date": day, "payment_status": "unpaid",
        "listed_from": day, "listed_until": notice["arrival_window"][1],
    }


def test_any_traveller_of_the_party_may_ask(api, file_notice):
    from tests.conftest import traveller

    notice = file_notice(travellers=[traveller(), traveller(document_number="ZZ112233", date_of_birth="2015-05-05")])
    assert ask(api, notice, document_number="ZZ112233", date_of_birth="2015-05-05").status_code == 200


def test_every_wrong_answer_gets_the_same_answer(api, file_notice):
    notice = file_notice()
    answers = [
        ask(api, notice, document_number="NX4HK2LP2"),
        ask(api, notice, date_of_birth="1980-01-30"),
        ask(api, notice, reference="2222-2222-22"),
        ask(api, notice, reference="not a reference"),
        ask(api, notice, document_number="ZZ112233", date_of_birth="2015-05-05"),
    ]
    assert {a.status_code for a in answers} == {404}
    assert len({a.content for a in answers}) == 1
    assert error_codes(answers[0]) == [(None, "not_found")]


def test_a_cancelled_notice_says_so(api, file_notice):
    notice = file_notice()
    api.post(f"/notices/{notice['reference']}/cancel", token=notice["access_token"])
    assert ask(api, notice).json()["status"] == "cancelled"


def test_the_list_window_follows_the_posts_closed_days(api, file_notice, kg_post):
    from datetime import date

    from kordon.crossings.models import ClosedDate

    notice = file_notice()
    day = date.fromisoformat(notice["expected_date"])
    ClosedDate.objects.create(post=kg_post, date=day + timedelta(days=1), reason="Holiday")
    assert ask(api, notice).json()["listed_until"] == (day + timedelta(days=2)).isoformat()


def test_malformed_questions_are_400_with_the_field(api, crossing):
    response = api.post("/notices/lookup", {"reference": "X", "document_number": "Y", "date_of_birth": "31.01.1980"})
    assert response.status_code == 400 and error_codes(response) == [("date_of_birth", "invalid")]


def test_the_status_page_answers_the_same_questions(client: Client, file_notice):
    notice = file_notice()
    page = client.get("/status/")
    assert page.status_code == 200 and 'name="reference"' in page.content.decode()
    response = client.post("/status/", {"reference": notice["reference"].lower(), "document_number": "NX4HK2LP1",
                                         "date_of_birth": "1980-01-31"})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="lookup-result"' in html
    assert "Accepted" in html and "Unpaid" in html and Notice.objects.get().display_reference in html
    assert "Eriksson" not in html and "anna@example.org" not in html


def test_the_status_page_tells_wrong_answers_apart_no_more_than_the_api(client: Client, file_notice):
    notice = file_notice()
    pages = [client.post("/status/", {"reference": notice["reference"], "document_number": number,
                                      "date_of_birth": born}) for number, born in
             [("NX4HK2LP2", "1980-01-31"), ("NX4HK2LP1", "1980-01-30")]]
    assert {p.status_code for p in pages} == {404}
    bodies = [p.content.decode().replace(p.wsgi_request.META.get("CSRF_COOKIE", ""), "") for p in pages]
    assert "No notice matches these answers" in bodies[0]
    assert 'data-testid="error-summary"' in bodies[0]


def test_the_status_page_names_missing_fields(client: Client, crossing):
    response = client.post("/status/", {"reference": "", "document_number": "", "date_of_birth": ""})
    html = response.content.decode()
    assert response.status_code == 422 and 'href="#id_reference"' in html and 'href="#id_date_of_birth"' in html


@pytest.fixture
def limits(settings):
    from django.core.cache import cache

    settings.RATELIMIT_ENABLE = True
    settings.KORDON_RATE_LIMITS = {"lookup": "100/m", "lookup_failures_slow": "3/h", "lookup_slowed": "1/m",
                                   "lookup_failures": "6/d"}
    cache.clear()
    yield settings
    cache.clear()


def test_repeated_wrong_answers_are_slowed_then_refused(api, file_notice, limits):
    notice = file_notice()
    wrong = [ask(api, notice, date_of_birth=f"1980-02-{day:02d}").status_code for day in range(1, 4)]
    assert wrong == [404, 404, 404]
    assert ask(api, notice, date_of_birth="1980-02-04").status_code == 404  # paced now: one a minute
    slowed = ask(api, notice)  # even the right answer waits: guessing must not pay
    assert slowed.status_code == 429 and slowed.json()["errors"][0]["code"] == "rate_limited"
    assert 0 < int(slowed["Retry-After"]) <= 60
    assert ask(api, notice, client_address="203.0.113.7").status_code == 200  # another client is not held back


def test_after_many_wrong_answers_a_client_is_refused_for_the_day(api, file_notice, limits):
    limits.KORDON_RATE_LIMITS = limits.KORDON_RATE_LIMITS | {"lookup_slowed": "100/m"}
    notice = file_notice()
    assert [ask(api, notice, date_of_birth=f"1980-02-{day:02d}").status_code for day in range(1, 7)] == [404] * 6
    refused = ask(api, notice)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 60


def test_right_answers_do_not_count_against_a_client(api, file_notice, limits):
    notice = file_notice()
    assert {ask(api, notice).status_code for _ in range(10)} == {200}


def test_the_status_page_is_limited_like_the_api(client: Client, api, file_notice, limits):
    notice = file_notice()
    for day in range(1, 5):
        ask(api, notice, date_of_birth=f"1980-02-{day:02d}")
    response = client.post("/status/", {"reference": notice["reference"], "document_number": "NX4HK2LP1",
                                         "date_of_birth": "1980-01-31"})
    assert response.status_code == 429 and "Retry-After" in response
