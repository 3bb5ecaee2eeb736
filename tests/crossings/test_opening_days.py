"""Posts have opening days: notices for a closed day are refused with the next open date; the
arrival window and the entry list count open days; the API and the pages show the hours."""

from datetime import date, time, timedelta

import pytest
from django.test import Client

from kordon.crossings.models import ClosedDate, OpeningHours, Post
from kordon.crossings.opening import PostCalendar
from kordon.notices.models import Notice
from tests.conftest import error_codes, kg_today, notice_body, open_link, traveller
from tests.notices.test_traveller_pages import form_data

pytestmark = pytest.mark.django_db


def next_weekday(weekday: int, after: date) -> date:
    day = after + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def close_weekends(post: Post) -> None:
    OpeningHours.objects.filter(post=post, weekday__in=[5, 6]).delete()


def test_the_api_gives_each_posts_opening_hours_and_closed_dates(api, crossing, kg_post):
    holiday = kg_today() + timedelta(days=20)
    ClosedDate.objects.create(post=kg_post, date=holiday, reason="Independence Day")
    ClosedDate.objects.create(post=kg_post, date=kg_today() - timedelta(days=3), reason="Gone by")
    close_weekends(kg_post)
    posts = {p["code"]: p for p in api.get("/crossings/kyzyl-art").json()["posts"]}
    kg = posts["kg-bordobo"]
    assert [h["weekday"] for h in kg["opening_hours"]] == ["monday", "tuesday", "wednesday", "thursday", "friday"]
    assert kg["opening_hours"][0] == {"weekday": "monday", "opens": "08:00", "closes": "17:00"}
    assert kg["closed_dates"] == [{"date": holiday.isoformat(), "reason": "Independence Day"}]
    assert len(posts["tj-kyzyl-art"]["opening_hours"]) == 7 and posts["tj-kyzyl-art"]["closed_dates"] == []


def test_a_notice_for_a_closed_date_is_refused_with_the_next_open_date(api, crossing, kg_post):
    holiday = kg_today() + timedelta(days=8)
    ClosedDate.objects.create(post=kg_post, date=holiday, reason="Independence Day")
    ClosedDate.objects.create(post=kg_post, date=holiday + timedelta(days=1), reason="Independence Day")
    response = api.post("/notices", notice_body(expected_date=holiday.isoformat()))
    assert response.status_code == 422
    assert error_codes(response) == [("expected_date", "post_closed")]
    message = response.json()["errors"][0]["message"]
    assert "Bordobo (Kyrgyz post) is closed on" in message and "Independence Day" in message
    assert (holiday + timedelta(days=2)).isoformat() in message
    assert Notice.objects.count() == 0


def test_a_notice_for_a_weekday_the_post_does_not_open_is_refused(api, crossing, kg_post):
    close_weekends(kg_post)
    saturday = next_weekday(5, kg_today() + timedelta(days=6))
    response = api.post("/notices", notice_body(expected_date=saturday.isoformat()))
    assert error_codes(response) == [("expected_date", "post_closed")]
    monday = saturday + timedelta(days=2)
    assert f"Saturday {saturday.isoformat()}" in response.json()["errors"][0]["message"]
    assert f"Monday {monday.isoformat()}" in response.json()["errors"][0]["message"]
    assert api.post("/notices", notice_body(expected_date=monday.isoformat())).status_code == 201


def test_only_the_receiving_post_decides(api, crossing, tj_post):
    close_weekends(tj_post)  # the Tajik post is where TJ-KG travellers leave, not where they are listed
    saturday = next_weekday(5, kg_today() + timedelta(days=6))
    assert api.post("/notices", notice_body(expected_date=saturday.isoformat())).status_code == 201
    response = api.post("/notices", notice_body(direction="KG-TJ", expected_date=saturday.isoformat(),
                                                travellers=[traveller(document_number="ZZ998877")]))
    assert error_codes(response) == [("expected_date", "post_closed")]


def test_moving_a_notice_to_a_closed_date_is_refused(api, file_notice, kg_post):
    notice = file_notice()
    holiday = kg_today() + timedelta(days=10)
    ClosedDate.objects.create(post=kg_post, date=holiday, reason="Nooruz")
    response = api.post(f"/notices/{notice['reference']}/amend", {"expected_date": holiday.isoformat()},
                        notice["access_token"])
    assert response.status_code == 422 and error_codes(response) == [("expected_date", "post_closed")]
    assert (holiday + timedelta(days=1)).isoformat() in response.json()["errors"][0]["message"]


