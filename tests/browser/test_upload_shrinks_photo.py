"""In Chromium: a traveller sends a large phone photo from the notice's page; the browser shrinks it
before sending, shows the progress, and a failed upload is sent again without choosing the file again.
Without JavaScript the same form still works and the server shrinks the photo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Request, Route, expect

from kordon.audit.models import AuditEvent
from kordon.documents.models import Document
from tests.browser.accessibility import assert_accessible
from tests.conftest import notice_body, traveller
from tests.documents import samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def notice(api: Any, crossing: Any) -> dict[str, Any]:
    body = notice_body(travellers=[traveller()], vehicle={"plate": "VX-123-B", "country": "NL", "kind": "camper"})
    response = api.post("/notices", body)
    assert response.status_code == 201, response.content
    return dict(response.json())


@pytest.fixture
def big_photo(tmp_path: Path) -> Path:
    """A 4000 x 3000 phone photo of several megabytes."""
    path = tmp_path / "IMG_20260801_101500.jpg"
    path.write_bytes(samples.noisy_jpeg((4000, 3000), 75))
    return path


@pytest.fixture
def uploads(page: Page) -> Iterator[list[Request]]:
    sent: list[Request] = []
    page.on("request", lambda request: sent.append(request) if request.method == "POST" and
            "/documents/" in request.url else None)
    yield sent


def open_status_page(page: Page, base_url: str, notice: dict[str, Any]) -> str:
    url = f"{base_url}/notices/{notice['reference']}/{notice['access_token']}/?filed=1"
    page.goto(url)
    expect(page.get_by_test_id("documents-missing")).to_contain_text("Next: send your documents.")
    assert_accessible(page)
    return url


def passport_form(page: Page, notice: dict[str, Any]) -> Any:
    return page.locator(f'[data-slot="passport-{notice["travellers"][0]["id"]}"] form')


def test_a_large_photo_is_shrunk_in_the_browser_before_it_is_sent(
    page: Page, live_server: Any, notice: dict[str, Any], big_photo: Path, uploads: list[Request]
) -> None:
    open_status_page(page, live_server.url, notice)
    # A weak mobile link (about 2 Mbit/s up), so the progress of the upload can be seen.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 100,
                                                   "downloadThroughput": -1, "uploadThroughput": 250_000})
    form = passport_form(page, notice)
    form.locator('input[type="file"]').set_input_files(big_photo)
    form.get_by_role("button", name="Send").click()
    expect(form.locator("progress")).to_be_visible()
    expect(form.locator("[data-progress-text]")).to_contain_text("Sending…")
    expect(page.get_by_role("status").filter(has_text="Received: passport copy")).to_be_visible(timeout=60_000)

    [request] = uploads
    sent_bytes = int(request.header_value("content-length") or 0)
    original = big_photo.stat().st_size
    document = Document.objects.get()
    # What crossed the wire was the shrunk JPEG (plus a few hundred bytes of form), not the original.
    assert document.received_size < sent_bytes < document.received_size + 2_000
    assert sent_bytes < original / 3, (sent_bytes, original)
    assert (document.width, document.height) == (2000, 1500)
    assert AuditEvent.objects.get(action="document.uploaded").data["received_size"] == document.received_size
    expect(page.locator(f'[data-slot="passport-{notice["travellers"][0]["id"]}"] img.thumb')).to_be_visible()
    assert_accessible(page)


def test_a_failed_upload_is_sent_again_without_choosing_the_file_again(
    page: Page, live_server: Any, notice: dict[str, Any], big_photo: Path, uploads: list[Request]
) -> None:
    open_status_page(page, live_server.url, notice)

    dropped: list[str] = []

    def drop_the_first(route: Route) -> None:
        if dropped:
            route.continue_()
        else:
            dropped.append(route.request.url)  # the signal fails once, mid-upload
            route.abort("connectionreset")

    page.route("**/documents/", drop_the_first)
    form = passport_form(page, notice)
    form.locator('input[type="file"]').set_input_files(big_photo)
    form.get_by_role("button", name="Send").click()
    retry = form.get_by_role("button", name="Try again")
    expect(retry).to_be_visible()
    expect(form.locator("[data-error]")).to_contain_text("the connection was lost")
    assert Document.objects.count() == 0

    retry.click()
    expect(page.get_by_role("status").filter(has_text="Received: passport copy")).to_be_visible(timeout=30_000)
    assert len(uploads) == 2  # the same prepared body, sent again
    assert uploads[0].header_value("content-length") == uploads[1].header_value("content-length")
    assert Document.objects.get().received_size < big_photo.stat().st_size / 3
    assert_accessible(page)


def test_a_refused_file_is_explained_beside_its_field(
    page: Page, live_server: Any, notice: dict[str, Any], tmp_path: Path
) -> None:
    open_status_page(page, live_server.url, notice)
    fake = tmp_path / "passport.pdf"
    fake.write_bytes(samples.encrypted(samples.blank_pdf(), "secret"))
    form = passport_form(page, notice)
    form.locator('input[type="file"]').set_input_files(fake)
    form.get_by_role("button", name="Send").click()
    expect(form.locator("[data-error]")).to_contain_text("protected by a password")
    expect(form.get_by_role("button", name="Try again")).to_be_hidden()


def test_without_javascript_the_form_still_works_and_the_server_shrinks(
    browser: Browser, live_server: Any, notice: dict[str, Any], big_photo: Path
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 412, "height": 915})
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/notices/{notice['reference']}/{notice['access_token']}/")
        form = passport_form(page, notice)
        form.locator('input[type="file"]').set_input_files(big_photo)
        form.get_by_role("button", name="Send").click()
        expect(page.get_by_role("status").filter(has_text="Received: passport copy")).to_be_visible()
    finally:
        context.close()
    document = Document.objects.get()
    assert document.received_size == big_photo.stat().st_size and (document.width, document.height) == (2000, 1500)
