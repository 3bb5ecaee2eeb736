"""The departing post's console pages: exit list, search, exit with permits, refusal; the road page."""

import pytest
from django.test import Client

from kordon.posts.models import Refusal, Stamp
from tests.conftest import make_officer, traveller

pytestmark = pytest.mark.django_db


@pytest.fixture
def party(file_notice):
    return file_notice(travellers=[traveller(), traveller(given_names="Lars", sex="M", document_number="NX4HK2LP2")])


def console(post, username):
    make_officer(post, username, password="correct-horse-9")
    client = Client()
    assert client.login(username=username, password="correct-horse-9")
    return client


def test_the_tajik_post_registers_an_exit_with_a_permit_kept(party, tj_post, time_machine):
    time_machine.move_to(f"{party['expected_date']}T08:00:00+05:00", tick=False)
    client = console(tj_post, "farrukh")
    page = client.get("/post/exits/").content.decode()
    assert 'data-testid="exit-NX4HK2LP1"' in page and "GBAO special permit" in page
    from kordon.notices.models import Traveller

    traveller_id = Traveller.objects.get(document_number="NX4HK2LP1").pk
    response = client.post("/post/exit/", {"traveller": traveller_id, "permit": ["gbao"], "next": "/post/exits/"},
                           follow=True)
    text = response.content.decode()
    assert "Not handed back: personal" in text
    assert 'data-testid="outstanding-NX4HK2LP1"' in text and "Personal permit" in text
    assert Stamp.objects.get().permits_outstanding == ["personal"]


def test_exit_search_and_refusal_at_the_departing_post(party, tj_post, time_machine):
    from kordon.notices.models import Traveller

    time_machine.move_to(f"{party['expected_date']}T08:00:00+05:00", tick=False)
    client = console(tj_post, "farrukh")
    found = client.get("/post/exits/", {"q": "NX4HK2LP2"}).content.decode()
    assert 'data-testid="exit-row-NX4HK2LP2"' in found and 'data-testid="exit-row-NX4HK2LP1"' not in found
    lars = Traveller.objects.get(document_number="NX4HK2LP2")
    client.post("/post/refuse/", {"traveller": lars.pk, "kind": "exit", "reason": "Unpaid fines"})
    assert Refusal.objects.get().traveller == lars


def test_the_receiving_post_cannot_exit_the_tajik_posts_travellers(party, kg_post, time_machine):
    from kordon.notices.models import Traveller

    time_machine.move_to(f"{party['expected_date']}T08:00:00+05:00", tick=False)
    client = console(kg_post, "aibek")
    assert 'data-testid="exit-NX4HK2LP1"' not in client.get("/post/exits/").content.decode()
    client.post("/post/exit/", {"traveller": Traveller.objects.get(document_number="NX4HK2LP1").pk})
    assert not Stamp.objects.exists()


def test_the_road_page_and_the_nav(party, kg_post):
    client = console(kg_post, "aibek")
    page = client.get("/post/between/").content.decode()
    assert "Nobody is between the posts." in page and 'href="/post/exits/"' in page
