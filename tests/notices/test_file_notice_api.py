"""Filing a notice through the JSON API: the fee, the reference, every check and its error code."""

from datetime import date, timedelta

import pytest

from kordon.audit.models import AuditEvent
from kordon.crossings.models import FeeLine
from kordon.notices.models import Notice
from kordon.notices.references import ALPHABET, normalize
from kordon.tokens import hash_token
from tests.conftest import error_codes, kg_today, notice_body, traveller
from tests.mrzlines import td3

pytestmark = pytest.mark.django_db

CAMPER = {"plate": "AB-123-C", "country": "NL", "kind": "camper", "make": "MAN", "model": "TGM"}


def test_two_travellers_and_a_camper_pay_thirty_dollars(api, crossing):
    body = notice_body(travellers=[traveller(), traveller(given_names="Lars", sex="M", document_number="NX4HK2LP2")],
                       vehicle=CAMPER)
    response = api.post("/notices", body)
    assert response.status_code == 201
    data = response.json()
    assert data["fee"] == {"total": "30.00", "currency": "USD",
                           "lines": [{"item": "person", "quantity": 2, "unit_amount": "15.00", "amount": "30.00"}]}
    assert data["status"] == "accepted" and data["payment_status"] == "unpaid"
    assert [t["document_number"] for t in data["travellers"]] == ["NX4HK2LP1", "NX4HK2LP2"]
    assert data["vehicle"]["plate"] == "AB-123-C"


def test_reference_is_unambiguous_and_checked(api, crossing):
    reference = api.post("/notices", notice_body()).json()["reference"]
    assert len(reference) == 10 and set(reference) <= set(ALPHABET)
    assert not set(reference) & set("01IO")
    assert normalize(reference.lower()) == reference
    typo = reference[:-1] + ALPHABET[(ALPHABET.index(reference[-1]) + 1) % len(ALPHABET)]
    assert normalize(typo) is None


def test_access_token_is_stored_only_as_a_hash(api, crossing):
    data = api.post("/notices", notice_body()).json()
    notice = Notice.objects.get(reference=data["reference"])
    assert notice.access_token_hash == hash_token(data["access_token"])
    assert data["access_token"] not in str(Notice.objects.filter(pk=notice.pk).values().first())


def test_fee_is_frozen_when_the_schedule_changes(api, crossing):
    data = api.post("/notices", notice_body()).json()
    FeeLine.objects.filter(crossing=crossing, item="person").update(amount="25.00")
    again = api.get(f"/notices/{data['reference']}", data["access_token"]).json()
    assert again["fee"]["total"] == "15.00"


def test_vehicle_fee_line_is_charged_when_configured(api, crossing):
    FeeLine.objects.create(crossing=crossing, item="vehicle:camper", amount="20.00", currency="USD")
    data = api.post("/notices", notice_body(vehicle=CAMPER)).json()
    assert data["fee"]["total"] == "35.00"


def test_too_early_a_date_is_refused_with_the_earliest_allowed_date(api, crossing):
    response = api.post("/notices", notice_body(expected_date=(kg_today() + timedelta(days=4)).isoformat()))
    assert response.status_code == 422
    assert error_codes(response) == [("expected_date", "lead_time")]
    earliest = kg_today() + timedelta(days=5)
    assert earliest.isoformat() in response.json()["errors"][0]["message"]
    assert Notice.objects.count() == 0


def test_lead_time_counts_in_the_receiving_posts_date(api, crossing, time_machine):
    # 20:30 UTC on 1 March is already 2 March in Bishkek (UTC+6): five days ahead is 7 March.
    time_machine.move_to("2027-03-01T20:30:00Z", tick=False)
    refused = api.post("/notices", notice_body(expected_date="2027-03-06"))
    assert error_codes(refused) == [("expected_date", "lead_time")]
    assert "2027-03-07" in refused.json()["errors"][0]["message"]
    assert api.post("/notices", notice_body(expected_date="2027-03-07")).status_code == 201


def test_a_document_expiring_before_the_crossing_is_refused(api, crossing):
    body = notice_body(travellers=[traveller(), traveller(document_number="X1234567", document_expiry="2020-01-01")])
    response = api.post("/notices", body)
    assert response.status_code == 422
    assert error_codes(response) == [("travellers[1].document_expiry", "document_expired")]


def test_document_validity_margin_applies(api, crossing):
    crossing.document_validity_days = 180
    crossing.save()
    expected = kg_today() + timedelta(days=6)
    body = notice_body(travellers=[traveller(document_expiry=(expected + timedelta(days=100)).isoformat())])
    assert error_codes(api.post("/notices", body)) == [("travellers[0].document_expiry", "document_expired")]


def test_nationals_the_crossing_is_closed_to_are_refused(api, crossing):
    response = api.post("/notices", notice_body(travellers=[traveller(nationality="TJK")]))
    assert error_codes(response) == [("travellers[0].nationality", "nationality_not_allowed")]
    assert "another crossing" in response.json()["errors"][0]["message"]


def _with_mrz(**overrides):
    t = traveller(surname="Eriksson", given_names="Anna Maria", nationality="NLD", document_number="NX4HK2LP1",
                  date_of_birth="1980-01-31", sex="F", document_expiry="2031-01-01")
    t["mrz"] = td3("ERIKSSON", "ANNA MARIA", "NLD", "NX4HK2LP1", date(1980, 1, 31), "F", date(2031, 1, 1))
    return t | overrides


