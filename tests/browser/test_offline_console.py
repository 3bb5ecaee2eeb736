"""In Chromium: the post console keeps working with no connection — the day's list, seal checks,
stamps, a reload — and what the officer did reaches the server by itself when the link returns, with
the device's times. Two devices stamping one traveller offline make one stamp and one conflict.

The link is cut as the mountain cuts it: `set_offline` for the page, and every request to the server
aborted by the context's router, since `set_offline` does not stop the service worker's own fetches."""

import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.models import Session
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect

from kordon.notices.models import Traveller
from kordon.offline.models import DeviceEvent
from kordon.posts.models import Role, Stamp
from tests.conftest import Api, make_officer, traveller
from tests.seals.conftest import current, seal_key_passphrase, set_up_state  # noqa: F401 -- fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-9"
POST = "kg-bordobo"
ANNA, VINCENT, BAKYT, GULNARA = "NX4HK2LP1", "NX4HK2LP2", "AC1234567", "AC7654321"
BISHKEK = ZoneInfo("Asia/Bishkek")


@pytest.fixture
def today_list(crossing: Any, file_notice: Callable[..., dict[str, Any]], seal_key_passphrase: str,  # noqa: F811
               tmp_path: Path, time_machine: Any) -> dict[str, dict[str, Any]]:
    """Notices filed six days ago for today at the KG post (authorities set up then), one of them
    cancelled since; the clock then back to the real time, which the browser shares."""
    time_machine.move_to(datetime.now(UTC) - timedelta(days=6), tick=True)
    for country in ("KG", "TJ"):
        set_up_state(country, tmp_path)
    filed = {
        "party": file_notice(travellers=[traveller(), traveller(surname="de Vries", given_names="Vincent", sex="M",
                                                                document_number=VINCENT)]),
        "bakyt": file_notice(travellers=[traveller(surname="Toktogulov", given_names="Bakyt", sex="M",
                                                   nationality="FRA", document_number=BAKYT)]),
        "cancelled": file_notice(travellers=[traveller(surname="Rahimova", given_names="Gulnara",
                                                       nationality="DEU", document_number=GULNARA)]),
    }
    filed["cancelled"]["seal"] = current(filed["cancelled"]["reference"]).document
    cancelled = Api().post(f"/notices/{filed['cancelled']['reference']}/cancel", token=filed["cancelled"]["access_token"])
    assert cancelled.status_code == 200, cancelled.content
    time_machine.move_to(datetime.now(UTC) + timedelta(days=6), tick=True)  # back to the real time
    for officer in ("aibek", "cholpon"):
        make_officer(crossing.posts.get(code=POST), officer, password=PASSWORD)
    make_officer(crossing.posts.get(code=POST), "nurlan", Role.SUPERVISOR, password=PASSWORD)
    return filed


@pytest.fixture
def devices(browser: Browser) -> Iterator[Callable[[], BrowserContext]]:
    """New browser profiles ("devices") at the post: a phone in Kyrgyzstan's time zone."""
    made: list[BrowserContext] = []
    failures: list[str] = []
    in_flight: set[Request] = set()

    def device() -> BrowserContext:
        context = browser.new_context(viewport={"width": 412, "height": 915}, locale="en-GB",
                                      timezone_id="Asia/Bishkek")
        context.set_default_timeout(15_000)
        context.on("weberror", lambda error: failures.append(str(error.error)))
        context.on("request", lambda request: in_flight.add(request))
        context.on("requestfinished", lambda request: in_flight.discard(request))
        context.on("requestfailed", lambda request: in_flight.discard(request))
        made.append(context)
        return context

    yield device
    # The console syncs by itself: let the server finish what it was asked before the database is
    # emptied for the next test, and ask nothing more.
    for context in made:
        for page in context.pages:
            page.goto("about:blank")
    for _ in range(200):
        if not in_flight:
            break
        made[0].pages[0].wait_for_timeout(50)
    for context in made:
        context.close()
    time.sleep(2)  # a request the server had already accepted finishes before the database is emptied
    assert failures == [], "scripts of the console failed"


def log_in(context: BrowserContext, base: str, username: str) -> Page:
    page = context.new_page()
    page.goto(base + "/post/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#offline-status")).to_contain_text("list of")
    expect(page.locator("#offline-console[data-offline-ready]")).to_have_count(1)  # pages kept on the device
    return page


def cut(context: BrowserContext, base: str) -> None:
    context.set_offline(True)
    context.route(f"{base}/**", lambda route: route.abort("internetdisconnected"))


def restore(context: BrowserContext, base: str) -> None:
    context.unroute(f"{base}/**")
    context.set_offline(False)


def scan(page: Page, seal: str) -> None:
    page.fill("#seal-input", seal)
    page.keyboard.press("Enter")


