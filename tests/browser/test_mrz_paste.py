"""Pasting the passport's machine-readable lines fills the traveller's fields, or names the bad digit."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.mrzlines import td3

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pasted_mrz_lines_fill_the_travellers_fields(page: Page, live_server, crossing):
    lines = td3("DE VRIES", "VINCENT", "NLD", "NX4HK2LP2", date(1979, 3, 14), "M", date(2031, 5, 1))
    page.goto(live_server.url + "/notices/new/?crossing=kyzyl-art")
    assert_accessible(page)
    page.fill("#id_form-0-mrz", "\n".join(lines).lower())
    expect(page.locator("#id_form-0-surname")).to_have_value("DE VRIES")
    expect(page.locator("#id_form-0-given_names")).to_have_value("VINCENT")
    expect(page.locator("#id_form-0-nationality")).to_have_value("NLD")
    expect(page.locator("#id_form-0-date_of_birth")).to_have_value("1979-03-14")
    expect(page.locator("#id_form-0-document_number")).to_have_value("NX4HK2LP2")
    expect(page.locator("#id_form-0-document_expiry")).to_have_value("2031-05-01")
    expect(page.locator("#id_form-0-sex")).to_have_value("M")


def test_a_wrong_check_digit_is_named_by_line_and_position(page: Page, live_server, crossing):
    line1, line2 = td3("DE VRIES", "VINCENT", "NLD", "NX4HK2LP2", date(1979, 3, 14), "M", date(2031, 5, 1))
    wrong = line2[:19] + str((int(line2[19]) + 1) % 10) + line2[20:]  # the date of birth's check digit
    page.goto(live_server.url + "/notices/new/?crossing=kyzyl-art")
    assert_accessible(page)
    page.fill("#id_form-0-mrz", f"{line1}\n{wrong}")
    status = page.locator('[data-mrz-status-for="form-0"]')
    expect(status).to_contain_text("line 2")
    expect(status).to_contain_text("20")
