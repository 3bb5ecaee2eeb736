"""Headquarters: a dashboard of arrivals, stamps, admissions, refusals and payments per post and day,
links to the payments CSV, and officers created in one step with their token shown once."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client

from kordon.audit.models import AuditEvent
from kordon.notices.models import Notice, Traveller
from kordon.payments.services import record_cash_payment
from kordon.posts.models import Officer, Refusal, Stamp
from kordon.posts.services import refuse_entry, stamp_entry
from kordon.tokens import hash_token
from tests.conftest import Api

pytestmark = pytest.mark.django_db


def row(page: str, post: str, day: str) -> dict[str, str]:
    found = re.search(rf'data-testid="row-{post}-{day}">(.*?)</tr>', page, re.S)
    assert found, f"no row for {post} on {day}"
    cells = dict(re.findall(r'data-testid="(\w+)">([^<]*)', found.group(1)))
    return cells


def test_the_dashboard_counts_each_post_and_day(admin_client: Client, admin_user, file_notice, officer, supervisor,
                                               time_machine):
    on_time, early = file_notice(), file_notice(travellers=[{
        "surname": "Berg", "given_names": "Ola", "nationality": "NOR", "sex": "M", "date_of_birth": "1970-02-02",
        "document_number": "NO1234567", "document_expiry": "2032-01-01"}])
    Notice.objects.filter(reference=early["reference"]).update(
        expected_date=Notice.objects.get(reference=on_time["reference"]).expected_date + timedelta(days=4))
    time_machine.move_to(f"{on_time['expected_date']}T10:00:00+06:00", tick=False)
    post = officer[0].post
    record_cash_payment(officer[0], post, on_time["reference"], Decimal("15.00"), "USD", "k-1")
    anna, ola = Traveller.objects.get(surname="Eriksson"), Traveller.objects.get(surname="Berg")
    stamp_entry(officer[0], post, anna)
    stamp_entry(supervisor[0], post, ola, reason="Snow closes the pass tomorrow")
    refuse_entry(officer[0], post, reason="No passport", document_number="X123", name="Somebody")

    admin_client.force_login(admin_user)  # the session of six days ago has expired
    page = admin_client.get("/hq/").content.decode()
    today = on_time["expected_date"]
    assert row(page, "kg-bordobo", today) == {"arrivals": "2", "stamps": "1", "admissions": "1", "refusals": "1",
                                              "payments": "1"}
    assert "USD 15.00" in re.search(rf'row-kg-bordobo-{today}">(.*?)</tr>', page, re.S).group(1)
    assert row(page, "tj-kyzyl-art", today)["stamps"] == "0"
    assert f'href="/payments/reports/payments.csv?date={today}"' in page


def test_the_dashboard_is_for_staff_only(client: Client, officer):
    client.login(username="aibek", password="correct-horse-9")
    assert client.get("/hq/").status_code == 302


def test_an_officer_is_created_in_one_step_and_the_token_shown_once(admin_client: Client, kg_post, api: Api):
    response = admin_client.post("/hq/officers/new/", {"username": "gulnara", "post": kg_post.pk,
                                                       "role": "supervisor", "password": "a long pass phrase 42"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    token = re.search(r'data-testid="officer-token">([^<]+)<', response.content.decode()).group(1)
    officer = Officer.objects.get(user__username="gulnara")
    assert (officer.post, officer.role, officer.token_hash) == (kg_post, "supervisor", hash_token(token))
    assert officer.user.check_password("a long pass phrase 42")
    assert api.get(f"/posts/{kg_post.code}/entry-list", token).status_code == 200
    assert AuditEvent.objects.filter(action="officer.created", actor="user admin").exists()
    assert token not in admin_client.get("/hq/").content.decode()


def test_a_taken_name_or_a_weak_password_is_refused_beside_the_field(admin_client: Client, kg_post, officer):
    response = admin_client.post("/hq/officers/new/", {"username": "AIBEK", "post": kg_post.pk, "role": "officer",
                                                       "password": "123"})
    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_username_error"' in page and "exists already" in page
    assert 'id="id_password_error"' in page
    assert Officer.objects.count() == 1


def test_staff_without_the_permission_cannot_create_officers(client: Client, kg_post, django_user_model):
    django_user_model.objects.create_user("clerk", password="correct-horse-9", is_staff=True)
    client.login(username="clerk", password="correct-horse-9")
    assert client.get("/hq/").status_code == 200
    assert client.post("/hq/officers/new/", {"username": "x1", "post": kg_post.pk, "role": "officer"}).status_code == 403


def test_the_admin_offers_no_add_for_stamps_and_refusals(admin_client: Client, crossing):
    for model in ("stamp", "refusal"):
        assert admin_client.get(f"/admin/posts/{model}/add/").status_code == 403
        assert f"/admin/posts/{model}/add/" not in admin_client.get(f"/admin/posts/{model}/").content.decode()


def test_the_admin_links_to_the_dashboard_and_the_dashboard_to_its_reports(admin_client: Client, crossing):
    assert 'href="/hq/"' in admin_client.get("/admin/").content.decode()
    page = admin_client.get("/hq/").content.decode()
    assert 'data-testid="payments-csv-today"' in page and 'href="/hq/intake/"' in page and 'href="/hq/review/"' in page
    assert admin_client.get("/admin/posts/officer/add/")["Location"] == "/hq/officers/new/"


def test_the_admin_shows_stamps_and_refusals_on_the_posts_clock_and_never_deletes_them(
        admin_client: Client, admin_user, file_notice, officer, time_machine):
    filed = file_notice()
    # 23:10 UTC is 05:10 of the next day at Bordobo (UTC+6).
    day_before = date.fromisoformat(filed["expected_date"]) - timedelta(days=1)
    time_machine.move_to(f"{day_before.isoformat()}T23:10:00+00:00", tick=False)
    stamp_entry(officer[0], officer[0].post, Traveller.objects.get())
    refuse_entry(officer[0], officer[0].post, reason="No passport", document_number="X123", name="Somebody")
    admin_client.force_login(admin_user)  # the session of days ago has expired
    for model in ("stamp", "refusal"):
        page = admin_client.get(f"/admin/posts/{model}/").content.decode()
        assert "5:10" in page and "(Asia/Bishkek)" in page and "11:10" not in page, model
        assert "Delete selected" not in page
        record = {"stamp": Stamp, "refusal": Refusal}[model].objects.get()
        detail = admin_client.get(f"/admin/posts/{model}/{record.pk}/change/").content.decode()
        assert "5:10" in detail and "(Asia/Bishkek)" in detail
        assert admin_client.post(f"/admin/posts/{model}/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Stamp.objects.count() == 1 and Refusal.objects.count() == 1
    assert admin_client.get("/admin/posts/journey/add/").status_code == 403
