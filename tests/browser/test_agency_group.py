"""In Chromium: an agency uploads a CSV of 12 travellers with two bad rows, fixes them, files the group,
pays once with the sandbox provider and sees 12 seals."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from kordon.agencies.models import Agency, Member
from kordon.notices.models import Notice
from kordon.payments.models import PaymentBatch, Receipt
from tests.agencies.conftest import NAMES
from tests.browser.accessibility import assert_accessible
from tests.conftest import kg_today
from tests.seals.conftest import seal_authority, seal_key_passphrase  # noqa: F401 -- fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def twelve_travellers(tmp_path):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["surname", "given_names", "nationality", "sex", "date_of_birth", "document_number",
                     "document_expiry", "email", "phone"])
    for n in range(12):
        birth = "1985-02-30" if n == 3 else "1985-02-03"  # row 4: no such day
        nationality = "XYZ" if n == 8 else "NLD"  # row 9: no such country
        writer.writerow(["Tourist", NAMES[n], nationality, "F", birth, f"AG{n:07d}", "2033-01-01",
                         f"t{n}@example.org", ""])
    path = tmp_path / "tour.csv"
    path.write_text(out.getvalue())
    return path


@pytest.mark.usefixtures("seal_authority")
def test_an_agency_files_a_group_from_a_csv_fixes_two_rows_pays_once_and_sees_12_seals(
        page: Page, live_server, crossing, settings, tmp_path):
    settings.KORDON_SANDBOX_PAYMENTS = True
    crossing.payment_providers = "cash,sandbox"
    crossing.save()
    agency = Agency.objects.create(name="Pamir Tours")
    user = get_user_model().objects.create_user("gulnara", password="correct-horse-9")
    Member.objects.create(agency=agency, user=user)
    base = live_server.url

    page.goto(base + "/agency/")
    expect(page.get_by_role("heading", name="Agency login")).to_be_visible()
    assert_accessible(page)
    page.fill("#id_username", "gulnara")
    page.fill("#id_password", "correct-horse-9")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Pamir Tours")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="File a group").click()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_test_id("template").click()
    assert download.value.suggested_filename == "kordon-group-template.csv"
    page.fill("#id_name", "Pamir loop, spring")
    page.fill("#id_expected_date", (kg_today() + timedelta(days=6)).isoformat())
    page.set_input_files("#id_file", twelve_travellers(tmp_path))
    page.get_by_role("button", name="Read and check the file").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_contain_text("Row 4, date_of_birth")
    expect(summary).to_contain_text("Row 9, nationality")
    expect(page.get_by_test_id("rows").locator("tbody tr")).to_have_count(12)
    assert Notice.objects.count() == 0  # nothing filed while any row is wrong
    assert_accessible(page)

    page.fill("#id_row-3-date_of_birth", "1985-02-28")
    page.fill("#id_row-8-nationality", "DEU")
    page.get_by_role("button", name="File the group").click()
    expect(page.get_by_test_id("group-count")).to_have_text("12 notices")
    assert Notice.objects.count() == 12
    assert_accessible(page)

    page.get_by_test_id("pay-sandbox").click()
    expect(page.get_by_test_id("sandbox-amount")).to_have_text("USD 180.00")
    assert_accessible(page)
    page.get_by_role("button", name="Pay USD 180.00").click()
    expect(page.get_by_test_id("receipt-number")).to_have_text(PaymentBatch.objects.get().receipt_number or "")
    expect(page.get_by_test_id("receipt-line")).to_have_count(12)
    assert_accessible(page)
    assert Receipt.objects.count() == 12 and set(Notice.objects.values_list("payment_status", flat=True)) == {"paid"}

    page.goto(base + "/agency/")
    assert_accessible(page)
    page.get_by_role("link", name="Pamir loop, spring").first.click()
    seals = page.get_by_test_id("seal")
    expect(seals).to_have_count(12)
    for i in range(12):  # every seal image loaded
        expect(seals.nth(i)).to_have_js_property("complete", True)
        assert seals.nth(i).evaluate("img => img.naturalWidth") > 0
    assert_accessible(page)
