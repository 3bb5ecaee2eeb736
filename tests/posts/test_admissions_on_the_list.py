"""An admission counts on the list of the day it happened; the search card then says who was admitted."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client

from kordon.crossings.models import ClosedDate
from kordon.notices.models import Traveller
from kordon.posts.services import entry_list, stamp_entry
from tests.posts.test_console_pages import logged_in

pytestmark = pytest.mark.django_db


def stamped_count(page: str) -> str:
    return re.search(r"(\d+) stamped", page).group(1)


def test_an_early_admission_is_on_todays_list_not_only_the_listed_days(file_notice, supervisor, time_machine):
    notice = file_notice()
    listed_for = date.fromisoformat(notice["expected_date"])
    time_machine.move_to(f"{(listed_for - timedelta(days=8)).isoformat()}T09:00:00+06:00", tick=False)
    traveller = Traveller.objects.get()
    stamp_entry(supervisor[0], supervisor[0].post, traveller, reason="Pass closes for snow tomorrow")
    client: Client = logged_in(supervisor)

    today = client.get("/post/").content.decode()
    assert "ERIKSSON, Anna Maria" in today and "(admitted)" in today and "nurlan" in today
    assert stamped_count(today) == "1"
    on_listed_day = client.get(f"/post/?date={listed_for.isoformat()}").content.decode()
    assert "ERIKSSON" in on_listed_day and stamped_count(on_listed_day) == "0"


def test_after_an_admission_the_search_card_no_longer_warns_of_days_early(file_notice, supervisor, time_machine):
    notice = file_notice()
    listed_for = date.fromisoformat(notice["expected_date"])
    time_machine.move_to(f"{(listed_for - timedelta(days=8)).isoformat()}T09:00:00+06:00", tick=False)
    client = logged_in(supervisor)
    assert "8 days early" in client.get("/post/search/", {"q": "NX4HK2LP1"}).content.decode()
    stamp_entry(supervisor[0], supervisor[0].post, Traveller.objects.get(), reason="Pass closes for snow tomorrow")
    page = client.get("/post/search/", {"q": "NX4HK2LP1"}).content.decode()
    assert "days early" not in page and "Admitted" in page and "by nurlan" in page


def test_an_admission_on_a_closed_day_is_on_that_days_list(file_notice, supervisor, time_machine):
    notice = file_notice()
    post = supervisor[0].post
    closed = date.fromisoformat(notice["expected_date"]) - timedelta(days=3)
    ClosedDate.objects.create(post=post, date=closed, reason="Snow")
    time_machine.move_to(f"{closed.isoformat()}T09:00:00+06:00", tick=False)
    assert list(entry_list(post, closed)) == []
    traveller = Traveller.objects.get()
    stamp_entry(supervisor[0], post, traveller, reason="Rescue convoy let through")
    assert list(entry_list(post, closed)) == [traveller]
