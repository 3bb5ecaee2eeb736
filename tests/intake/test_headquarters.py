"""Headquarters sees drafts that are stuck and can take one over; then a person answers, not kordon."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from kordon.intake.models import Conversation, State
from tests.intake.conftest import deliver, envelope, text


def hq_client() -> Client:
    user = get_user_model().objects.create_user("gulnara", password="correct-horse-9")
    user.user_permissions.add(Permission.objects.get(codename="change_conversation"))
    client = Client()
    client.force_login(user)
    return client


def test_a_stuck_draft_is_listed_taken_over_and_answered_by_a_person(crossing, graph_api,
                                                                       django_capture_on_commit_callbacks):
    traveller = Client()
    with django_capture_on_commit_callbacks(execute=True):
        deliver(traveller, envelope(text("Hello, we want to cross, into Kyrgyzstan")))
    Conversation.objects.update(updated_at=timezone.now() - timedelta(hours=2))
    hq = hq_client()
    page = hq.get("/hq/intake/")
    assert page.status_code == 200 and b"31612345678" in page.content and b"Take over" in page.content
    conversation = Conversation.objects.get()
    assert hq.post(f"/hq/intake/{conversation.pk}/take/").status_code == 302
    assert Conversation.objects.get().state == State.TAKEN_OVER
    sent = len(graph_api.sent)
    with django_capture_on_commit_callbacks(execute=True):
        deliver(traveller, envelope(text("Are you there?")))
    assert len(graph_api.sent) == sent  # no automatic answer once a person has it
    assert hq.post(f"/hq/intake/{conversation.pk}/answer/", {"text": "Yes, Gulnara here."}).status_code == 302
    assert graph_api.texts()[-1] == "Yes, Gulnara here."
    assert hq.post(f"/hq/intake/{conversation.pk}/answer/", {"text": " "}).status_code == 422


def test_the_page_is_for_headquarters_only(crossing):
    client = Client()
    client.force_login(get_user_model().objects.create_user("stranger"))
    assert client.get("/hq/intake/").status_code in (302, 403)
