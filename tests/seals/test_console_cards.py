"""The seal check shows a document clash (docs/duplicates.md) like the list and the search; after an
admission its card says who admitted and when, in the post's time, not the listing's warning."""

import re
from datetime import date, timedelta

import pytest

from kordon.notices.models import Traveller
from kordon.posts.services import stamp_entry
from tests.conftest import traveller
from tests.posts.test_console_clash import CLASH
from tests.posts.test_console_pages import logged_in
from tests.seals.conftest import current

pytestmark = pytest.mark.django_db


def test_the_seal_check_shows_the_clash(seal_authority, file_notice, officer, time_machine):
    anna = file_notice()
    file_notice(travellers=[traveller(surname="Lindqvist", given_names="Per", date_of_birth="1975-05-05")])
    time_machine.move_to(f"{anna['expected_date']}T09:00:00+06:00", tick=False)
    client = logged_in(officer)
    response = client.post("/post/scan/", {"seal": current(anna["reference"]).document})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Verified." in page and page.count(CLASH) == 1  # the scanned party only


def test_a_seal_scanned_after_an_early_admission_says_who_admitted_and_when_in_the_posts_time(
        seal_authority, file_notice, supervisor, time_machine):
    filed = file_notice()
    listed_for = date.fromisoformat(filed["expected_date"])
    # 23:10 UTC is 05:10 of the next day at Bordobo (UTC+6): the card shows the post's time.
    time_machine.move_to(f"{(listed_for - timedelta(days=9)).isoformat()}T23:10:00+00:00", tick=False)
    stamp_entry(supervisor[0], supervisor[0].post, Traveller.objects.get(), reason="Pass closes for snow tomorrow")
    time_machine.move_to(f"{listed_for.isoformat()}T09:00:00+06:00", tick=False)
    client = logged_in(supervisor)
    response = client.post("/post/scan/", {"seal": current(filed["reference"]).document})
    page = client.get(response["Location"]).content.decode()
    why = re.search(r'data-testid="why"><strong>([^<]*)</strong>', page).group(1)
    assert why.startswith("Admitted ") and why.endswith("by nurlan.") and "5:10" in why and "11:10" not in why
    assert 'data-testid="stamp-NX4HK2LP1"' not in page
