"""The post console: officers log in, see their own post's list, find travellers, are told why."""

from datetime import timedelta

import pytest
from django.test import Client

from kordon.posts.models import Refusal, Stamp
from tests.conftest import make_officer, traveller

pytestmark = pytest.mark.django_db


def logged_in(officer) -> Client:
    client = Client()
    assert client.login(username=officer[0].user.username, password="correct-horse-9")
    return client


def test_the_console_needs_a_login(client: Client, crossing):
    response = client.get("/post/")
    assert response.status_code == 302 and "/post/login/" in response["Location"]


def test_a_user_without_a_post_is_told_so(client: Client, crossing, django_user_model):
    django_user_model.objects.create_user("visitor", password="correct-horse-9")
    client.login(username="visitor", password="correct-horse-9")
    assert client.get("/post/").status_code == 403


def test_todays_list_and_tomorrows(file_notice, officer, time_machine):
    notice = file_notice()
    time_machine.move_to(f"{notice['expected_date']}T07:00:00+06:00", tick=False)
    client = logged_in(officer)
    page = client.get("/post/").content.decode()
    assert "ERIKSSON, Anna Maria" in page and "(today)" in page
    time_machine.shift(timedelta(days=-1))
    assert "ERIKSSON" in client.get("/post/?date=" + notice["expected_date"]).content.decode()
    assert "Nobody is listed" in client.get("/post/").content.decode()


def test_an_early_traveller_is_found_and_told_why(file_notice, officer, time_machine):
    notice = file_notice()
    time_machine.move_to(f"{notice['expected_date']}T07:00:00+06:00", tick=False)
    time_machine.shift(timedelta(days=-5))
    page = logged_in(officer).get("/post/search/", {"q": "nx4hk2lp1"}).content.decode()
    assert "5 days early" in page and "A supervisor may admit" in page
    assert "Reason to admit" not in page  # only supervisors see the admit form


def test_a_supervisor_admits_an_early_traveller_with_a_reason(file_notice, supervisor, time_machine):
    notice = file_notice()
    time_machine.move_to(f"{notice['expected_date']}T07:00:00+06:00", tick=False)
    time_machine.shift(timedelta(days=-2))
    client = logged_in(supervisor)
    tid = Stamp._meta.apps.get_model("notices", "Traveller").objects.get().pk
    assert "Reason to admit" in client.get("/post/search/", {"q": "NX4HK2LP1"}).content.decode()
    client.post("/post/stamp/", {"traveller": tid, "reason": ""})
    assert Stamp.objects.count() == 0
    response = client.post("/post/stamp/", {"traveller": tid, "reason": "Snow closing the pass"}, follow=True)
    assert "Admitted" in response.content.decode() and Stamp.objects.get().admission


def test_an_unknown_traveller_can_be_refused_with_a_reason(officer):
    client = logged_in(officer)
    page = client.get("/post/search/", {"q": "ZZ000111"}).content.decode()
    assert "Unknown" in page
    client.post("/post/refuse/", {"document_number": "ZZ000111", "name": "Someone", "reason": "No notice, no permit"})
    assert Refusal.objects.get().document_number == "ZZ000111"


def test_an_officer_cannot_stamp_a_traveller_of_another_post(file_notice, time_machine, tj_post):
    notice = file_notice(travellers=[traveller()])
    officer, _ = make_officer(tj_post, "tjofficer", password="correct-horse-9")
    tid = Stamp._meta.apps.get_model("notices", "Traveller").objects.get().pk
    time_machine.move_to(f"{notice['expected_date']}T07:00:00+06:00", tick=False)
    client = logged_in((officer, None))
    response = client.post("/post/stamp/", {"traveller": tid}, follow=True)
    assert "does not arrive at this post" in response.content.decode()
    assert Stamp.objects.count() == 0
