"""Reconciliation reports: per day, office and provider, payments and refunds with totals, as CSV."""

import csv
import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.conftest import traveller
from tests.payments.conftest import deliver, stripe_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_day_of_payments(api, officer, tj_officer, fake_stripe, file_notice):
    notices = [file_notice(travellers=[traveller(document_number=f"NX{i:07d}")]) for i in range(4)]
    for i, (token, post) in enumerate([(officer[1], "kg-bordobo"), (officer[1], "kg-bordobo"),
                                       (tj_officer[1], "tj-kyzyl-art")]):
        api.post(f"/posts/{post}/payments", {"reference": notices[i]["reference"], "amount": "15.00",
                                             "currency": "USD", "method": "cash", "idempotency_key": f"k{i}"}, token)
    api.post(f"/notices/{notices[3]['reference']}/payments", {"provider": "stripe"}, notices[3]["access_token"])
    deliver(api, stripe_event(fake_stripe.answers[fake_stripe.requests[0].headers["Idempotency-Key"]]))
    api.post(f"/notices/{notices[3]['reference']}/cancel", token=notices[3]["access_token"])  # refunded by card
    return notices


def rows(text):
    return list(csv.reader(io.StringIO(text)))


def today_at(office="Asia/Bishkek"):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(office)).date()


def test_an_officer_downloads_their_posts_day(client, a_day_of_payments):
    client.login(username="aibek", password="correct-horse-9")
    response = client.get("/post/reports/payments.csv", {"date": today_at().isoformat()})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    table = rows(response.content.decode())
    assert table[0] == ["date", "office", "provider", "kind", "receipt_number", "reference", "amount", "currency"]
    receipts = [r for r in table[1:] if r and r[4]]
    assert [(r[1], r[2], r[3], r[6]) for r in receipts] == [("KG-BORDOBO", "cash", "payment", "15.00")] * 2
    totals = {(r[1], r[2], r[3]): r[6] for r in table if r and not r[4] and r[0] != "date"}
    assert totals[("KG-BORDOBO", "cash", "total_payments")] == "30.00"
    assert totals[("all", "all", "net")] == "30.00"
    assert "TJ-KYZYL-ART" not in response.content.decode()


def test_a_bad_date_is_a_400(client, a_day_of_payments):
    client.login(username="aibek", password="correct-horse-9")
    assert client.get("/post/reports/payments.csv", {"date": "2026-13-45"}).status_code == 400


def test_headquarters_sees_every_office_with_refunds(client, a_day_of_payments):
    get_user_model().objects.create_user("hq", password="correct-horse-9", is_staff=True)
    client.login(username="hq", password="correct-horse-9")
    table = rows(client.get("/payments/reports/payments.csv", {"date": today_at("UTC").isoformat()}).content.decode())
    kinds = sorted((r[1], r[2], r[3]) for r in table[1:] if r and r[4])
    assert ("HQ", "stripe", "refund") in kinds and ("HQ", "stripe", "payment") in kinds
    totals = {(r[1], r[2], r[3]): r[6] for r in table if r and not r[4] and r[0] != "date"}
    assert totals[("HQ", "stripe", "net")] == "0.00"


def test_officers_are_not_headquarters(client, a_day_of_payments):
    client.login(username="aibek", password="correct-horse-9")
    assert client.get("/payments/reports/payments.csv").status_code == 302  # to the admin login


def test_the_command_prints_the_same_csv(a_day_of_payments, capsys):
    call_command("payments", "report", "--date", today_at().isoformat(), "--post", "kg-bordobo")
    table = rows(capsys.readouterr().out)
    assert len([r for r in table[1:] if r and r[4]]) == 2


def test_a_day_without_payments_is_a_header_only(a_day_of_payments, capsys):
    call_command("payments", "report", "--date", date(2001, 1, 1).isoformat())
    assert rows(capsys.readouterr().out) == [["date", "office", "provider", "kind", "receipt_number", "reference",
                                              "amount", "currency"], []]
