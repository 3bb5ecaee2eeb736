"""The seal on the traveller's pages, and the post console's scan box."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from kordon.audit.models import AuditEvent
from kordon.posts.models import Stamp
from kordon.seals.models import Seal
from kordon.seals.qr import decode_qr_image
from tests.conftest import Api, open_link, traveller
from tests.seals.conftest import check, current

pytestmark = pytest.mark.django_db


def logged_in(officer: Any) -> Client:
    client = Client()
    assert client.login(username=officer[0].user.username, password="correct-horse-9")
    return client


def status_url(client: Client, filed: dict[str, Any]) -> str:
    """Open the traveller's link in `client`; the notice's token-free page."""
    return open_link(client, filed)


# ---------------------------------------------------------------------------------------------
# The traveller


def test_the_status_page_shows_the_seal_with_print_and_phone_links(
    seal_authority: Any, file_notice: Any, client: Client
) -> None:
    filed = file_notice()
    url = status_url(client, filed)
    page = client.get(url).content.decode()
    assert 'data-testid="seal-qr"' in page
    image = client.get(url + "seal.png")
    assert image["Content-Type"] == "image/png"
    assert check(decode_qr_image(image.content)).valid
    assert f'href="{url}seal/"' in page
    assert f'href="{url}seal.png?size=phone"' in page
    assert filed["access_token"] not in page
    assert Client().get(url + "seal.png").status_code == 404  # a browser that never opened the link


def test_the_printable_page_is_a4_with_the_party(seal_authority: Any, file_notice: Any, client: Client) -> None:
    filed = file_notice()
    url = status_url(client, filed)
    page = client.get(url + "seal/").content.decode()
    assert "@page{size:A4 portrait" in page
    assert filed["display_reference"] in page and "ERIKSSON  ANNA MARIA" in page  # as the seal says
    assert f'src="{url}seal.png"' in page and f'href="{url}"' in page


def test_the_phone_image_downloads_and_fills_a_phone_screen(
    seal_authority: Any, file_notice: Any, client: Client
) -> None:
    filed = file_notice()
    response = client.get(status_url(client, filed) + "seal.png?size=phone")
    assert response["Content-Disposition"] == f'attachment; filename="seal-{filed["display_reference"]}.png"'
    width, height = Image.open(io.BytesIO(response.content)).size
    assert width == height and 900 <= width <= 1300
    assert check(decode_qr_image(response.content)).valid


def test_a_wrong_token_sees_no_seal(seal_authority: Any, file_notice: Any, client: Client) -> None:
    filed = file_notice()
    wrong = "Zm9yZ2VkLXRva2VuLW9mLXRoaXJ0eS10d28tYnl0ZXM"
    for suffix in ("seal/", "seal.png", "seal.png?size=phone"):
        assert client.get(f"/notices/{filed['reference']}/wrong-token/{suffix}").status_code == 404
        assert client.get(f"/notices/{filed['reference']}/{wrong}/{suffix}").status_code == 404
        assert client.get(f"/notices/{filed['reference']}/{suffix}").status_code == 404  # no cookie


def test_a_cancelled_notice_shows_no_seal(seal_authority: Any, file_notice: Any, client: Client, api: Api) -> None:
    filed = file_notice()
    api.post(f"/notices/{filed['reference']}/cancel", None, filed["access_token"])
    url = status_url(client, filed)
    assert 'data-testid="seal-qr"' not in client.get(url).content.decode()
    assert client.get(url + "seal.png").status_code == 404


def test_without_seals_the_status_page_still_works(file_notice: Any, client: Client) -> None:
    filed = file_notice()
    page = client.get(status_url(client, filed))
    assert page.status_code == 200
    assert "will appear here once it is issued" in page.content.decode()


# ---------------------------------------------------------------------------------------------
# The post console


def test_the_entry_list_has_a_scan_box_that_takes_a_long_line(officer: Any, crossing: Any) -> None:
    page = logged_in(officer).get("/post/").content.decode()
    box = re.search(r'<input id="seal-input"[^>]*>', page)
    assert box is not None
    assert 'maxlength="16384"' in box.group(0) and "autofocus" in box.group(0)
    assert "/static/seals/scan.js" in page


def test_a_genuine_seal_leads_to_the_party_ready_to_stamp(
    seal_authority: Any, file_notice: Any, officer: Any, time_machine: Any
) -> None:
    filed = file_notice(travellers=[traveller(), traveller(given_names="Lars", document_number="NX4HK2LP2")])
    time_machine.move_to(f"{filed['expected_date']}T09:00:00+06:00", tick=False)
    client = logged_in(officer)
    response = client.post("/post/scan/", {"seal": current(filed["reference"]).document + "\r\n"})
    assert response.status_code == 302
    assert response["Location"] == f"/post/scan/?ref={filed['reference']}"
    page = client.get(response["Location"]).content.decode()
    assert "Verified." in page and "ERIKSSON  LARS" in page
    assert 'data-testid="stamp-NX4HK2LP1"' in page and 'data-testid="stamp-NX4HK2LP2"' in page

    traveller_id = re.search(r'name="traveller" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    stamped = client.post("/post/stamp/", {"traveller": traveller_id, "next": response["Location"]})
    assert stamped["Location"] == response["Location"]
    again = client.get(response["Location"]).content.decode()
    assert Stamp.objects.count() == 1 and "Stamped" in again
    assert AuditEvent.objects.filter(action="seal.scanned", notice_reference=filed["reference"]).exists()


def test_the_verdict_needs_no_record_of_the_seal(
    seal_authority: Any, file_notice: Any, officer: Any, time_machine: Any
) -> None:
    filed = file_notice()
    scanned = current(filed["reference"]).document
    Seal.objects.all().delete()  # as at a post that never saw this seal: only the trust list counts
    time_machine.move_to(f"{filed['expected_date']}T09:00:00+06:00", tick=False)
    response = logged_in(officer).post("/post/scan/", {"seal": scanned})
    assert response.status_code == 302


@pytest.mark.parametrize(("mangle", "headline"), [
    (lambda seal: seal.replace("ERIKSSON", "ERIKSSEN"), "Forged or altered"),
    (lambda seal: "NX4HK2LP1", "This is not a kordon seal"),
    (lambda seal: seal[:200], "This is not a kordon seal"),
])
def test_a_forged_or_foreign_scan_is_shown_in_words(
    seal_authority: Any, file_notice: Any, officer: Any, mangle: Any, headline: str
) -> None:
    scanned = mangle(current(file_notice()["reference"]).document)
    response = logged_in(officer).post("/post/scan/", {"seal": scanned})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="errors" role="alert"' in page and headline in page
    assert "stamp-" not in page
    assert "JSON" not in page and "Expecting value" not in page  # no parser's words for the officer


def test_a_withdrawn_seal_tells_the_officer_to_search_by_passport(
    seal_authority: Any, file_notice: Any, officer: Any, api: Api
) -> None:
    filed = file_notice()
    scanned = current(filed["reference"]).document
    api.post(f"/notices/{filed['reference']}/cancel", None, filed["access_token"])
    page = logged_in(officer).post("/post/scan/", {"seal": scanned}).content.decode()
    assert "Revoked: this notice was moved to another date or cancelled" in page
    assert "search by passport number" in page.lower()


def test_a_seal_for_the_other_side_is_not_for_this_post(
    seal_authority: Any, file_notice: Any, tj_officer: Any, django_user_model: Any
) -> None:
    tj_officer[0].user.set_password("correct-horse-9")
    tj_officer[0].user.save()
    page = logged_in(tj_officer).post("/post/scan/", {"seal": current(file_notice()["reference"]).document})
    assert "Not for this post" in page.content.decode()


def test_a_party_is_shown_only_after_its_seal_was_verified_in_this_session(
    seal_authority: Any, file_notice: Any, officer: Any
) -> None:
    filed = file_notice()
    page = logged_in(officer).get(f"/post/scan/?ref={filed['reference']}").content.decode()
    assert "stamp-" not in page and "Scan the seal again" in page


def test_the_scan_page_needs_an_officer(client: Client, crossing: Any) -> None:
    assert client.get("/post/scan/").status_code == 302
