"""In Chromium: an agency's manager issues an API token (shown once) and revokes it."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from kordon.agencies.models import Agency, Member, Token
from tests.browser.accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_issues_and_revokes_a_token(page: Page, live_server, crossing):
    agency = Agency.objects.create(name="Pamir Tours")
    user = get_user_model().objects.create_user("aziza", password="correct-horse-9")
    Member.objects.create(agency=agency, user=user, role="manager")
    page.goto(live_server.url + "/agency/tokens/")
    assert_accessible(page)
    page.fill("#id_username", "aziza")
    page.fill("#id_password", "correct-horse-9")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="API tokens", exact=True)).to_be_visible()
    assert_accessible(page)
    page.fill("#id_name", "booking system")
    page.get_by_label("Pay notices").uncheck()
    page.get_by_role("button", name="Issue the token").click()
    expect(page.get_by_test_id("raw-token")).not_to_be_empty()
    assert_accessible(page)
    assert Token.objects.get(name="booking system").scopes == ["file", "read"]
    page.get_by_role("button", name="Revoke booking system").click()
    expect(page.get_by_test_id("token-booking system")).to_contain_text("Revoked")
    assert_accessible(page)
    assert Token.objects.get(name="booking system").revoked_at is not None
