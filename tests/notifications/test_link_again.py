""""Send me my link again" goes out through kordon.notifications: in the notice's language, and a mail
server that cannot take it leaves the old link working (nothing half-happened)."""

import re

import pytest
from django.test import Client

from kordon.notices.models import Notice
from tests.conftest import free_port

pytestmark = pytest.mark.django_db


def ask(client: Client, reference: str, contact: str):
    return client.post("/notices/link/", {"reference": reference, "contact": contact})


def test_the_link_is_sent_by_the_notifications_email_channel_in_the_notice_language(
        client, file_notice, smtp_server, django_capture_on_commit_callbacks):
    filed = file_notice()
    Notice.objects.filter(reference=filed["reference"]).update(language="ru")
    before = len(smtp_server.messages)
    with django_capture_on_commit_callbacks(execute=True):
        assert ask(client, filed["reference"], "anna@example.org").status_code == 200
    [message] = smtp_server.messages[before:]
    assert ".kordon-link-" in message["Message-ID"]  # the notifications channel's own id
    assert "ссылк" in message["Subject"].lower() or "ссылк" in message.get_content().lower()
    new_link = re.search(r"http://testserver(/notices/\S+/)\s", message.get_content()).group(1)
    assert client.get(new_link, follow=True).status_code == 200


def test_a_mail_server_that_cannot_take_it_leaves_the_old_link_working(
        client, file_notice, settings, django_capture_on_commit_callbacks):
    filed = file_notice()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2  # nobody listens
    with django_capture_on_commit_callbacks(execute=True):
        assert ask(client, filed["reference"], "anna@example.org").status_code == 200
    assert client.get(f"/notices/{filed['reference']}/{filed['access_token']}/", follow=True).status_code == 200
