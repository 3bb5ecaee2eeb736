"""Each notification is recorded once per notice, kind and occasion, retried on failure, stopped on request."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kordon.notices.models import Notice
from kordon.notices.services import cancel_notice
from kordon.notifications import services
from kordon.notifications.models import Kind, Notification, Status
from tests.conftest import free_port, kg_today


@pytest.fixture
def notice(file_notice) -> Notice:
    return Notice.objects.get(reference=file_notice()["reference"])


def test_a_cancellation_is_mailed_once(notice, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cancel_notice(notice)
        services.notify(notice, Kind.CANCELLATION)  # announced again: still one row, one message
    [message] = smtp_server.messages
    assert message["Subject"] == f"Crossing notice {notice.display_reference} is cancelled"
    row = Notification.objects.get(notice=notice, kind=Kind.CANCELLATION)
    assert (row.status, row.channel, row.address, row.attempts) == (Status.SENT, "email", "anna@example.org", 1)
    assert services.deliver_now(row.pk) == "not due"
    assert len(smtp_server.messages) == 1


def test_a_mail_server_that_is_down_is_tried_again_later(notice, settings, smtp_server,
                                                          django_capture_on_commit_callbacks):
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nobody listens there
    with django_capture_on_commit_callbacks(execute=True):
        cancel_notice(notice)
    row = Notification.objects.get(kind=Kind.CANCELLATION)
    assert row.status == Status.RETRYING and row.next_attempt_at > timezone.now()
    assert "cannot take the message" in row.last_error
    assert services.resume_due() == 0  # not yet due
    settings.EMAIL_PORT = working_port
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert services.resume_due() == 1
    assert len(smtp_server.messages) == 1
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 2


def test_a_traveller_who_asked_to_stop_is_sent_nothing(notice, smtp_server, django_capture_on_commit_callbacks):
    services.stop("email", "anna@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        cancel_notice(notice)
    assert smtp_server.messages == []
    row = Notification.objects.get(kind=Kind.CANCELLATION)
    assert row.status == Status.SKIPPED and row.last_error == "stopped on request"


def test_a_notice_without_any_address_is_skipped(file_notice, django_capture_on_commit_callbacks):
    notice = Notice.objects.get(reference=file_notice(contact={"email": "", "phone": "+31 6 1234 5678"})["reference"])
    with django_capture_on_commit_callbacks(execute=True):
        cancel_notice(notice)
    assert Notification.objects.get(kind=Kind.CANCELLATION).status == Status.SKIPPED


def test_the_daily_round_reminds_two_days_ahead_with_hours_and_what_to_bring(
        file_notice, smtp_server, django_capture_on_commit_callbacks, settings):
    in_two_days = kg_today() + timedelta(days=2)
    filed = file_notice()
    Notice.objects.filter(reference=filed["reference"]).update(expected_date=in_two_days)
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.daily_round()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.daily_round()
    assert counts["reminders"] == 1 and again["reminders"] == 0
    [message] = [m for m in smtp_server.messages if "two days" in m["Subject"]]
    body = message.get_content()
    assert "Opening hours" in body and "passport of each traveller" in body


def test_on_the_day_the_traveller_hears_they_are_on_the_list(file_notice, smtp_server,
                                                              django_capture_on_commit_callbacks):
    filed = file_notice()
    Notice.objects.filter(reference=filed["reference"]).update(expected_date=kg_today())
    with django_capture_on_commit_callbacks(execute=True):
        assert services.daily_round()["todays_list"] == 1
    [message] = [m for m in smtp_server.messages if "today's list" in m["Subject"]]
    assert filed["display_reference"] in message.get_content()
