"""In Chromium, in each language: what the pages' scripts write is translated, and axe finds nothing.

The scripts (mrz.js, upload.js, scan.js, passport-photo.js) read their sentences from hidden blocks of
the page (notices/_mrz_text.html and the like); the expected texts here come from the catalogues, so
a sentence left in the script, or untranslated, fails.
"""

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, Route, expect

from kordon.crossings.models import ClosedDate, Crossing, Post
from kordon.notices.models import Notice
from kordon.payments.services import record_cash_payment
from kordon.payments.views import receipt_url
from kordon.posts.management.commands.demousers import DEMO_PASSWORD
from kordon.posts.models import Officer
from tests.browser.accessibility import assert_accessible
from tests.conftest import make_officer, notice_body
from tests.mrzlines import td3
from tests.seals.conftest import current, seal_authority, seal_key_passphrase  # noqa: F401 -- fixtures

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


# --- axe in each language, on every page -----------------------------------------------------------


@pytest.fixture
def demo_site(settings: Any, tmp_path: Any, api: Any, seal_authority: Any) -> dict[str, str]:  # noqa: F811
    """`make run`'s data (demo crossing with its holidays, officers, parties), sealed by the authorities of
    the suite, with a traveller's own notice and a receipt."""
    settings.DEBUG = True
    for command in (["loaddemo"], ["demousers"], ["demoparties"]):
        call_command(*command)
    settings.DEBUG = False
    kg = Post.objects.get(code="kg-bordobo")
    day = kg.local_today() + timedelta(days=6)
    while ClosedDate.objects.filter(date=day).exists():  # the demo has public holidays: file on an open day
        day += timedelta(days=1)
    response = api.post("/notices", notice_body(expected_date=day.isoformat()))
    assert response.status_code == 201, response.content
    filed = response.json()
    party = Notice.objects.filter(is_demo=True, direction__to_post=kg, expected_date=kg.local_today()).first()
    assert party is not None
    recorded = record_cash_payment(Officer.objects.get(user__username="officer"), kg, party.reference,
                                   party.fee_total, party.fee_currency, idempotency_key="axe-in-each-language")
    return {"reference": filed["reference"], "token": filed["access_token"],
            "receipt": receipt_url(recorded.receipt), "seal": current(party.reference).document,
            "tomorrow": (kg.local_today() + timedelta(days=1)).isoformat(), "crossing": str(Crossing.objects.get().pk),
            "post": str(kg.pk)}


class Checker:
    """Visits pages in one language and keeps what axe (or the language check) found, page by page."""

    def __init__(self, page: Page, base: str, language: str) -> None:
        self.page, self.base, self.language = page, base, language
        self.prefix = f"{base}/{language}"
        self.found: list[str] = []
        self.seen = 0
        self.console = False  # the console's pages send requests of their own after loading

    def check(self, what: str) -> None:
        self.seen += 1
        try:
            assert_accessible(self.page, language=self.language)
        except AssertionError as problem:
            self.found.append(f"[{self.language}] {what}: {problem}")

    def visit(self, path: str, prefixed: bool = True) -> None:
        if self.console:
            self.settle()
        self.page.goto((self.prefix if prefixed else self.base) + path)
        self.check(path)

    def settle(self) -> None:
        """Let the console's own requests (its offline list, every page load) finish before the next page:
        the suite's SQLite in memory locks a table per writer, and a page must not meet that lock."""
        self.page.wait_for_load_state("networkidle")


def log_in_as_admin(page: Page) -> None:
    page.fill("#id_username", "admin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")


def authenticator_code() -> str:
    """What the admin's authenticator app shows now."""
    device = TOTPDevice.objects.get(user__username="admin")
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():0{device.digits}d}"


