"""Webhooks to agencies: each event of their notices posted to their URL, signed with a timestamp,
retried with backoff, every attempt in the delivery log."""

import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from kordon.agencies import webhooks
from kordon.agencies.models import WebhookDelivery
from kordon.review.models import Review, ReviewRules
from tests.agencies.conftest import passport
from tests.conftest import kg_today, notice_body

pytestmark = pytest.mark.django_db


class Receiver:
    """A real HTTP server standing for the agency's endpoint; answers `fail_first` requests with 500."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.fail_first = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if outer.fail_first > 0:
                    outer.fail_first -= 1
                    self.send_response(500)
                else:
                    outer.received.append((dict(self.headers), body))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list[str]:
        return [json.loads(body)["event"] for _, body in self.received]


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()
    r.server.server_close()


@pytest.fixture
def hooked(agency_a, receiver):
    agency, token = agency_a
    agency.webhook_url = receiver.url
    agency.save()
    return agency, token


def test_filing_amending_and_cancelling_are_posted_signed(api, hooked, receiver, django_capture_on_commit_callbacks):
    agency, token = hooked
    with django_capture_on_commit_callbacks(execute=True):
        ref = api.post("/notices", notice_body(travellers=[passport(1)]), token).json()["reference"]
    with django_capture_on_commit_callbacks(execute=True):
        api.post(f"/notices/{ref}/amend", {"expected_date": (kg_today() + timedelta(days=9)).isoformat()}, token)
    with django_capture_on_commit_callbacks(execute=True):
        api.post(f"/notices/{ref}/cancel", token=token)
    assert receiver.events() == ["filed", "accepted", "amended", "cancelled"]
    headers, body = receiver.received[0]
    assert webhooks.verify(agency.webhook_secret, headers["Kordon-Signature"], body)
    assert not webhooks.verify("another-secret", headers["Kordon-Signature"], body)
    assert not webhooks.verify(agency.webhook_secret, headers["Kordon-Signature"], body + b" ")
    assert not webhooks.verify(agency.webhook_secret, headers["Kordon-Signature"], body, now=time.time() + 600)
    assert json.loads(body)["notice"]["reference"] == ref and headers["Kordon-Event"] == "filed"
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_nothing_is_posted_for_a_travellers_own_notice_or_an_agency_without_a_webhook(
        api, agency_b, receiver, file_notice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        file_notice()
        api.post("/notices", notice_body(travellers=[passport(2)]), agency_b[1])
    assert receiver.received == [] and WebhookDelivery.objects.count() == 0


def test_a_failed_delivery_is_retried_with_backoff_and_logged(api, hooked, receiver,
                                                              django_capture_on_commit_callbacks):
    _agency, token = hooked
    receiver.fail_first = 2
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/notices", notice_body(travellers=[passport(1)]), token)
    filed = WebhookDelivery.objects.get(event="filed")
    assert filed.status == "retrying" and filed.attempts == 1 and filed.last_status_code == 500
    assert timedelta(seconds=50) < filed.next_attempt_at - timezone.now() <= timedelta(minutes=1)
    assert webhooks.retry_due() == 0  # not yet due
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    webhooks.retry_due()
    filed.refresh_from_db()
    assert filed.status == "delivered" and filed.attempts == 2 and filed.last_error == ""
    log = api.get("/agency/webhooks/deliveries", token).json()["deliveries"]
    assert {(d["event"], d["status"]) for d in log} == {("filed", "delivered"), ("accepted", "delivered")}


def test_a_delivery_is_given_up_after_six_attempts(api, hooked, receiver, django_capture_on_commit_callbacks):
    _agency, token = hooked
    receiver.fail_first = 100
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/notices", notice_body(travellers=[passport(1)]), token)
    for _ in range(6):
        WebhookDelivery.objects.exclude(status="failed").update(next_attempt_at=timezone.now())
        webhooks.retry_due()
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {("failed", 6)}
    assert [webhooks.backoff(n).total_seconds() / 60 for n in range(1, 6)] == [1, 4, 16, 64, 256]


def test_a_review_refusal_is_posted(api, hooked, receiver, crossing, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    from kordon.audit.services import Actor
    from kordon.review import services as review

    _agency, token = hooked
    ReviewRules.objects.create(crossing=crossing, nationalities="AFG")
    with django_capture_on_commit_callbacks(execute=True):
        held = api.post("/notices", notice_body(travellers=[passport(1) | {"nationality": "AFG"}]), token).json()
    assert held["status"] == "under_review" and receiver.events() == ["filed"]
    reviewer = Actor.of_user(get_user_model().objects.create_user("reviewer"))
    with django_capture_on_commit_callbacks(execute=True):
        review.refuse(Review.objects.get(notice__reference=held["reference"]), reviewer, "Lost passport")
    assert receiver.events() == ["filed", "refused", "cancelled"]


def test_the_entry_is_posted_once_the_whole_party_is_stamped(api, hooked, receiver, officer, time_machine,
                                                             django_capture_on_commit_callbacks):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    _agency, token = hooked
    day = kg_today() + timedelta(days=6)
    two = [passport(1), passport(2)]
    with django_capture_on_commit_callbacks(execute=True):
        ref = api.post("/notices", notice_body(travellers=two, expected_date=day.isoformat()), token).json()["reference"]
    time_machine.move_to(datetime(day.year, day.month, day.day, 11, tzinfo=ZoneInfo("Asia/Bishkek")))
    for n, t in enumerate(two):
        with django_capture_on_commit_callbacks(execute=True):
            stamped = api.post("/posts/kg-bordobo/stamps", {"reference": ref, "document_number": t["document_number"]},
                               officer[1])
        assert stamped.status_code == 201, stamped.content
        assert receiver.events().count("entered") == n  # only when the last of the party is in
    assert receiver.events() == ["filed", "accepted", "entered"]
