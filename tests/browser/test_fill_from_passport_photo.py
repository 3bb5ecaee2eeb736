"""In Chromium: "Fill from a photo of the passport's data page" on the filing form reads the MRZ on the
server and fills the traveller's fields; a photo without a readable MRZ, or failing its check
digits, says why and fills nothing. The photos are drawn by the test in Debian's OCR-B font."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.intake.photos import ANNA, landscape_photo, passport_photo, wrong_check_digit_photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _photo(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_a_passport_photo_fills_the_travellers_fields(page: Page, live_server, crossing, tmp_path):
    page.goto(live_server.url + "/notices/new/?crossing=kyzyl-art")
    assert_accessible(page)
    page.set_input_files("#photo-form-0", _photo(tmp_path, "passport.jpg", passport_photo(ANNA, blur=1.0)))
    expect(page.locator("#id_form-0-surname")).to_have_value("ERIKSSON", timeout=60_000)  # OCR on a busy machine
    expect(page.locator("#id_form-0-given_names")).to_have_value("ANNA MARIA")
    expect(page.locator("#id_form-0-nationality")).to_have_value("NLD")
    expect(page.locator("#id_form-0-date_of_birth")).to_have_value("1980-01-31")
    expect(page.locator("#id_form-0-document_number")).to_have_value("NX4HK2LP1")
    expect(page.locator("#id_form-0-document_expiry")).to_have_value("2031-01-01")
    expect(page.locator("#id_form-0-sex")).to_have_value("F")
    expect(page.locator('[data-passport-photo-status="form-0"]')).to_have_text("")
    assert_accessible(page)


def test_an_unreadable_or_failing_photo_says_why_and_fills_nothing(page: Page, live_server, crossing, tmp_path):
    page.goto(live_server.url + "/notices/new/?crossing=kyzyl-art")
    assert_accessible(page)
    status = page.locator('[data-passport-photo-status="form-0"]')
    page.set_input_files("#photo-form-0", _photo(tmp_path, "road.jpg", landscape_photo()))
    expect(status).to_contain_text("No machine-readable lines found", timeout=60_000)
    page.set_input_files("#photo-form-0", _photo(tmp_path, "wrong.jpg", wrong_check_digit_photo(ANNA)))
    expect(status).to_contain_text("document number", timeout=60_000)
    expect(page.locator("#id_form-0-surname")).to_have_value("")
    expect(page.locator("#id_form-0-mrz")).to_have_value("")
    assert_accessible(page)
