"""A traveller joins a filed party: the same checks, the fee grows by their share only, payment
status follows, the seal is issued anew; nothing changes once the party has been stamped."""

from datetime import timedelta

import pytest
from django.test import Client

from kordon.audit.models import AuditEvent
from kordon.crossings.models import FeeLine
from kordon.notices.models import Notice
from tests.conftest import error_codes, kg_today, open_link, traveller
from tests.seals.conftest import check, current, document, seal_authority, seal_key_passphrase  # noqa: F401

pytestmark = pytest.mark.django_db

LARS = traveller(given_names="Lars", sex="M", document_number="NX4HK2LP2")


def add(api, notice, person=LARS, token=None):
    return api.post(f"/notices/{notice['reference']}/travellers", person, token or notice["access_token"])


def test_a_second_traveller_joins_and_the_fee_grows_by_their_share(api, file_notice):
    notice = file_notice()
    response = add(api, notice)
    assert response.status_code == 201
    data = response.json()
    assert [t["given_names"] for t in data["travellers"]] == ["Anna Maria", "Lars"]
    assert data["fee"]["total"] == "30.00"
    assert data["fee"]["lines"] == [{"item": "person", "quantity": 2, "unit_amount": "15.00", "amount": "30.00"}]
    assert AuditEvent.objects.get(action="notice.traveller_added").data["fee_added"] == "15.00"


def test_what_was_filed_stays_frozen_when_the_schedule_changed(api, file_notice, crossing):
    notice = file_notice()
    FeeLine.objects.filter(crossing=crossing, item="person").update(amount="20.00")
    data = add(api, notice).json()
    assert data["fee"]["total"] == "35.00"
    assert {(x["unit_amount"], x["quantity"]) for x in data["fee"]["lines"]} == {("15.00", 1), ("20.00", 1)}


def test_a_paid_party_owes_the_newcomers_share(api, file_notice, officer):
    notice = file_notice()
    paid = api.post("/posts/kg-bordobo/payments", {"reference": notice["reference"], "amount": "15.00",
                                                   "currency": "USD", "method": "cash", "idempotency_key": "k1"},
                    officer[1])
    assert paid.status_code == 201
    assert api.get(f"/notices/{notice['reference']}", notice["access_token"]).json()["payment_status"] == "paid"
    assert add(api, notice).json()["payment_status"] == "partially_paid"


def test_the_newcomer_is_checked_like_any_traveller(api, file_notice):
    notice = file_notice()
    expired = add(api, notice, traveller(document_number="X1234567", document_expiry="2001-01-01"))
    assert expired.status_code == 422 and error_codes(expired) == [("document_expiry", "document_expired")]
    banned = add(api, notice, traveller(document_number="X1234568", nationality="TJK"))
    assert error_codes(banned) == [("nationality", "nationality_not_allowed")]
    twice = add(api, notice, traveller())
    assert twice.status_code == 409 and error_codes(twice) == [("document_number", "duplicate")]
    assert Notice.objects.get(reference=notice["reference"]).travellers.count() == 1


def test_a_traveller_on_another_notice_that_day_is_a_duplicate(api, file_notice):
    notice = file_notice()
    file_notice(travellers=[LARS])
    assert error_codes(add(api, notice)) == [("document_number", "duplicate")]


def test_no_one_joins_within_the_lead_time(api, file_notice, time_machine):
    notice = file_notice(expected_date=(kg_today() + timedelta(days=6)).isoformat())
    time_machine.move_to(f"{(kg_today() + timedelta(days=3)).isoformat()}T08:00:00+06:00", tick=False)
    response = add(api, notice)
    assert response.status_code == 422 and error_codes(response) == [("traveller", "lead_time")]


def test_only_the_travellers_token_adds_and_bad_bodies_are_400(api, file_notice, officer):
    notice = file_notice()
    assert add(api, notice, token=officer[1]).status_code == 404
    assert add(api, notice, token="guess").status_code == 404
    bad = add(api, notice, {"surname": "X", "sex": "Q"})
    assert bad.status_code == 400 and ("sex", "invalid") in error_codes(bad)


def test_nobody_joins_after_the_party_was_stamped(api, file_notice, officer, time_machine):
    notice = file_notice()
    time_machine.move_to(f"{notice['expected_date']}T08:00:00+06:00", tick=False)
    body = {"reference": notice["reference"], "document_number": "NX4HK2LP1"}
    assert api.post("/posts/kg-bordobo/stamps", body, officer[1]).status_code == 201
    assert error_codes(add(api, notice)) == [(None, "already_entered")]


def test_the_status_page_adds_a_traveller_and_shows_errors_beside_fields(client: Client, api, file_notice):
    notice = file_notice()
    url = open_link(client, notice)
    form = {"new-surname": "Eriksson", "new-given_names": "Lars", "new-nationality": "NLD", "new-sex": "M",
            "new-date_of_birth": "1982-02-02", "new-document_number": "NX4HK2LP2", "new-document_expiry": "2001-01-01"}
    refused = client.post(url + "travellers/", form)
    assert refused.status_code == 422 and "expires on 2001-01-01" in refused.content.decode()
    assert 'value="NX4HK2LP2"' in refused.content.decode()
    assert client.post(url + "travellers/", form | {"new-document_expiry": "2031-01-01"}).status_code == 302
    assert "USD 30.00" in client.get(url).content.decode()


@pytest.mark.usefixtures("seal_authority")
def test_the_seal_is_issued_anew_with_the_newcomer_and_the_old_one_withdrawn(api, file_notice):
    from kordon.seals.models import Seal

    notice = file_notice()
    first = current(notice["reference"])
    add(api, notice)
    second = current(notice["reference"])
    assert second.pk != first.pk and Seal.objects.get(pk=first.pk).revoked_at is not None
    assert len(document(second)["data"]["msg"]["tr"]) == 2
    assert check(first.document).reason == "seal_revoked" and check(second.document).valid
