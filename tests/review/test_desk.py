"""The reviewer's desk: the queue oldest first with reasons, reads recorded, accept or refuse with a reason."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from kordon.audit.models import AuditEvent
from kordon.notices.models import Notice
from kordon.notifications.models import Notification
from kordon.review.models import Review, ReviewRules
from kordon.seals.models import Seal
from tests.conftest import notice_body, traveller

pytestmark = pytest.mark.django_db


def make_reviewer(username="reviewer"):
    user = get_user_model().objects.create_user(username, password="correct-horse-9", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["change_review", "view_document"]))
    return user


@pytest.fixture
def reviewer_client():
    client = Client()
    client.force_login(make_reviewer())
    return client


@pytest.fixture
def held(api, crossing):
    ReviewRules.objects.create(crossing=crossing, nationalities="AFG")

    def file(n, **extra):
        t = traveller(nationality="AFG", document_number=f"AF{n:07d}", given_names=["Ahmad", "Zahra", "Omid"][n % 3])
        response = api.post("/notices", notice_body(travellers=[t], **extra))
        assert response.json()["status"] == "under_review", response.content
        return Notice.objects.get(reference=response.json()["reference"])

    return file


def test_the_queue_is_oldest_first_with_the_reason(reviewer_client, held, time_machine):
    first = held(1)
    Review.objects.filter(notice=first).update(opened_at=first.created_at - timedelta(hours=3))
    second = held(2)
    page = reviewer_client.get("/hq/review/").content.decode()
    assert page.index(first.display_reference) < page.index(second.display_reference)
    assert "A nationality to look at" in page and "2 notices waiting" in page
    assert "The oldest has waited 3" in page


def test_only_reviewers_see_the_desk(client, held):
    notice = held(1)
    review = Review.objects.get(notice=notice)
    assert client.get("/hq/review/").status_code == 302  # to the login
    staff = get_user_model().objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get("/hq/review/").status_code == 403
    assert client.post(f"/hq/review/{review.pk}/decide/", {"decision": "accept"}).status_code == 403
    assert Notice.objects.get(pk=notice.pk).status == "under_review"


def test_reading_a_notice_on_the_desk_is_recorded(reviewer_client, held):
    review = Review.objects.get(notice=held(1))
    page = reviewer_client.get(f"/hq/review/{review.pk}/")
    assert page.status_code == 200 and "AF0000001" in page.content.decode()
    event = AuditEvent.objects.get(action="review.read")
    assert event.actor == "user reviewer" and event.notice_reference == review.notice.reference
    assert reviewer_client.get("/hq/review/999999/").status_code == 404


def test_accepting_seals_the_notice_and_measures_the_wait(reviewer_client, held, seal_authority):
    notice = held(1)
    review = Review.objects.get(notice=notice)
    response = reviewer_client.post(f"/hq/review/{review.pk}/decide/", {"decision": "accept", "reason": ""})
    assert response.status_code == 302 and response["Location"] == "/hq/review/"
    notice.refresh_from_db()
    review.refresh_from_db()
    assert notice.status == "accepted" and review.decision == "accepted" and review.decided_by.username == "reviewer"
    assert Seal.objects.filter(notice=notice, revoked_at__isnull=True).count() == 1
    assert Notification.objects.filter(notice=notice, kind="confirmation").count() == 1
    event = AuditEvent.objects.get(action="review.accepted")
    assert event.data["waited_seconds"] >= 0
    again = reviewer_client.post(f"/hq/review/{review.pk}/decide/", {"decision": "refuse", "reason": "late"})
    assert again.status_code == 302 and Notice.objects.get(pk=notice.pk).status == "accepted"


def test_refusing_needs_a_reason_and_tells_the_traveller_in_their_language(api, reviewer_client, held, smtp_server,
                                                                           django_capture_on_commit_callbacks):
    notice = held(1, contact={"email": "zahra@example.org", "phone": ""})
    Notice.objects.filter(pk=notice.pk).update(language="ru")
    review = Review.objects.get(notice=notice)
    no_reason = reviewer_client.post(f"/hq/review/{review.pk}/decide/", {"decision": "refuse", "reason": " "})
    assert no_reason.status_code == 302 and Notice.objects.get(pk=notice.pk).status == "under_review"
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(f"/hq/review/{review.pk}/decide/",
                             {"decision": "refuse", "reason": "Паспорт числится утерянным"})
    notice.refresh_from_db()
    assert notice.status == "cancelled" and Review.objects.get(pk=review.pk).decision == "refused"
    cancellation = Notification.objects.get(notice=notice, kind="cancellation")
    assert cancellation.status == "sent"
    body = [m for m in smtp_server.messages if "отклонено" in m.get_content()]
    assert body and "Паспорт числится утерянным" in body[0].get_content()


def test_a_notice_held_by_headquarters_joins_the_queue(reviewer_client, file_notice, seal_authority):
    from kordon.audit.services import SYSTEM
    from kordon.notices import services

    filed = Notice.objects.get(reference=file_notice()["reference"])
    services.hold_for_review(filed, SYSTEM, "Checking a report")
    assert "Held by headquarters" in reviewer_client.get("/hq/review/").content.decode()
