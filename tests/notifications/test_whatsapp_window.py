"""On WhatsApp, free text only within 24 hours of the traveller's last message; an approved template after."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kordon.notices.models import Notice
from kordon.notices.services import cancel_notice
from kordon.notifications import services
from kordon.notifications.models import Kind, Notification, Recipient, Status
from tests.intake import conftest as intake

graph_api = intake.graph_api  # the fake Graph API, a fixture used by name


@pytest.fixture
def notice(file_notice) -> Notice:
    notice = Notice.objects.get(reference=file_notice()["reference"])
    services.route_to(notice, services.heard_from("whatsapp", "31612345678", "en"))
    return notice


@pytest.mark.parametrize(("hours_ago", "kind"), [(1, "text"), (25, "template")])
def test_within_the_window_text_after_it_the_template(notice, graph_api, settings, hours_ago, kind,
                                                       django_capture_on_commit_callbacks):
    settings.KORDON_WHATSAPP_TEMPLATE = "crossing_update"
    Recipient.objects.filter(address="31612345678").update(last_heard_at=timezone.now() - timedelta(hours=hours_ago))
    with django_capture_on_commit_callbacks(execute=True):
        cancel_notice(notice)
    [sent] = graph_api.sent
    assert sent["to"] == "31612345678" and sent["type"] == kind
    if kind == "template":
        assert sent["template"]["name"] == "crossing_update"
        assert notice.display_reference in str(sent["template"]["components"])
    assert Notification.objects.get(notice=notice, kind=Kind.CANCELLATION).status == Status.SENT
