"""A traveller announces a crossing by email, over real SMTP to `kordon intake smtp`, and is answered by email."""

import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from kordon.intake.mail import Receiver
from kordon.intake.models import Conversation, Message
from kordon.notices.models import Notice
from tests.conftest import free_port
from tests.intake.conftest import form_link_in, submitted
from tests.intake.photos import ANNA, JAN, landscape_photo, passport_photo
from tests.intake.test_whatsapp_conversation import day_words
from tests.seals.conftest import seal_authority, seal_key_passphrase  # noqa: F401 - fixtures used by name


def mail(port: int, body: str, *photos: bytes, subject: str = "Crossing", message_id: str | None = None,
         names: tuple[str, ...] = ()) -> str:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "Anna <anna@example.org>", "intake@kordon.test", subject
    message["Message-ID"] = message_id or make_msgid(domain="example.org")
    message.set_content(body)
    for number, photo in enumerate(photos):
        message.add_attachment(photo, maintype="image", subtype="jpeg", filename=names[number] if names else f"passport{number}.jpg")
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        smtp.send_message(message)
    return str(message["Message-ID"])


@pytest.mark.django_db(transaction=True)  # the SMTP receiver's thread writes to the database
@pytest.mark.usefixtures("seal_authority")
def test_a_conversation_by_email_ends_in_a_filed_notice(crossing, smtp_server):
    receiver = Controller(Receiver(), hostname="127.0.0.1", port=free_port())
    receiver.start()
    try:
        first = mail(receiver.port, f"Hello, we are two people, into Kyrgyzstan on {day_words(9)}.\n\nAnna",
                     passport_photo(ANNA, blur=1.0), passport_photo(JAN))
        _wait_for(lambda: len(smtp_server.messages) >= 1)
        [answer] = smtp_server.messages
        assert answer["To"] == "anna@example.org" and answer["In-Reply-To"] == first
        assert "Reply YES" in answer.get_content() and "ERIKSSON ANNA MARIA" in answer.get_content()
        # Line 1 (the names) has no check digits: a misread letter can pass, so the summary shows the
        # names for the traveller to check before "yes" (this photo has been read as ERIKSSOK).
        assert " JAN read" in answer.get_content() and "NLD NX7PQ3RT8" in answer.get_content()
        quoted = "Yes\n\nOn Monday kordon wrote:\n> Reply YES to file this notice"
        yes = mail(receiver.port, quoted, subject="Re: Crossing")
        _wait_for(lambda: Notice.objects.exists() and len(smtp_server.messages) >= 3)
        notice = Notice.objects.get()
        assert notice.contact_email == "anna@example.org" and notice.travellers.count() == 2
        answers = [m for m in smtp_server.messages if m["Subject"] == "Re: Crossing"]
        assert notice.display_reference in answers[-1].get_content()
        assert any("your seal" in m["Subject"] for m in smtp_server.messages)  # the confirmation, by email
        # The mail server delivers the "yes" again: kept once, not answered again.
        count = len(smtp_server.messages)
        mail(receiver.port, "Yes", subject="Re: Crossing", message_id=yes)
        time.sleep(0.5)
        assert len(smtp_server.messages) == count and Message.objects.filter(external_id=yes).count() == 1
        assert Conversation.objects.get().notice == notice
    finally:
        receiver.stop()


def _wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_the_intake_smtp_command_listens_on_the_port_it_is_given(tmp_path):
    port = free_port()
    env = {"KORDON_DEBUG": "true", "KORDON_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}",
           "PATH": "/usr/bin:/bin"}
    kordon = str(Path(sys.executable).parent / "kordon")
    server = subprocess.Popen([kordon, "intake", "smtp", "--port", str(port)], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert f"127.0.0.1:{port}" in (server.stdout.readline() if server.stdout else "")
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            assert smtp.noop()[0] == 250
    finally:
        server.terminate()
        server.wait(10)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seal_authority")
def test_by_email_the_answer_links_to_the_prefilled_form_which_files_on_confirmation(crossing, smtp_server,
                                                                                    settings):
    settings.KORDON_BASE_URL = "https://kordon.test"
    receiver = Controller(Receiver(), hostname="127.0.0.1", port=free_port())
    receiver.start()
    try:
        mail(receiver.port, f"Hello, I travel alone into Kyrgyzstan on {day_words(9)}, with my German car, "
                            "plate M-AB 123.", passport_photo(ANNA), b"\xff\xd8 not a photo at all")
        _wait_for(lambda: len(smtp_server.messages) >= 1)
        [answer] = smtp_server.messages
        body = answer.get_content()
        assert "could not use a file" in body and "Passport of ERIKSSON ANNA MARIA read" in body
        assert "a photo of the vehicle" in body and "registration papers" in body and "registered in" not in body
        mail(receiver.port, "Here are the car and its registration papers", landscape_photo(), landscape_photo(),
             subject="Re: Crossing", names=("car.jpg", "registration.jpg"))
        _wait_for(lambda: len(smtp_server.messages) >= 2)
        body = smtp_server.messages[-1].get_content()
        assert "Reply YES" in body and "M-AB 123 (DE)" in body, body
    finally:
        receiver.stop()
    client = Client()
    link = form_link_in(body)
    form = client.get(link)
    assert form.status_code == 200 and Notice.objects.count() == 0
    assert client.post(link, submitted(form)).status_code in (302, 303)
    notice = Notice.objects.get()
    assert notice.contact_email == "anna@example.org" and notice.vehicle.country == "DE"
    assert Conversation.objects.get().notice == notice
