"""In Chromium, in each language: what the pages' scripts write is translated, and axe finds nothing.

The scripts (mrz.js, upload.js, scan.js, passport-photo.js) read their sentences from hidden blocks of
the page (notices/_mrz_text.html and the like); the expected texts here come from the catalogues, so
a sentence left in the script, or untranslated, fails.
"""

import re
from datetime import date
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, Route, expect

from tests.browser.accessibility import assert_accessible
from tests.conftest import make_officer
from tests.mrzlines import td3

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ru(text: str, **values: object) -> str:
    """The Russian catalogue's text, with {name} filled in as the scripts do."""
    with translation.override("ru"):
        translated = gettext(text)
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), translated)


def test_the_mrz_scripts_messages_are_in_russian(page: Page, live_server: Any, crossing: Any) -> None:
    page.goto(live_server.url + "/ru/notices/new/?crossing=kyzyl-art")
    assert_accessible(page, "ru")
    line1, line2 = td3("DE VRIES", "VINCENT", "NLD", "NX4HK2LP2", date(1979, 3, 14), "M", date(2031, 5, 1))
    status = page.locator('[data-mrz-status-for="form-0"]')

    wrong = line2[:19] + str((int(line2[19]) + 1) % 10) + line2[20:]  # the date of birth's check digit
    page.fill("#id_form-0-mrz", f"{line1}\n{wrong}")
    expect(status).to_contain_text(ru(
        "The check digit of the {label} (line {line}, position {position}) is {found}, but should be {expected}. "
        "Check the {label} and its check digit for a typing mistake.",
        label=ru("date of birth"), line=2, position=20, found=wrong[19], expected=line2[19]))
    expect(status).to_contain_text(ru("It may be right once the other problems are fixed."))
    assert "check digit" not in status.inner_text()

    page.fill("#id_form-0-mrz", "V" + line1[1:] + "\n" + line2)
    expect(status).to_have_text(ru("This is a visa. Enter the MRZ of the passport or ID card instead."))
    page.fill("#id_form-0-mrz", f"{line1}\n{line2[:10]}é")
    expect(status).to_have_text(ru(
        "Line {line} has “{character}” at position {position}, but an MRZ has only the letters A-Z, "
        "the digits 0-9 and <.", line=2, character="É", position=11))

    page.fill("#id_form-0-mrz", f"{line1}\n{line2}")
    expect(status).to_have_text(ru("Read from the MRZ: the fields are filled in. Check them against the document."))
    expect(page.locator("#id_form-0-surname")).to_have_value("DE VRIES")
    assert_accessible(page, "ru")


def test_the_passport_photo_script_speaks_russian_and_asks_the_api_in_russian(
    page: Page, live_server: Any, crossing: Any, tmp_path: Any
) -> None:
    asked: list[str | None] = []

    def no_signal(route: Route) -> None:
        asked.append(route.request.headers.get("accept-language"))
        route.abort("internetdisconnected")

    page.route("**/api/v1/intake/passport", no_signal)
    page.goto(live_server.url + "/ru/notices/new/?crossing=kyzyl-art")
    photo = tmp_path / "passport.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    page.locator("#photo-form-0").set_input_files(photo)
    expect(page.locator('[data-passport-photo-status="form-0"]')).to_have_text(
        ru("The photo could not be sent. Check the connection and try again."))
    assert asked == ["ru"]  # the page's language, whatever the browser's (en-GB here)
    assert_accessible(page, "ru")


def test_the_upload_scripts_messages_are_in_russian(page: Page, live_server: Any, file_notice: Any,
                                                     tmp_path: Any) -> None:
    notice = file_notice()
    page.route("**/documents/", lambda route: route.abort("connectionreset"))  # the signal fails mid-upload
    page.goto(f"{live_server.url}/ru/notices/{notice['reference']}/{notice['access_token']}/")
    assert_accessible(page, "ru")
    form = page.locator(f'[data-slot="passport-{notice["travellers"][0]["id"]}"] form')
    photo = tmp_path / "passport.pdf"
    photo.write_bytes(b"%PDF-1.4\n%%EOF\n")
    form.locator('input[type="file"]').set_input_files(photo)
    form.get_by_role("button", name=ru("Send")).click()
    expect(form.locator("[data-error]")).to_have_text(ru(
        "The upload did not get through: the connection was lost or the server did not answer. "
        "Press “Try again” when you have signal; the file is kept."))
    expect(form.get_by_role("button", name=ru("Try again"))).to_be_visible()
    assert ru("Try again") in form.locator("[data-error]").inner_text()  # the message names the button
    assert_accessible(page, "ru")


# Chromium on Linux has no BarcodeDetector and the test machine no camera: the page gets a stand-in
# for both, a camera whose picture is a blank canvas (or none at all, once refused).
FAKE_CAMERA = """
if (navigator.mediaDevices) {  // pages of the live server (about:blank has none)
  window.BarcodeDetector = class {
    static getSupportedFormats() { return Promise.resolve(["qr_code"]); }
    detect() { return Promise.resolve([]); }
  };
  navigator.mediaDevices.getUserMedia = () => window.__refuseCamera
    ? Promise.reject(new DOMException("denied", "NotAllowedError"))
    : Promise.resolve(Object.assign(document.createElement("canvas"), {width: 64, height: 48}).captureStream());
}
"""


def test_the_scan_scripts_messages_are_in_russian(page: Page, live_server: Any, kg_post: Any) -> None:
    make_officer(kg_post, "aibek", password="correct-horse-9")
    page.add_init_script(FAKE_CAMERA)
    page.goto(live_server.url + "/ru/post/login/")
    assert_accessible(page, "ru")
    page.fill("#id_username", "aibek")
    page.fill("#id_password", "correct-horse-9")
    page.get_by_role("button", name=ru("Log in")).click()
    camera = page.locator("#seal-scan [data-camera]")
    expect(camera).to_have_text(ru("Camera"))
    assert_accessible(page, "ru")

    camera.click()
    expect(camera).to_have_text(ru("Stop camera"))
    camera.click()
    expect(camera).to_have_text(ru("Camera"))

    page.evaluate("() => { window.__refuseCamera = true; }")
    camera.click()
    expect(page.locator("#seal-scan [data-camera-hint]")).to_have_text(
        " " + ru("The camera is not available here: use the scanner or search by passport number."))
    expect(camera).to_have_text(ru("Camera"))
    assert_accessible(page, "ru")
