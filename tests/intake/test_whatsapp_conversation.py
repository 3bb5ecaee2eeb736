"""A traveller announces a crossing by WhatsApp: text, two passport photos, "yes" → a filed notice."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from kordon.documents.models import Document
from kordon.intake.models import Conversation, Message, State
from kordon.notices.models import Notice
from kordon.notifications.models import NoticeRecipient, Recipient
from tests.conftest import kg_today
from tests.intake.conftest import deliver, envelope, form_link_in, image, signed, submitted, text
from tests.intake.photos import ANNA, JAN, landscape_photo, passport_photo, wrong_check_digit_photo


def day_words(days: int) -> str:
    day = kg_today() + timedelta(days=days)
    return f"{day.day} {day.strftime('%B')}"


@pytest.fixture
def say(graph_api, django_capture_on_commit_callbacks):
    client = Client()

    def say(*messages):
        before = len(graph_api.sent)
        with django_capture_on_commit_callbacks(execute=True):
            response = deliver(client, envelope(*messages))
        assert response.status_code == 200, response.content
        return graph_api.texts()[before:] if len(graph_api.sent) > before else []

    return say


def test_a_whole_conversation_ends_in_a_filed_notice(crossing, graph_api, say):
    [answer] = say(text(f"Hello! We are 2 people, crossing into Kyrgyzstan on {day_words(8)}."))
    assert "passport" in answer and "0 of 2" in answer
    [answer] = say(image(graph_api, passport_photo(ANNA, blur=1.5)))
    assert "Passport of ERIKSSON ANNA MARIA read" in answer and "1 of 2" in answer
    [answer] = say(image(graph_api, passport_photo(JAN, angle=11)))
    assert "Reply YES" in answer and "ERIKSSON JAN" in answer and "TJ-KG" in answer
    assert Notice.objects.count() == 0  # nothing is filed before the traveller confirms
    yes = text("yes")
    [answer] = say(yes)
    notice = Notice.objects.get()
    assert notice.display_reference in answer and f"/notices/{notice.reference}/" in answer
    assert [t.document_number for t in notice.travellers.all()] == ["NX4HK2LP1", "NX7PQ3RT8"]
    assert notice.contact_phone == "+31612345678" and notice.language == "en"
    assert Document.objects.filter(notice=notice, kind="passport").count() == 2
    assert Conversation.objects.get().state == State.FILED
    # Meta redelivers the "yes": kept once, nothing answered, nothing filed twice.
    assert say(yes) == []
    assert Notice.objects.count() == 1 and Message.objects.filter(external_id=yes["id"]).count() == 1


def test_a_vague_date_is_asked_back(crossing, say):
    [answer] = say(text("We will come next week, into Kyrgyzstan"))
    assert "exact date" in answer


def test_an_unreadable_photo_is_told_and_not_kept_as_a_passport(crossing, graph_api, say):
    [answer] = say(image(graph_api, landscape_photo()))
    assert "could not read a passport" in answer
    assert Conversation.objects.get().draft.get("travellers") is None


def test_a_photo_whose_mrz_fails_its_check_digits_is_refused(crossing, graph_api, say):
    [answer] = say(image(graph_api, wrong_check_digit_photo(ANNA)))
    assert "fail their check digits" in answer and "document number" in answer
    assert Conversation.objects.get().draft.get("travellers") is None


def test_a_russian_conversation_is_answered_in_russian(crossing, say):
    [answer] = say(text(f"Здравствуйте! Нас двое, едем в Кыргызстан {(kg_today() + timedelta(days=8)).day} "
                        f"{['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'][(kg_today() + timedelta(days=8)).month - 1]}"))
    assert "паспорт" in answer
    conv = Conversation.objects.get()
    assert conv.language == "ru" and conv.draft["direction"] == "TJ-KG" and conv.draft["people"] == 2


def test_a_wrong_or_missing_signature_is_refused_and_nothing_kept(crossing, graph_api):
    client = Client()
    payload = envelope(text("hello"))
    assert deliver(client, payload, signature="sha256=" + "0" * 64).status_code == 403
    assert deliver(client, payload, signature="").status_code == 403
    other = signed(b"another body")
    assert deliver(client, payload, signature=other).status_code == 403
    assert Message.objects.count() == 0 and graph_api.sent == []


def test_the_subscription_check_echoes_the_challenge_only_for_our_token(graph_api):
    client = Client()
    ok = client.get("/api/v1/intake/whatsapp", {"hub.mode": "subscribe", "hub.verify_token": "test-verify-token",
                                                "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.content == b"1158201444"
    wrong = client.get("/api/v1/intake/whatsapp", {"hub.mode": "subscribe", "hub.verify_token": "guess",
                                                   "hub.challenge": "1158201444"})
    assert wrong.status_code == 403


def test_status_updates_are_ignored(crossing, graph_api, django_capture_on_commit_callbacks):
    payload = envelope()
    payload["entry"][0]["changes"][0]["value"].pop("messages")
    payload["entry"][0]["changes"][0]["value"]["statuses"] = [
        {"id": "wamid.out1", "status": "delivered", "timestamp": "1749416383", "recipient_id": "31612345678"}]
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(Client(), payload).status_code == 200
    assert Message.objects.count() == 0


def _ready_to_confirm(graph_api, say, extra: str = "") -> str:
    say(text(f"We are 2 people, crossing into Kyrgyzstan on {day_words(8)}.{extra}"))
    say(image(graph_api, passport_photo(ANNA)))
    [answer] = say(image(graph_api, passport_photo(JAN)))
    assert "Reply YES" in answer
    return answer


def test_the_prefilled_form_is_the_alternative_to_yes(crossing, graph_api, say, settings,
                                                       django_capture_on_commit_callbacks):
    settings.KORDON_BASE_URL = "https://kordon.test"
    answer = _ready_to_confirm(graph_api, say)
    assert "https://kordon.test/intake/form/" in answer and "72 hours" in answer
    client = Client()
    form = client.get(form_link_in(answer))
    assert form.status_code == 200
    assert Notice.objects.count() == 0  # opening the link files nothing
    page = form.content.decode()
    assert "ERIKSSON" in page and "NX7PQ3RT8" in page and "+31612345678" in page
    with django_capture_on_commit_callbacks(execute=True):
        filed = client.post(form_link_in(answer), submitted(form))
    assert filed.status_code in (302, 303), filed.content.decode()[:2000]
    notice = Notice.objects.get()
    assert notice.direction.code == "TJ-KG" and notice.expected_date == kg_today() + timedelta(days=8)
    assert sorted(t.document_number for t in notice.travellers.all()) == ["NX4HK2LP1", "NX7PQ3RT8"]
    conv = Conversation.objects.get()
    assert conv.state == State.FILED and conv.notice == notice
    assert NoticeRecipient.objects.get(notice=notice).recipient.channel == "whatsapp"
    assert Document.objects.filter(notice=notice, kind="passport").count() == 2
    # The link is spent once the notice is filed: it shows the notice is filed, and files nothing again.
    again = client.get(form_link_in(answer))
    assert again.status_code == 200 and notice.display_reference in again.content.decode()
    assert Notice.objects.count() == 1


def test_a_form_link_that_is_altered_or_expired_does_not_open(crossing, graph_api, say):
    answer = _ready_to_confirm(graph_api, say)
    link = form_link_in(answer)
    altered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    assert Client().get(altered).status_code == 410
    with time_machine.travel(timezone.now() + timedelta(hours=73)):
        assert Client().get(link).status_code == 410
    assert Client().get(link).status_code == 200


def test_the_vehicle_country_is_asked_for_never_guessed(crossing, graph_api, say):
    [answer] = say(text(f"We are 2 people with our car, plate AB-123-C, crossing into Kyrgyzstan on {day_words(8)}."))
    assert "the country the vehicle is registered in" in answer
    say(text("registered in the Netherlands"))
    assert Conversation.objects.get().draft["vehicle_country"] == "NL"


def test_a_duplicate_is_told_and_nothing_is_filed_or_charged_twice(crossing, graph_api, say):
    for _ in range(2):  # the same traveller announces the same crossing twice
        say(text(f"I travel alone into Kyrgyzstan on {day_words(8)}."))
        [answer] = say(image(graph_api, passport_photo(ANNA)))
        assert "Reply YES" in answer
        [answer] = say(text("yes"))
    assert "already filed" in answer and "nothing is charged again" in answer
    assert Notice.objects.count() == 1


def test_stop_is_honoured(crossing, graph_api, say):
    [answer] = say(text("STOP"))
    assert "no more messages" in answer
    assert Recipient.objects.get(channel="whatsapp", address="31612345678").stopped_at is not None
