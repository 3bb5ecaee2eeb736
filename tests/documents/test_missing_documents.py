"""A notice shows which documents are still missing; the crossing decides which are required."""

from __future__ import annotations

from typing import Any

from django.test import Client

from kordon.crossings.models import Crossing
from tests.documents import samples
from tests.documents.conftest import api_upload, browser, page_url


def missing(notice: dict[str, Any]) -> list[tuple[str, int | None]]:
    response = Client().get(f"/api/v1/notices/{notice['reference']}/documents",
                            HTTP_AUTHORIZATION=f"Bearer {notice['access_token']}")
    assert response.status_code == 200
    return [(m["kind"], m["traveller_id"]) for m in response.json()["missing"]]


def test_at_kyzyl_art_a_party_with_a_vehicle_needs_passports_papers_and_a_photo(party: dict[str, Any]) -> None:
    first, second = (t["id"] for t in party["travellers"])
    assert missing(party) == [("passport", first), ("passport", second), ("vehicle_registration", None),
                              ("vehicle_photo", None)]


def test_a_party_on_foot_needs_only_passport_copies(walker: dict[str, Any]) -> None:
    assert missing(walker) == [("passport", walker["travellers"][0]["id"])]


def test_each_document_sent_leaves_the_list(party: dict[str, Any]) -> None:
    api_upload(party, samples.jpeg(), traveller=1)
    api_upload(party, samples.jpeg(), kind="vehicle_photo")
    assert missing(party) == [("passport", party["travellers"][0]["id"]), ("vehicle_registration", None)]
    api_upload(party, samples.jpeg())
    api_upload(party, samples.scan_pdf(), kind="vehicle_registration", content_type="application/pdf")
    assert missing(party) == []


def test_a_crossing_can_require_fewer_documents(party: dict[str, Any], crossing: Crossing) -> None:
    Crossing.objects.filter(pk=crossing.pk).update(require_vehicle_papers=False)
    assert [kind for kind, _ in missing(party)] == ["passport", "passport"]
    Crossing.objects.filter(pk=crossing.pk).update(require_passport_copies=False)
    assert missing(party) == []


def test_the_confirmation_page_asks_for_the_documents_first(party: dict[str, Any]) -> None:
    page = browser(party).get(page_url(party) + "?filed=1").content.decode()
    box = page[page.index('data-testid="documents-missing"'):]
    assert "Next: send your documents." in box
    assert "Passport copy of ERIKSSON, Anna Maria" in box and "Vehicle registration papers VX-123-B" in box
    assert page.count("data-document-upload") == 4
    assert page.count('enctype="multipart/form-data"') == 4  # plain forms: they work without the script
    assert "documents/upload.js" in page


def test_the_page_says_when_everything_has_arrived(walker: dict[str, Any]) -> None:
    api_upload(walker, samples.jpeg())
    page = browser(walker).get(page_url(walker)).content.decode()
    assert 'data-testid="documents-complete"' in page and "documents-missing" not in page
    assert "?variant=thumb" in page  # the traveller sees what was received


def test_a_form_upload_comes_back_to_the_page_with_a_thank_you(walker: dict[str, Any]) -> None:
    from tests.documents.conftest import form_upload

    client = Client()
    response = form_upload(walker, samples.jpeg(), client=client, follow=True)
    assert response.status_code == 200
    assert "Received: passport copy." in response.content.decode()


def test_a_cancelled_notice_asks_for_nothing(walker: dict[str, Any], api) -> None:
    api.post(f"/notices/{walker['reference']}/cancel", token=walker["access_token"])
    page = browser(walker).get(page_url(walker)).content.decode()
    assert "documents-missing" not in page and "data-document-upload" not in page
