"""In Chromium: a reviewer logs in, takes the queue oldest first, accepts one notice and refuses another."""

import pytest
from playwright.sync_api import Page, expect

from kordon.notices.models import Notice
from kordon.review.models import Review, ReviewRules
from tests.browser.accessibility import assert_accessible
from tests.conftest import Api, notice_body, traveller
from tests.review.test_desk import make_reviewer
from tests.seals.conftest import seal_authority, seal_key_passphrase  # noqa: F401 -- fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("seal_authority")
def test_a_reviewer_accepts_one_notice_and_refuses_another(page: Page, live_server, crossing):
    ReviewRules.objects.create(crossing=crossing, nationalities="AFG")
    api = Api()
    refs = []
    for n, name in enumerate(["Ahmad", "Zahra"]):
        t = traveller(nationality="AFG", given_names=name, document_number=f"AF000000{n}")
        refs.append(api.post("/notices", notice_body(travellers=[t])).json()["reference"])
    make_reviewer()

    page.goto(live_server.url + "/admin/login/?next=/hq/review/")
    assert_accessible(page)
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", "correct-horse-9")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Notices to review")).to_be_visible()
    expect(page.get_by_test_id("queue-times")).to_contain_text("2 notices waiting")
    first, second = (Notice.objects.get(reference=r).display_reference for r in refs)
    rows = page.get_by_test_id("review-queue").locator("tbody tr")
    expect(rows.nth(0)).to_contain_text(first)
    expect(rows.nth(0)).to_contain_text("A nationality to look at")
    assert_accessible(page)

    page.get_by_role("link", name=first).click()
    expect(page.get_by_test_id("reasons")).to_contain_text("ERIKSSON, Ahmad")
    assert_accessible(page)
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_contain_text(f"Notice {first} accepted")
    expect(page.get_by_test_id("queue-times")).to_contain_text("1 notice waiting")
    assert_accessible(page)

    page.get_by_role("link", name=second).click()
    expect(page.get_by_test_id("reasons")).to_contain_text("ERIKSSON, Zahra")
    assert_accessible(page)
    page.get_by_role("button", name="Refuse").click()  # without a reason: refused, the page says why
    expect(page.get_by_role("status")).to_contain_text("Say why the notice is refused")
    assert_accessible(page)
    page.fill("#id_reason", "The passport is reported lost")
    page.get_by_role("button", name="Refuse").click()
    expect(page.get_by_role("status")).to_contain_text(f"Notice {second} refused")
    expect(page.get_by_test_id("review-queue")).to_contain_text("Nothing to review.")
    assert_accessible(page)

    assert Notice.objects.get(reference=refs[0]).status == "accepted"
    assert Notice.objects.get(reference=refs[1]).status == "cancelled"
    assert list(Review.objects.order_by("pk").values_list("decision", "note")) == [
        ("accepted", ""), ("refused", "The passport is reported lost")]