def stamp_offline(page: Page, number: str) -> datetime:
    """Press the device's Stamp for a traveller shown; returns the time (UTC) just before."""
    before = datetime.now(UTC)
    page.get_by_test_id(f"offline-stamp-{number}").click()
    expect(page.get_by_role("status").first).to_contain_text("Stamped on this device")
    return before


def test_an_offline_post_checks_seals_stamps_and_sends_the_stamps_when_the_link_returns(
    live_server: Any, today_list: dict[str, dict[str, Any]], devices: Callable[[], BrowserContext]
) -> None:
    base, context = live_server.url, devices()
    page = log_in(context, base, "aibek")
    cut(context, base)
    expect(page.locator("#offline-status")).to_contain_text("No connection")

    page.fill("#q", BAKYT)
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#offline-results")).to_contain_text("Bakyt Toktogulov")
    first = stamp_offline(page, BAKYT)

    seal = current(today_list["party"]["reference"]).document
    scan(page, seal.replace("ERIKSSON", "ERIKSSEN"))
    expect(page.get_by_test_id("offline-seal-verdict")).to_contain_text("Forged or altered")
    expect(page.get_by_test_id(f"offline-stamp-{ANNA}")).to_have_count(0)
    scan(page, today_list["cancelled"]["seal"])
    expect(page.get_by_test_id("offline-seal-verdict")).to_contain_text("Revoked: this notice was moved to another date or cancelled")
    scan(page, seal)
    expect(page.get_by_test_id("offline-seal-verdict")).to_contain_text("Genuine (checked on this device)")
    second = stamp_offline(page, ANNA)
    expect(page.locator("#offline-status")).to_contain_text("2 events waiting to be sent")

    page.reload()  # still offline: the service worker's copy of the console, the list sealed in IndexedDB
    expect(page.locator("#offline-status")).to_contain_text("min old")  # locked, yet the list's age shows
    expect(page.locator("#offline-status")).to_contain_text("2 events waiting to be sent")
    page.fill("#offline-password", "not-my-password")
    page.keyboard.press("Enter")
    expect(page.locator("[data-unlock-problem]")).to_contain_text("does not open this device's list")
    page.fill("#offline-password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("#offline-results")).to_contain_text("Today's list on this device")
    expect(page.locator(f"[data-offline-entry]:has-text('{ANNA}')")).to_contain_text("waiting to be sent")
    expect(page.get_by_test_id(f"offline-stamp-{VINCENT}")).to_have_count(1)
    expect(page.locator("#offline-status")).to_contain_text("2 events waiting to be sent")
    assert Stamp.objects.count() == 0

    back = datetime.now(UTC)
    restore(context, base)
    expect(page.locator("#offline-status")).to_contain_text("0 events waiting to be sent", timeout=30_000)
    stamps = {s.traveller.document_number: s for s in Stamp.objects.select_related("traveller")}
    assert set(stamps) == {BAKYT, ANNA}
    for number, pressed in ((BAKYT, first), (ANNA, second)):  # stamped when pressed, not when received
        assert pressed - timedelta(seconds=1) <= stamps[number].at <= pressed + timedelta(seconds=5)
        assert stamps[number].at < back <= DeviceEvent.objects.get(stamp=stamps[number]).received_at
    assert stamps[ANNA].officer.user.username == "aibek"


def test_what_the_device_keeps_is_sealed(live_server: Any, today_list: dict[str, dict[str, Any]],
                                         devices: Callable[[], BrowserContext]) -> None:
    page = log_in(devices(), live_server.url, "aibek")
    kept = page.evaluate("""async () => {
      const open = await new Promise((ok) => { const r = indexedDB.open("kordon-offline"); r.onsuccess = () => ok(r.result); });
      const text = [];
      for (const store of open.objectStoreNames) {
        const records = await new Promise((ok) => { const r = open.transaction(store).objectStore(store).getAll(); r.onsuccess = () => ok(r.result); });
        for (const record of records) for (const value of Object.values(record)) {
          text.push(value instanceof ArrayBuffer || ArrayBuffer.isView(value) ? new TextDecoder().decode(value) : JSON.stringify(value));
        }
      }
      const cache = await caches.open("kordon-console-v1");
      for (const request of await cache.keys()) text.push(await (await cache.match(request)).text());
      return {stores: Array.from(open.objectStoreNames), text: text.join("\\n")};
    }""")
    assert "data" in kept["stores"] and "Entry list" in kept["text"]  # the list and the console page are there...
    for personal in ("Eriksson", "ERIKSSON", ANNA, "Toktogulov", BAKYT, today_list["party"]["reference"]):
        assert personal not in kept["text"]  # ...but nothing personal can be read without the key


def test_two_devices_stamping_one_traveller_offline_make_one_stamp_and_a_conflict(
    live_server: Any, today_list: dict[str, dict[str, Any]], devices: Callable[[], BrowserContext]
) -> None:
    base = live_server.url
    contexts = [devices(), devices()]
    pages = [log_in(context, base, name) for context, name in zip(contexts, ("aibek", "cholpon"), strict=True)]
    for context, page in zip(contexts, pages, strict=True):
        cut(context, base)
        page.fill("#q", BAKYT)
        page.get_by_role("button", name="Search").click()
        stamp_offline(page, BAKYT)
    for context, page in zip(contexts, pages, strict=True):
        restore(context, base)
        expect(page.locator("#offline-status")).to_contain_text("0 events waiting to be sent", timeout=30_000)

    assert Stamp.objects.filter(traveller=Traveller.objects.get(document_number=BAKYT)).count() == 1
    expect(pages[1].locator("#offline-results")).to_contain_text("had already been stamped from another device")

    supervisor = log_in(devices(), base, "nurlan")
    supervisor.goto(base + "/post/review/")
    expect(supervisor.locator("main")).to_contain_text(BAKYT)


def test_an_ended_session_keeps_the_outbox_until_the_officer_logs_in_again(
    live_server: Any, today_list: dict[str, dict[str, Any]], devices: Callable[[], BrowserContext]
) -> None:
    base, context = live_server.url, devices()
    page = log_in(context, base, "aibek")
    cut(context, base)
    page.fill("#q", BAKYT)
    page.get_by_role("button", name="Search").click()
    stamp_offline(page, BAKYT)

    Session.objects.all().delete()  # the shift's session ends while the post is offline
    restore(context, base)
    expect(page.locator("#offline-status")).to_contain_text("log in again", timeout=30_000)
    expect(page.locator("#offline-status")).to_contain_text("1 event waiting to be sent")
    assert not Stamp.objects.exists()

    page.goto(base + "/post/")  # the login page: the list goes, the outbox stays (sealed)
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    kept = page.evaluate("""async () => {
      const db = await new Promise((ok) => { const r = indexedDB.open("kordon-offline"); r.onsuccess = () => ok(r.result); });
      const count = (store) => new Promise((ok) => { const r = db.transaction(store).objectStore(store).count(); r.onsuccess = () => ok(r.result); });
      return {data: await count("data"), keys: await count("keys"), outbox: await count("outbox")};
    }""")
    assert kept == {"data": 0, "keys": 0, "outbox": 1}
    page.fill("#id_username", "aibek")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#offline-status")).to_contain_text("0 events waiting to be sent", timeout=30_000)
    assert Stamp.objects.get().traveller.document_number == BAKYT


def test_the_departing_post_registers_an_exit_offline_with_the_permits_handed_back(
    live_server: Any, crossing: Any, today_list: dict[str, dict[str, Any]], devices: Callable[[], BrowserContext]
) -> None:
    base, context = live_server.url, devices()
    make_officer(crossing.posts.get(code="tj-kyzyl-art"), "farrukh", password=PASSWORD)
    page = log_in(context, base, "farrukh")
    page.goto(base + "/post/exits/")
    expect(page.locator("#offline-console[data-offline-ready]")).to_have_count(1)
    cut(context, base)
    page.fill("#q", ANNA)
    page.get_by_role("button", name="Search").click()
    card = page.locator(f"[data-offline-entry]:has-text('{ANNA}')")
    card.get_by_label("GBAO special permit").check()
    page.get_by_test_id(f"offline-exit-{ANNA}").click()
    expect(page.get_by_role("status").first).to_contain_text("Exit registered on this device")

    page.reload()
    page.fill("#offline-password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator(f"[data-offline-entry]:has-text('{ANNA}')")).to_contain_text("waiting to be sent")
    restore(context, base)
    expect(page.locator("#offline-status")).to_contain_text("0 events waiting to be sent", timeout=30_000)
    exit = Stamp.objects.get(kind="exit")
    assert (exit.traveller.document_number, exit.permits_returned, exit.permits_outstanding) == (
        ANNA, ["gbao"], ["personal"])


def test_a_notice_cancelled_after_the_list_was_fetched_is_refused_offline_on_a_console_in_russian(
    live_server: Any, today_list: dict[str, dict[str, Any]], devices: Callable[[], BrowserContext]
) -> None:
    """pretixSCAN keeps a cancelled ticket valid offline; here the next sync withdraws it. And the
    service worker keeps /ru/post/ pages as it keeps /post/ ones."""
    base, context = live_server.url, devices()
    page = log_in(context, base, "aibek")
    party = today_list["party"]
    seal = current(party["reference"]).document
    cancelled = Api().post(f"/notices/{party['reference']}/cancel", token=party["access_token"])
    assert cancelled.status_code == 200, cancelled.content
    with page.expect_response(lambda response: "/sync?since=" in response.url and response.ok):
        page.goto(base + "/ru/post/")  # the page load syncs: the delta removes the party, withdraws its seal
    expect(page.locator("#offline-console[data-offline-ready]")).to_have_count(1)
    scope = page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r && r.scope)")
    assert scope == base + "/ru/post/"

    cut(context, base)
    page.reload()  # the Russian page, from the device
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.fill("#offline-password", PASSWORD)
    page.keyboard.press("Enter")
    with translation.override("ru"):
        today, withdrawn = gettext("Today's list on this device"), gettext(
            "Revoked: this notice was moved to another date or cancelled. Search by passport number for the "
            "traveller's current notice; do not admit on this seal.")
        sent = gettext("{count} events waiting to be sent").replace("{count}", "0")
    expect(page.locator("#offline-results")).to_contain_text(today)
    expect(page.locator("[data-offline-entry]")).to_have_count(1)  # Bakyt: the party left the list
    expect(page.get_by_test_id(f"offline-stamp-{BAKYT}")).to_have_count(1)

    page.fill("#q", ANNA)
    page.locator("#q").press("Enter")
    expect(page.locator("#offline-results h2")).to_contain_text(ANNA)
    expect(page.locator("[data-offline-entry]")).to_have_count(0)
    scan(page, seal)
    verdict = page.get_by_test_id("offline-seal-verdict")
    expect(verdict).to_have_text(withdrawn)
    expect(verdict).to_have_class("errors")
    expect(page.locator("[data-offline-entry]")).to_have_count(0)  # nothing to stamp on it

    page.fill("#q", BAKYT)
    page.locator("#q").press("Enter")
    page.get_by_test_id(f"offline-stamp-{BAKYT}").click()
    expect(page.locator("#offline-status[data-waiting='1']")).to_have_count(1)
    restore(context, base)
    expect(page.locator("#offline-status")).to_contain_text(sent, timeout=30_000)
    assert [s.traveller.document_number for s in Stamp.objects.select_related("traveller")] == [BAKYT]


def test_a_day_offline_the_console_keeps_working_and_what_was_done_reaches_the_server_with_its_times(
    live_server: Any, today_list: dict[str, dict[str, Any]], devices: Callable[[], BrowserContext]
) -> None:
    """The device's clock runs from early this morning; the link is cut all day (every retry fails);
    the list's age and the waiting events show throughout; back online, both stamps arrive with the
    times they were made, hours apart."""
    base, context = live_server.url, devices()
    now = datetime.now(BISHKEK)
    morning = max(now.replace(hour=0, minute=5, second=0, microsecond=0), now - timedelta(hours=10))
    context.clock.install(time=morning)
    page = log_in(context, base, "aibek")
    cut(context, base)
    page.fill("#q", BAKYT)
    page.get_by_role("button", name="Search").click()
    page.get_by_test_id(f"offline-stamp-{BAKYT}").click()
    expect(page.locator("#offline-status")).to_contain_text("1 event waiting to be sent")

    day = now - morning - timedelta(minutes=2)  # the device's clock reaches the real time, less two minutes
    context.clock.fast_forward(int(day.total_seconds() * 1000))
    context.clock.fast_forward(31_000)  # the console's timer: it tries to send, fails, redraws
    minutes = round((day + timedelta(seconds=31)).total_seconds() / 60)
    expect(page.locator("#offline-status")).to_contain_text(
        re.compile(rf"No connection.*({minutes - 1}|{minutes}|{minutes + 1}) min old.*1 event waiting"))
    page.fill("#q", ANNA)
    page.get_by_role("button", name="Search").click()
    page.get_by_test_id(f"offline-stamp-{ANNA}").click()
    expect(page.locator("#offline-status")).to_contain_text("2 events waiting to be sent")
    assert not Stamp.objects.exists()

    restore(context, base)
    expect(page.locator("#offline-status")).to_contain_text("0 events waiting to be sent", timeout=30_000)
    stamps = {s.traveller.document_number: s.at for s in Stamp.objects.select_related("traveller")}
    assert set(stamps) == {BAKYT, ANNA}
    assert abs(stamps[BAKYT] - morning) < timedelta(minutes=1)
    assert abs(stamps[ANNA] - (morning + day + timedelta(seconds=31))) < timedelta(minutes=1)
    received = DeviceEvent.objects.get(stamp__traveller__document_number=BAKYT).received_at
    assert received - stamps[BAKYT] >= day - timedelta(minutes=1)  # both times kept: made, and received
