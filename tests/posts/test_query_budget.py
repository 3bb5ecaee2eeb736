"""The hot endpoints at a post keep a fixed number of queries, however long the list."""

import pytest

from tests.conftest import traveller

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_day(file_notice):
    notices = [file_notice(travellers=[traveller(document_number=f"NX{i:07d}"), traveller(document_number=f"NY{i:07d}")],
                           vehicle={"plate": f"KG{i:03d}", "country": "KG", "kind": "car"})
               for i in range(10)]
    return notices


def test_the_entry_list_costs_the_same_for_ten_parties(api, officer, busy_day, django_assert_max_num_queries):
    # 4, the post's opening hours and closed dates, the document-clash look-up and the audit of the read
    with django_assert_max_num_queries(8):
        response = api.get("/posts/kg-bordobo/entry-list", officer[1], date=busy_day[0]["expected_date"])
    assert len(response.json()["entries"]) == 20


def test_a_stamp_takes_a_handful_of_queries(api, officer, busy_day, time_machine, django_assert_max_num_queries):
    time_machine.move_to(f"{busy_day[0]['expected_date']}T08:00:00+06:00", tick=False)
    body = {"reference": busy_day[3]["reference"], "document_number": "NX0000003"}
    with django_assert_max_num_queries(8):
        assert api.post("/posts/kg-bordobo/stamps", body, officer[1]).status_code == 201


def test_a_search_by_document_number_takes_a_handful_of_queries(api, officer, busy_day, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):  # 8, the document-clash look-up and the audit of the read
        found = api.get("/posts/kg-bordobo/search", officer[1], q="NY0000007").json()["entries"]
    assert [e["document_number"] for e in found] == ["NY0000007"]
