"""The crossing's public page says what the authority asks, and when it last changed the rules:
every save in the admin that changes what travellers are told leaves a visible change log entry."""

import pytest
from django.test import Client

from kordon.audit.models import AuditEvent
from kordon.crossings.models import ClosedDate, Crossing, CrossingChange
from tests.conftest import kg_today
from tests.crossings.test_admin import admin_form_data, change_form_data

pytestmark = pytest.mark.django_db


def test_the_page_tells_a_traveller_what_the_blog_posts_did(client: Client, crossing: Crossing):
    page = client.get("/crossings/kyzyl-art/").content.decode()
    for text in ("Kyzyl-Art pass", "altitude 4282 m", "at least 5 days before you arrive",
                 "up to 1 open day later", "Vehicle registration papers", "A photo of the vehicle",
                 "Carnet de passages", "USD 15.00", "≈ KGS 1305", "≈ TJS 164", "numbered receipt",
                 "snowy into June", "Sary-Tash", "SIM cards", "diesel", "almost no traffic between the posts",
                 "Bordobo (Kyrgyz post)", "Kyzyl-Art (Tajik post)", "Opening hours, local time (Asia/Bishkek)",
                 "08:00–17:00"):
        assert text in page, text
    assert "No changes recorded" in page


def test_the_page_lists_the_closed_dates_ahead(client: Client, crossing: Crossing, kg_post):
    from datetime import timedelta

    ClosedDate.objects.create(post=kg_post, date=kg_today() + timedelta(days=3), reason="Independence Day")
    ClosedDate.objects.create(post=kg_post, date=kg_today() - timedelta(days=3), reason="Long ago")
    page = client.get("/crossings/kyzyl-art/").content.decode()
    assert "Independence Day" in page and "Long ago" not in page


def test_the_home_page_links_each_crossings_page(client: Client, crossing: Crossing):
    page = client.get("/").content.decode()
    assert 'href="/crossings/kyzyl-art/"' in page
    assert 'href="/status/"' in page and 'href="/status/"' in client.get("/crossings/kyzyl-art/").content.decode()


def test_an_unknown_crossing_is_404(client: Client, crossing: Crossing):
    assert client.get("/crossings/nowhere/").status_code == 404


def test_changing_a_fee_in_the_admin_is_logged_and_shown(admin_client: Client, client: Client, crossing: Crossing):
    data = change_form_data(admin_client, crossing) | {"fee_lines-0-amount": "20.00", "lead_time_days": "7"}
    response = admin_client.post(f"/admin/crossings/crossing/{crossing.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    change = CrossingChange.objects.get()
    assert change.by is not None and change.by.username == "admin"
    assert {"name": "lead_time_days", "from": "5", "to": "7"} in change.entries[0]["fields"]
    assert change.entries[1]["model"] == "crossings.feeline"
    assert change.entries[1]["fields"] == [{"name": "amount", "from": "15.00", "to": "20.00"}]
    assert AuditEvent.objects.filter(action="crossing.changed").count() == 1
    page = client.get("/crossings/kyzyl-art/").content.decode()
    assert "last changed these rules on" in page
    assert "lead time days 5 → 7" in page and "amount 15.00 → 20.00" in page


def test_saving_without_changes_or_with_private_changes_logs_nothing(admin_client: Client, crossing: Crossing):
    url = f"/admin/crossings/crossing/{crossing.pk}/change/"
    assert admin_client.post(url, change_form_data(admin_client, crossing)).status_code == 302
    data = change_form_data(admin_client, crossing) | {"personal_data_keep_days": "200"}
    assert admin_client.post(url, data).status_code == 302
    assert [c.entries for c in CrossingChange.objects.all()] == []


def test_opening_hours_and_closed_dates_are_edited_on_the_post_and_logged(admin_client: Client, crossing, kg_post):
    url = f"/admin/crossings/post/{kg_post.pk}/change/"
    data = admin_form_data(admin_client, url)
    data |= {"opening_hours-5-closes": "13:00", "closed_dates-0-date": "2031-08-31",
             "closed_dates-0-reason": "Independence Day"}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert kg_post.closed_dates.get().reason == "Independence Day"
    entries = CrossingChange.objects.get(crossing=crossing).entries
    assert {"model": "crossings.openinghours", "object": "Saturday 08:00–13:00", "action": "changed",
            "fields": [{"name": "closes", "from": "17:00", "to": "13:00"}]} in entries
    assert {"model": "crossings.closeddate", "object": "2031-08-31 Independence Day", "action": "added",
            "fields": []} in entries


def test_the_change_log_cannot_be_edited_in_the_admin(admin_client: Client, crossing: Crossing):
    CrossingChange.objects.create(crossing=crossing, entries=[])
    change = CrossingChange.objects.get()
    assert admin_client.get("/admin/crossings/crossingchange/add/").status_code == 403
    assert admin_client.post(f"/admin/crossings/crossingchange/{change.pk}/delete/", {"post": "yes"}).status_code == 403
