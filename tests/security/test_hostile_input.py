"""Input no person sends, answered with a clear 4xx on both databases, never a 500 or an HTML page
on the API: control characters, impossible dates, huge numbers, huge bodies, unknown paths."""

import json
from datetime import timedelta

import pytest

from kordon.notices.models import Notice, Traveller
from tests.conftest import error_codes, kg_today, notice_body, traveller

pytestmark = pytest.mark.django_db

NUL = "AB\u0000CD"


@pytest.mark.parametrize(("overrides", "field"), [
    ({"travellers": [traveller(surname=NUL)]}, "travellers[0].surname"),
    ({"travellers": [traveller(given_names=NUL)]}, "travellers[0].given_names"),
    ({"crossing": NUL}, "crossing"),
    ({"vehicle": {"plate": NUL, "country": "NL", "kind": "car"}}, "vehicle.plate"),
    ({"travellers": [traveller(surname="A\u001bB")]}, "travellers[0].surname"),  # ESC
    ({"travellers": [traveller(surname="A\ud800B")]}, "travellers[0].surname"),  # a lone surrogate
])
def test_control_characters_in_a_filing_are_invalid(api, crossing, overrides, field):
    response = api.post("/notices", notice_body(**overrides))
    assert response.status_code == 400
    assert error_codes(response) == [(field, "invalid")]
    assert Notice.objects.count() == 0


def test_control_characters_in_every_api_text_are_invalid(api, officer, file_notice):
    notice = file_notice()
    token, ref = officer[1], notice["reference"]
    answers = [
        api.post(f"/notices/{ref}/travellers", traveller(surname=NUL, document_number="NX4HK2LP7"),
                 notice["access_token"]),
        api.post("/posts/kg-bordobo/stamps", {"reference": ref, "document_number": "NX4HK2LP1", "reason": NUL}, token),
        api.post("/posts/kg-bordobo/refusals", {"reason": "no visa", "name": NUL}, token),
        api.post("/posts/kg-bordobo/payments/cash", {"reference": ref, "amount": "15.00", "currency": "USD",
                                                     "idempotency_key": NUL}, token),
        api.get("/receipts/KG%00X", reference=ref),
        api.get("/posts/kg-bordobo/search", token, q=NUL),
    ]
    assert [a.status_code for a in answers] == [400] * len(answers)
    assert all(a.json()["errors"][0]["code"] == "invalid" for a in answers)
    assert Traveller.objects.count() == 1


def test_control_characters_in_a_console_form_are_refused_with_a_page(client, officer):
    client.login(username="aibek", password="correct-horse-9")
    response = client.post("/post/refuse/", {"reason": "no visa", "name": NUL, "document_number": "X1"})
    assert response.status_code == 400
    assert b"control character" in response.content and b"name" in response.content


def test_tabs_and_line_breaks_are_still_welcome(api, crossing):
    response = api.post("/notices", notice_body(travellers=[traveller(surname="Eriksson\t")]))
    assert response.status_code == 201


@pytest.mark.parametrize("query", ["0001-01-01", "9999-12-31", "0", "2026-12-01T10:00:00"])
def test_an_impossible_list_date_is_invalid_not_a_crash(api, officer, query):
    response = api.get("/posts/kg-bordobo/entry-list", officer[1], date=query)
    assert response.status_code == 400
    assert error_codes(response) == [("date", "invalid")]


def test_the_console_list_with_an_impossible_date_shows_today(client, officer):
    client.login(username="aibek", password="correct-horse-9")
    assert client.get("/post/", {"date": "0001-01-01"}).status_code == 200


@pytest.mark.parametrize(("field", "value"), [
    ("date_of_birth", "9999-12-31"),
    ("date_of_birth", "tomorrow"),
    ("document_expiry", "9999-12-31"),
    ("date_of_birth", "1980-01-31T00:00:00"),
])
def test_impossible_traveller_dates_are_invalid(api, crossing, field, value):
    value = (kg_today() + timedelta(days=3)).isoformat() if value == "tomorrow" else value
    response = api.post("/notices", notice_body(travellers=[traveller(**{field: value})]))
    assert error_codes(response) == [(f"travellers[0].{field}", "invalid")]


@pytest.mark.parametrize("value", ["9999-12-31", "2026-12-01T00:00:00", 0])
def test_an_expected_date_must_be_a_plain_day(api, crossing, value):
    response = api.post("/notices", notice_body(expected_date=value))
    assert error_codes(response) == [("expected_date", "invalid")]


def test_the_web_form_refuses_a_far_date_instead_of_crashing(client, crossing):
    response = client.post("/notices/new/", {"crossing": "kyzyl-art", "direction": "TJ-KG",
                                             "expected_date": "9999-12-31", "idempotency_key": "5f0c2a52-52d4-4a5e-9d0e-0a4a8f3b6c11",
                                             "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0"})
    assert response.status_code == 422
    assert b"between 1900-01-01 and 2199-12-31" in response.content


def test_multipart_without_a_boundary_is_a_json_400(api, file_notice):
    notice = file_notice()
    response = api.client.post(f"/api/v1/notices/{notice['reference']}/documents", b"--x\r\n",
                               content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid"


def test_a_cash_amount_too_large_to_hold_is_refused(client, officer, file_notice):
    notice = file_notice()
    client.login(username="aibek", password="correct-horse-9")
    response = client.post("/post/payments/cash/", {"reference": notice["reference"], "amount": "1e400",
                                                    "currency": "USD", "idempotency_key": "k1", "next": "/post/"})
    assert response.status_code == 302
    assert "Enter the amount received" in str(list(response.wsgi_request._messages))


def test_removing_a_traveller_with_a_huge_number_is_ignored(client, crossing):
    response = client.post("/notices/new/", {"action": "remove-" + "9" * 5000, "form-TOTAL_FORMS": "1"})
    assert response.status_code == 200


def test_a_form_asking_for_ten_thousand_travellers_renders_at_most_a_party(client, crossing):
    response = client.post("/notices/new/", {"action": "add", "form-TOTAL_FORMS": "10000"})
    assert response.status_code == 200
    assert response.content.count(b'name="form-') <= 31 * 12  # 30 travellers' fields and the management form
    filed = client.post("/notices/new/", {"action": "file", "form-TOTAL_FORMS": "10000", "form-INITIAL_FORMS": "0"})
    assert filed.status_code == 422
    assert filed.content.count(b'data-mrz-for=') <= 30


def test_a_body_over_the_limit_is_a_json_413(api, crossing):
    body = notice_body(contact={"email": "", "phone": ""}) | {"padding": "x" * (3 * 1024 * 1024)}
    response = api.client.post("/api/v1/notices", json.dumps(body), content_type="application/json")
    assert response.status_code == 413
    assert error_codes(response) == [(None, "too_large")]


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/notices/ABC/unknown", "/api/v2/notices"])
def test_unknown_api_paths_answer_json(api, path):
    response = api.client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert error_codes(response) == [(None, "not_found")]


def test_a_wrong_method_on_the_api_answers_json(api, crossing):
    response = api.client.delete("/api/v1/crossings")
    assert response.status_code == 405
    assert error_codes(response) == [(None, "method_not_allowed")]
