"""The console shows a document clash (one passport on two notices for the day, docs/duplicates.md)
on the entry list and the search; the list names who stamped each traveller."""


import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kordon.notices.models import Traveller
from kordon.posts.services import stamp_entry
from tests.conftest import traveller
from tests.posts.test_console_pages import logged_in

pytestmark = pytest.mark.django_db

CLASH = 'data-testid="clash-NX4HK2LP1"'


@pytest.fixture
def clashing(file_notice):
    """Anna's notice, and a stranger's for the same day giving Anna's passport number."""
    anna = file_notice()
    stranger = file_notice(travellers=[traveller(surname="Lindqvist", given_names="Per", date_of_birth="1975-05-05")])
    assert anna["reference"] != stranger["reference"]
    return anna, stranger


def test_the_entry_list_and_the_search_show_the_clash_on_both_travellers(clashing, officer, time_machine):
    time_machine.move_to(f"{clashing[0]['expected_date']}T09:00:00+06:00", tick=False)
    client: Client = logged_in(officer)
    listed = client.get("/post/").content.decode()
    assert listed.count(CLASH) == 2 and "Same passport on another notice." in listed
    found = client.get("/post/search/", {"q": "NX4HK2LP1"}).content.decode()
    assert found.count(CLASH) == 2


def test_no_clash_is_shown_for_a_passport_on_one_notice(file_notice, officer, time_machine):
    filed = file_notice()
    file_notice(travellers=[traveller(surname="Berg", given_names="Ola", document_number="NO1234567")])
    time_machine.move_to(f"{filed['expected_date']}T09:00:00+06:00", tick=False)
    client = logged_in(officer)
    assert "clash-" not in client.get("/post/").content.decode()
    assert "clash-" not in client.get("/post/search/", {"q": "NX4HK2LP1"}).content.decode()


def test_the_list_names_who_stamped_without_a_query_per_row(file_notice, officer, time_machine):
    first = file_notice()
    for n in range(6):
        file_notice(travellers=[traveller(surname=f"Berg{'abcdef'[n]}", given_names="Ola",
                                          document_number=f"NO12345{n:02d}")])
    time_machine.move_to(f"{first['expected_date']}T09:00:00+06:00", tick=False)
    client = logged_in(officer)
    stamp_entry(officer[0], officer[0].post, Traveller.objects.order_by("pk").first())
    with CaptureQueriesContext(connection) as one:
        assert client.get("/post/").status_code == 200
    for t in Traveller.objects.order_by("pk")[1:]:
        stamp_entry(officer[0], officer[0].post, t)
    with CaptureQueriesContext(connection) as seven:
        page = client.get("/post/").content.decode()
    assert page.count("· aibek") == 7
    assert len(seven) == len(one)
