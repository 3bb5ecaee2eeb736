""""Send me my link again": one message to the notice's email, the same answer for everyone, throttled."""

import html
import re

import pytest
from django.test import Client

from kordon.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def ask(client: Client, reference: str, contact: str):
    return client.post("/notices/link/", {"reference": reference, "contact": contact})


def answer_text(response) -> str:
    return re.search(r'data-testid="link-asked">(.*?)</div>', response.content.decode(), re.S).group(1)


def test_the_phone_on_file_is_enough_to_get_the_link_by_email(client, file_notice, smtp_server,
                                                               django_capture_on_commit_callbacks):
    filed = file_notice()
    before = len(smtp_server.messages)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, filed["reference"].lower(), "+31 (6) 1234-5678")
    assert response.status_code == 200
    [message] = smtp_server.messages[before:]
    assert message["To"] == "anna@example.org" and "/notices/" in message.get_content()
    old_link = f"/notices/{filed['reference']}/{filed['access_token']}/"
    assert client.get(old_link).status_code == 404  # the new link replaces the old one
    new_link = re.search(r"http://testserver(/notices/\S+/)\s", message.get_content()).group(1)
    opened = client.get(new_link)  # the link is exchanged for a cookie, then the notice's page
    assert opened.status_code == 303 and client.get(opened["Location"]).status_code == 200


def test_unknown_references_and_wrong_contacts_get_the_same_answer_and_no_mail(
        client, file_notice, smtp_server, django_capture_on_commit_callbacks):
    filed = file_notice()
    before = len(smtp_server.messages)
    with django_capture_on_commit_callbacks(execute=True):
        answers = {answer_text(ask(client, ref, contact)) for ref, contact in (
            ("ZZZZ-ZZZZ-ZZ", "anna@example.org"), ("not a reference", "anna@example.org"),
            (filed["reference"], "eve@example.org"), (filed["reference"], "+1 555 000 0000"))}
    assert len(answers) == 1
    assert smtp_server.messages[before:] == []


def test_a_notice_with_only_a_phone_gets_no_mail(client, file_notice, smtp_server,
                                                 django_capture_on_commit_callbacks):
    filed = file_notice(contact={"phone": "+996 555 123 456"})
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, filed["reference"], "+996555123456")
    assert smtp_server.messages == []


def test_requests_beyond_the_hourly_limit_are_recorded_but_send_nothing(
        client, file_notice, smtp_server, django_capture_on_commit_callbacks, settings):
    settings.RATELIMIT_ENABLE, settings.KORDON_RATE_LIMITS = True, {"link_again": "3/h"}  # kordon.throttle's scope
    limit = 3
    filed = file_notice()
    before = len(smtp_server.messages)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(limit + 2):
            assert ask(client, filed["reference"], "anna@example.org").status_code == 200
    assert len(smtp_server.messages) - before == limit
    events = AuditEvent.objects.filter(action="notice.link_requested", notice_reference=filed["reference"])
    assert events.count() == limit + 2
    assert events.filter(data__throttled=True).count() == 2


def test_an_empty_request_names_what_is_missing(client, crossing):
    response = client.post("/notices/link/", {"reference": "", "contact": ""})
    assert response.status_code == 422
    assert "Enter the notice's reference and the email address or phone number" in html.unescape(response.content.decode())