def test_correct_mrz_lines_are_accepted(api, crossing):
    assert api.post("/notices", notice_body(travellers=[_with_mrz()])).status_code == 201


def test_a_wrong_mrz_check_digit_is_named(api, crossing):
    t = _with_mrz()
    line2 = t["mrz"][1]
    t["mrz"][1] = line2[:9] + str((int(line2[9]) + 1) % 10) + line2[10:]
    response = api.post("/notices", notice_body(travellers=[t]))
    assert response.status_code == 422
    assert ("travellers[0].mrz", "mrz_check_digit") in error_codes(response)


def test_mrz_that_disagrees_with_the_typed_fields_is_refused(api, crossing):
    response = api.post("/notices", notice_body(travellers=[_with_mrz(date_of_birth="1980-01-13")]))
    assert error_codes(response) == [("travellers[0].date_of_birth", "mrz_mismatch")]


def test_the_same_passport_twice_on_one_day_is_a_duplicate_never_a_second_notice(api, crossing):
    assert api.post("/notices", notice_body()).status_code == 201
    again = api.post("/notices", notice_body())
    assert again.status_code == 409
    assert error_codes(again) == [("travellers[0].document_number", "duplicate")]
    assert Notice.objects.count() == 1


def test_a_cancelled_notice_does_not_block_filing_again(api, file_notice):
    first = file_notice()
    api.post(f"/notices/{first['reference']}/cancel", token=first["access_token"])
    assert api.post("/notices", notice_body()).status_code == 201


def test_the_same_passport_twice_in_one_party_is_a_duplicate(api, crossing):
    response = api.post("/notices", notice_body(travellers=[traveller(), traveller()]))
    assert error_codes(response) == [("travellers[1].document_number", "duplicate")]


def test_the_same_idempotency_key_returns_the_same_notice(api, crossing):
    first = api.post("/notices", notice_body(), HTTP_IDEMPOTENCY_KEY="k-1")
    second = api.post("/notices", notice_body(), HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["reference"] == second.json()["reference"]
    assert Notice.objects.count() == 1
    # A replay never mints a token: the first one still works, and the replay carries none.
    assert second.json()["access_token"] is None
    assert api.get(f"/notices/{first.json()['reference']}", first.json()["access_token"]).status_code == 200
    other = api.post("/notices", notice_body(expected_date=(kg_today() + timedelta(days=9)).isoformat()),
                     HTTP_IDEMPOTENCY_KEY="k-1")
    assert error_codes(other) == [("idempotency_key", "idempotency_conflict")]


def test_every_problem_is_reported_at_once(api, crossing):
    body = notice_body(expected_date=kg_today().isoformat(),
                       travellers=[traveller(nationality="TJK", document_expiry="2001-01-01")])
    codes = {code for _, code in error_codes(api.post("/notices", body))}
    assert codes == {"lead_time", "document_expired", "nationality_not_allowed"}


def test_an_unknown_crossing_or_direction_is_named(api, crossing):
    assert error_codes(api.post("/notices", notice_body(crossing="khunjerab"))) == [("crossing", "not_found")]
    assert error_codes(api.post("/notices", notice_body(direction="KG-CN"))) == [("direction", "invalid")]


def test_filing_is_recorded_in_the_audit_trail(api, crossing):
    reference = api.post("/notices", notice_body()).json()["reference"]
    event = AuditEvent.objects.get(action="notice.filed")
    assert event.notice_reference == reference and event.actor == "traveller (access token)"


def test_a_missing_field_is_a_400_naming_it(api, crossing):
    response = api.post("/notices", {"crossing": "kyzyl-art", "expected_date": "2030-01-01"})
    assert response.status_code == 400
    assert {("direction", "invalid"), ("travellers", "invalid")} <= set(error_codes(response))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"expected_date": "2026-13-01"}, "expected_date"),
        ({"travellers": []}, "travellers"),
        ({"travellers": [traveller(sex="Q")]}, "travellers[0].sex"),
        ({"travellers": [traveller(nationality="NL")]}, "travellers[0].nationality"),
        ({"travellers": [traveller(date_of_birth="yesterday")]}, "travellers[0].date_of_birth"),
        ({"travellers": [traveller(document_number="<script>")]}, "travellers[0].document_number"),
        ({"contact": {"email": "not-an-address"}}, "contact.email"),
        ({"vehicle": {"plate": "X", "country": "NL", "kind": "spaceship"}}, "vehicle.kind"),
        ({"travellers": "Anna"}, "travellers"),
    ],
)
def test_a_malformed_field_is_a_400_naming_it(api, crossing, change, field):
    response = api.post("/notices", notice_body(**change))
    assert response.status_code == 400, response.content
    assert (field, "invalid") in error_codes(response)


def test_malformed_json_is_a_400_not_a_500(api, crossing):
    response = api.client.post("/api/v1/notices", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert error_codes(response) == [(None, "invalid")]


def test_a_wrong_content_type_is_a_400(api, crossing):
    response = api.client.post("/api/v1/notices", {"crossing": "kyzyl-art"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid"


def test_a_json_array_body_is_a_400(api, crossing):
    response = api.client.post("/api/v1/notices", "[1, 2]", content_type="application/json")
    assert response.status_code == 400