def check_every_page(checker: Checker, site: dict[str, str], settings: Any) -> None:
    page = checker.page
    # Public pages.
    for path in ("/", "/crossings/kyzyl-art/", "/notices/new/?crossing=kyzyl-art", "/status/", "/notices/link/"):
        checker.visit(path)
    page.goto(checker.prefix + "/notices/new/?crossing=kyzyl-art")
    page.locator("p > button[value=add]").click()  # two travellers, each with a remove button
    checker.check("the form with two travellers")
    page.locator("p > button[value=file]").click()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    checker.check("the form's error summary")
    page.goto(checker.prefix + "/status/")
    page.fill("#id_reference", site["reference"])
    page.fill("#id_document_number", "NX4HK2LP1")
    page.fill("#id_date_of_birth", "1980-01-31")
    page.locator("main form button").click()
    expect(page.get_by_test_id("lookup-result")).to_be_visible()
    checker.check("the look-up's answer")

    # The traveller's pages: the link from the mail, the seal to print, a receipt.
    page.goto(f"{checker.prefix}/notices/{site['reference']}/{site['token']}/")
    expect(page.get_by_test_id("reference")).to_be_visible()
    checker.check("the notice's page")
    page.goto(page.url.split("?")[0].rstrip("/") + "/seal/")
    checker.check("the seal to print")
    checker.visit(site["receipt"])

    # The console, as the demo officer of the Kyrgyz post.
    page.goto(checker.prefix + "/post/login/")
    checker.check("/post/login/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", DEMO_PASSWORD)
    checker.settle()
    checker.console = True
    page.locator("#id_password").press("Enter")
    expect(page.locator("#seal-input")).to_be_visible()
    checker.check("today's list")
    for path in (f"/post/?date={site['tomorrow']}", "/post/search/?q=DEMO", "/post/exits/", "/post/between/",
                 "/post/review/"):
        checker.visit(path)
    checker.visit("/post/")
    checker.settle()
    page.fill("#seal-input", site["seal"])
    page.locator("#seal-input").press("Enter")
    expect(page.get_by_test_id("seal-verdict")).to_be_visible()
    checker.check("a scanned seal's verdict")
    checker.visit(site["receipt"] + "&back=/post/")

    # The admin and headquarters, as the demo's admin, with the second step of the login: the first
    # login enrols an authenticator, the next asks for its code.
    checker.settle()
    checker.console = False
    page.context.clear_cookies()
    settings.KORDON_SECOND_FACTOR = True
    TOTPDevice.objects.filter(user__username="admin").delete()
    admin = f"/{django_settings.KORDON_ADMIN_PATH}"
    page.goto(checker.prefix + admin + "login/")
    checker.check("the admin's login")
    log_in_as_admin(page)
    expect(page.locator("img[src^='data:image/svg']")).to_be_visible()
    checker.check("the second step's enrolment")
    page.fill("#id_code", authenticator_code())
    page.locator("main form button").click()
    expect(page.locator("#content")).to_be_visible()
    checker.check("the admin's index")
    page.context.clear_cookies()
    page.goto(checker.prefix + admin + "login/")
    log_in_as_admin(page)
    expect(page.locator("#id_code")).to_be_visible()
    checker.check("the second step's code")
    settings.KORDON_SECOND_FACTOR = False  # a code of this same half-minute would be refused as replayed
    for path in (f"{admin}crossings/crossing/{site['crossing']}/change/", f"{admin}crossings/post/{site['post']}/change/",
                 f"{admin}crossings/crossingchange/", "/hq/", "/hq/officers/new/", "/hq/intake/", "/hq/review/"):
        checker.visit(path)


def test_every_page_passes_axe_in_each_language(browser: Browser, live_server: Any, demo_site: dict[str, str],
                                                settings: Any) -> None:
    found, seen = [], {}
    for language in ("en", "ru", "ky", "tg"):
        # A phone. The offline console's service worker (tested in its own files) would keep fetching
        # the console in the background, where waiting for the page's requests cannot see it.
        context = browser.new_context(viewport={"width": 412, "height": 915}, locale="en-GB", service_workers="block")
        context.set_default_timeout(15_000)
        try:
            checker = Checker(context.new_page(), live_server.url, language)
            check_every_page(checker, demo_site, settings)
            found += checker.found
            seen[language] = checker.seen
        finally:
            context.close()
    assert found == [], f"{len(found)} pages with problems:\n" + "\n".join(found)
    assert len(set(seen.values())) == 1 and seen["en"] >= 25, seen  # the same pages in every language
