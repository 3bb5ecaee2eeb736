"""In the admin, notices, travellers and vehicles are read-only; its actions are the domain's own
operations (checked, audited, seals re-issued), and nothing can be deleted."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model

from kordon.audit.models import AuditEvent
from kordon.notices.models import Notice, Traveller
from tests.conftest import kg_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, crossing):
    get_user_model().objects.create_superuser("boss", password="long-and-unusual-41")
    client.login(username="boss", password="long-and-unusual-41")
    return client


def act(client, notice, action, **fields):
    data = {"action": action, "_selected_action": [notice.pk], "index": 0} | fields
    return client.post("/admin/notices/notice/", data, follow=True)


def test_the_change_form_changes_nothing(admin_client, file_notice):
    notice = Notice.objects.get(reference=file_notice()["reference"])
    page = admin_client.get(f"/admin/notices/notice/{notice.pk}/change/")
    assert page.status_code == 200 and "Eriksson" in page.content.decode()  # shown, not editable:
    editable = re.findall(r'<(?:input|select|textarea)[^>]*name="((?:travellers-\d+-)?(?:expected_date|status|'
                          r'payment_status|surname|given_names|document_number|date_of_birth|nationality))"',
                          page.content.decode())
    assert editable == []
    admin_client.post(f"/admin/notices/notice/{notice.pk}/change/",
                      {"expected_date": "2030-01-01", "status": "entered", "payment_status": "paid",
                       "travellers-0-surname": "Other", "travellers-0-document_number": "ZZ999"})
    notice.refresh_from_db()
    assert (notice.status, notice.payment_status) == ("accepted", "unpaid")
    assert Traveller.objects.get().surname == "Eriksson"
    assert b"Delete selected" not in admin_client.get("/admin/notices/notice/").content
    assert b"Add notice" not in admin_client.get("/admin/notices/notice/").content


def test_moving_a_date_in_the_admin_runs_the_checks_and_is_audited(admin_client, file_notice):
    notice = Notice.objects.get(reference=file_notice()["reference"])
    too_soon = act(admin_client, notice, "amend", expected_date=kg_today().isoformat())
    assert b"days&#x27; notice" in too_soon.content or b"days' notice" in too_soon.content
    new = (kg_today() + timedelta(days=12)).isoformat()
    act(admin_client, notice, "amend", expected_date=new)
    notice.refresh_from_db()
    assert notice.expected_date.isoformat() == new
    event = AuditEvent.objects.get(action="notice.amended")
    assert event.actor == "user boss" and event.data["expected_date"]["to"] == new


def test_cancel_hold_and_release_are_the_domain_operations(admin_client, file_notice):
    notice = Notice.objects.get(reference=file_notice()["reference"])
    act(admin_client, notice, "hold_for_review", reason="passport reported stolen")
    notice.refresh_from_db()
    assert notice.status == "under_review"
    act(admin_client, notice, "release_review")
    act(admin_client, notice, "cancel")
    notice.refresh_from_db()
    assert notice.status == "cancelled"
    actions = list(AuditEvent.objects.filter(actor="user boss").order_by("id").values_list("action", flat=True))
    assert actions == ["notice.held_for_review", "notice.review_released", "notice.cancelled"]
