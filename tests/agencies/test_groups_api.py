"""Groups: many notices filed in one request, each on its own, and paid at once with one receipt."""

from datetime import timedelta

import pytest
from django.test import Client

from kordon.agencies.models import AgencyNotice, Group
from kordon.notices.models import Notice
from kordon.payments.models import Payment, PaymentBatch, Receipt
from tests.agencies.conftest import passport
from tests.conftest import error_codes, kg_today, notice_body

pytestmark = pytest.mark.django_db


def items(*numbers):
    return [notice_body(travellers=[passport(n)]) for n in numbers]


def test_a_batch_files_the_good_items_and_refuses_the_bad_ones_each_with_its_errors(api, agency_a):
    _, token = agency_a
    bad_date = notice_body(travellers=[passport(3)], expected_date=(kg_today() + timedelta(days=1)).isoformat())
    no_surname = notice_body(travellers=[{**passport(4), "surname": ""}])
    body = {"name": "Pamir loop, July", "notices": [*items(1, 2), bad_date, no_surname, "not a notice", *items(5)]}
    response = api.post("/agency/groups", body, token)
    assert response.status_code == 201, response.content
    data = response.json()
    assert [r["outcome"] for r in data["results"]] == ["filed", "filed", "refused", "refused", "refused", "filed"]
    assert [r["index"] for r in data["results"]] == list(range(6))
    assert data["filed"] == 3 and data["refused"] == 3
    assert [(e["field"], e["code"]) for e in data["results"][2]["errors"]] == [("expected_date", "lead_time")]
    assert [(e["field"], e["code"]) for e in data["results"][3]["errors"]] == [("travellers[0].surname", "invalid")]
    assert data["results"][4]["errors"][0]["code"] == "invalid"
    assert all(r["access_token"] for r in data["results"] if r["outcome"] == "filed")
    # Nothing of a refused item is kept; the filed ones belong to the group and to the agency.
    group = Group.objects.get(pk=data["group"]["id"])
    assert Notice.objects.count() == 3
    assert AgencyNotice.objects.filter(group=group).count() == 3


def test_items_with_an_idempotency_key_are_replayed_not_filed_twice(api, agency_a):
    _, token = agency_a
    item = notice_body(travellers=[passport(1)]) | {"idempotency_key": "tour-7-traveller-1"}
    first = api.post("/agency/groups", {"name": "Tour 7", "notices": [item]}, token).json()
    group_id = first["group"]["id"]
    again = api.post(f"/agency/groups/{group_id}/notices", {"notices": [item, *items(2)]}, token).json()
    assert [r["outcome"] for r in again["results"]] == ["replayed", "filed"]
    assert again["results"][0]["reference"] == first["results"][0]["reference"]
    assert "access_token" not in again["results"][0]
    assert Notice.objects.count() == 2


def test_a_group_is_its_agencys_alone(api, agency_a, agency_b):
    data = api.post("/agency/groups", {"name": "Tour", "notices": items(1)}, agency_a[1]).json()
    group_id = data["group"]["id"]
    for token in [agency_b[1], None]:
        assert api.get(f"/agency/groups/{group_id}", token).status_code in (401, 404)
        assert api.post(f"/agency/groups/{group_id}/notices", {"notices": items(2)}, token).status_code in (401, 404)
        assert api.post(f"/agency/groups/{group_id}/payments", {"provider": "sandbox"}, token).status_code in (401, 404)
    refused = api.get(f"/agency/groups/{group_id}", agency_b[1])
    assert refused.status_code == 404 and error_codes(refused) == [(None, "not_found")]
    assert api.get("/agency/groups", agency_b[1]).json()["groups"] == []
    assert [g["id"] for g in api.get("/agency/groups", agency_a[1]).json()["groups"]] == [group_id]


def test_a_batch_needs_the_file_scope_and_at_most_500_items(api, agency_a):
    from kordon.agencies import services
    from kordon.audit.services import SYSTEM

    reader = services.issue_token(agency_a[0], "reader", ["read"], SYSTEM).raw
    assert api.post("/agency/groups", {"name": "Tour", "notices": items(1)}, reader).status_code == 403
    too_many = api.post("/agency/groups", {"name": "Tour", "notices": [{}] * 501}, agency_a[1])
    assert too_many.status_code == 400 and error_codes(too_many)[0] == ("notices", "invalid")
    assert Group.objects.count() == 0