def test_nobody_joins_a_party_whose_day_became_a_closed_day(api, file_notice, kg_post):
    notice = file_notice()
    ClosedDate.objects.create(post=kg_post, date=date.fromisoformat(notice["expected_date"]), reason="Closure")
    response = api.post(f"/notices/{notice['reference']}/travellers", traveller(document_number="NX4HK2LP2"),
                        notice["access_token"])
    assert response.status_code == 422 and error_codes(response) == [("traveller", "post_closed")]
    assert "Move this notice's date" in response.json()["errors"][0]["message"]


def test_the_filing_page_shows_post_closed_beside_the_date(client: Client, crossing, kg_post):
    holiday = kg_today() + timedelta(days=7)
    ClosedDate.objects.create(post=kg_post, date=holiday, reason="Victory Day")
    response = client.post("/notices/new/", form_data(expected_date=holiday.isoformat()))
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_expected_date_error"' in page and "Victory Day" in page
    assert (holiday + timedelta(days=1)).isoformat() in page
    assert Notice.objects.count() == 0


def test_the_status_page_refuses_a_move_to_a_closed_date(client: Client, file_notice, kg_post):
    notice = file_notice()
    holiday = kg_today() + timedelta(days=9)
    ClosedDate.objects.create(post=kg_post, date=holiday, reason="Labour Day")
    url = open_link(client, notice)
    response = client.post(url + "amend/", {"expected_date": holiday.isoformat()})
    assert response.status_code == 422 and "Labour Day" in response.content.decode()


def test_the_arrival_window_counts_open_days(api, crossing, kg_post, officer):
    close_weekends(kg_post)  # Kyzyl-Art: one day late is allowed
    friday = next_weekday(4, kg_today() + timedelta(days=6))
    notice = api.post("/notices", notice_body(expected_date=friday.isoformat())).json()
    monday = friday + timedelta(days=3)
    assert notice["arrival_window"] == [friday.isoformat(), monday.isoformat()]
    listed = {day: api.get("/posts/kg-bordobo/entry-list", officer[1], date=day.isoformat()).json()
              for day in (friday, friday + timedelta(days=1), monday, monday + timedelta(days=1))}
    assert [len(listed[d]["entries"]) for d in sorted(listed)] == [1, 0, 1, 0]
    saturday = listed[friday + timedelta(days=1)]
    assert saturday["post_open"] is False and saturday["next_open_date"] == monday.isoformat()
    assert listed[monday]["post_open"] is True


def test_a_party_whose_date_became_closed_may_arrive_on_the_next_open_day(api, file_notice, kg_post, officer):
    notice = file_notice()
    day = date.fromisoformat(notice["expected_date"])
    ClosedDate.objects.create(post=kg_post, date=day, reason="Closure")
    ClosedDate.objects.create(post=kg_post, date=day + timedelta(days=1), reason="Closure")
    refreshed = api.get(f"/notices/{notice['reference']}", notice["access_token"]).json()
    assert refreshed["arrival_window"] == [day.isoformat(), (day + timedelta(days=3)).isoformat()]
    on_list = api.get("/posts/kg-bordobo/entry-list", officer[1], date=(day + timedelta(days=3)).isoformat()).json()
    assert [e["reference"] for e in on_list["entries"]] == [notice["reference"]]


def test_a_post_without_published_hours_is_open_every_day(crossing, kg_post):
    OpeningHours.objects.filter(post=kg_post).delete()
    calendar = PostCalendar.of(kg_post)
    assert all(calendar.is_open(kg_today() + timedelta(days=n)) for n in range(7))


def test_the_console_says_the_post_is_closed_and_links_the_next_open_day(client: Client, officer, kg_post):
    close_weekends(kg_post)
    saturday = next_weekday(5, kg_today())
    client.login(username="aibek", password="correct-horse-9")
    page = client.get(f"/post/?date={saturday.isoformat()}").content.decode()
    assert 'data-testid="post-closed"' in page
    assert f"?date={(saturday + timedelta(days=2)).isoformat()}" in page


def test_opening_hours_must_close_after_they_open(kg_post):
    from django.core.exceptions import ValidationError

    hours = OpeningHours(post=kg_post, weekday=0, opens=time(17), closes=time(8))
    with pytest.raises(ValidationError):
        hours.full_clean(exclude=["post"], validate_unique=False)