def test_one_payment_for_the_whole_group_with_one_receipt_listing_each_notice(api, agency_a, sandbox):
    _, token = agency_a
    data = api.post("/agency/groups", {"name": "Tour", "notices": items(1, 2, 3)}, token).json()
    group_id = data["group"]["id"]
    started = api.post(f"/agency/groups/{group_id}/payments", {"provider": "sandbox"}, token)
    assert started.status_code == 201, started.content
    assert started.json()["amount"] == "45.00" and started.json()["receipt"] is None
    again = api.post(f"/agency/groups/{group_id}/payments", {"provider": "sandbox"}, token)
    assert again.status_code == 200 and again.json()["id"] == started.json()["id"]  # the same checkout
    browser = Client()
    checkout = started.json()["redirect_url"]
    assert "USD 45.00" in browser.get(checkout).content.decode()
    back = browser.post(checkout, {"action": "pay"})
    page = browser.get(back["Location"]).content.decode()
    batch = PaymentBatch.objects.get()
    assert batch.status == "succeeded" and batch.receipt_number.startswith("HQ-GROUP-")
    assert batch.receipt_number in page and page.count('data-testid="receipt-line"') == 3
    group = api.get(f"/agency/groups/{group_id}", token).json()
    assert {n["payment_status"] for n in group["notices"]} == {"paid"}
    receipt = group["payments"][0]["receipt"]
    assert receipt["number"] == batch.receipt_number
    assert sorted(line["reference"] for line in receipt["lines"]) == sorted(r["reference"] for r in data["results"])
    assert {line["amount"] for line in receipt["lines"]} == {"15.00"}
    # Each notice has its own receipt too (the traveller's proof; what reports count), one each.
    assert Receipt.objects.count() == 3 and Payment.objects.filter(batch=batch, status="succeeded").count() == 3
    paid_again = api.post(f"/agency/groups/{group_id}/payments", {"provider": "sandbox"}, token)
    assert paid_again.status_code == 409 and error_codes(paid_again) == [(None, "already_paid")]


def test_a_declined_group_payment_leaves_every_notice_unpaid(api, agency_a, sandbox):
    _, token = agency_a
    group_id = api.post("/agency/groups", {"name": "Tour", "notices": items(1, 2)}, token).json()["group"]["id"]
    checkout = api.post(f"/agency/groups/{group_id}/payments", {"provider": "sandbox"}, token).json()["redirect_url"]
    Client().post(checkout, {"action": "decline"})
    assert PaymentBatch.objects.get().status == "failed" and Receipt.objects.count() == 0
    assert set(Notice.objects.values_list("payment_status", flat=True)) == {"unpaid"}
    retry = api.post(f"/agency/groups/{group_id}/payments", {"provider": "sandbox"}, token)
    assert retry.status_code == 201 and PaymentBatch.objects.count() == 2


def test_the_group_payment_leaves_out_what_is_cancelled_or_paid(api, agency_a, sandbox):
    _, token = agency_a
    data = api.post("/agency/groups", {"name": "Tour", "notices": items(1, 2, 3)}, token).json()
    refs = [r["reference"] for r in data["results"]]
    api.post(f"/notices/{refs[0]}/cancel", token=token)
    started = api.post(f"/agency/groups/{data['group']['id']}/payments", {"provider": "sandbox"}, token).json()
    assert started["amount"] == "30.00"
    assert sorted(Payment.objects.filter(batch__public_id=started["id"]).values_list("notice__reference", flat=True)) \
        == sorted(refs[1:])


def test_a_single_payment_never_reuses_a_groups_pending_one(api, agency_a, sandbox):
    _, token = agency_a
    data = api.post("/agency/groups", {"name": "Tour", "notices": items(1)}, token).json()
    api.post(f"/agency/groups/{data['group']['id']}/payments", {"provider": "sandbox"}, token)
    single = api.post(f"/notices/{data['results'][0]['reference']}/payments", {"provider": "sandbox"}, token)
    assert single.status_code == 201 and Payment.objects.filter(batch__isnull=True).count() == 1


def test_a_malformed_items_errors_name_the_field_in_the_callers_language(api, agency_a):
    item = notice_body(travellers=[{k: v for k, v in passport(1).items() if k != "sex"}])
    data = api.post("/agency/groups", {"name": "Tour", "notices": [item]}, agency_a[1],
                    HTTP_ACCEPT_LANGUAGE="ru").json()
    errors = data["results"][0]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("travellers[0].sex", "invalid")]
    assert errors[0]["message"] == "Это поле обязательно."
