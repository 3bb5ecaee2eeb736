"""Every bad file is refused with a 422 a traveller understands, through the API and the page's form,
and nothing of it is stored."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from kordon.audit.models import AuditEvent
from kordon.documents.models import Document
from tests.documents import samples
from tests.documents.conftest import api_upload, as_upload, form_upload, stored_files


def truncated_jpeg() -> bytes:
    whole = samples.noisy_jpeg((800, 600), 90)
    return whole[: len(whole) // 2]


def fifty_megabytes() -> bytes:
    return b"\xff\xd8\xff\xe0" + bytes(50 * 1024 * 1024)


BAD_FILES: list[Any] = [
    pytest.param(samples.html_named_jpg, "unsupported_type", "cannot accept this kind of file", id="jpg-that-is-html"),
    pytest.param(lambda: samples.png_declaring(100_000, 100_000), "corrupt_file", "too large to process",
                 id="png-decompression-bomb"),
    pytest.param(truncated_jpeg, "corrupt_file", "damaged or incomplete", id="truncated-jpeg"),
    pytest.param(lambda: b"", "corrupt_file", "The file is empty", id="zero-bytes"),
    pytest.param(fifty_megabytes, "file_too_large", "This file is 50.0 MB; the limit is 10 MB", id="fifty-megabytes"),
    pytest.param(lambda: samples.rewritten(samples.blank_pdf(), samples.with_open_action_js), "unsupported_type",
                 "contains scripts", id="pdf-with-javascript"),
    pytest.param(lambda: samples.encrypted(samples.blank_pdf(), "secret"), "unsupported_type",
                 "protected by a password or encrypted", id="encrypted-pdf"),
]


def assert_nothing_kept(document_dir: Path) -> None:
    assert Document.objects.count() == 0
    assert stored_files(document_dir) == []
    assert not AuditEvent.objects.filter(action="document.uploaded").exists()


@pytest.mark.parametrize(("make", "code", "words"), BAD_FILES)
def test_the_api_refuses_a_bad_file_with_a_422_naming_what_is_wrong(
    party: dict[str, Any], document_dir: Path, make: Callable[[], bytes], code: str, words: str
) -> None:
    response = api_upload(party, make(), name="passport.jpg")
    assert response.status_code == 422, response.content
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("file", code)
    assert words in error["message"]
    assert_nothing_kept(document_dir)


@pytest.mark.parametrize(("make", "code", "words"), BAD_FILES)
def test_the_form_shows_the_refusal_beside_the_field_it_came_from(
    party: dict[str, Any], document_dir: Path, make: Callable[[], bytes], code: str, words: str
) -> None:
    response = form_upload(party, make(), name="passport.jpg", traveller=1)
    assert response.status_code == 422
    page = response.content.decode()
    slot = page.index(f'data-slot="passport-{party["travellers"][1]["id"]}"')
    error = page.index('class="error"', slot)
    assert slot < error < page.index("</form>", slot)
    assert words in page[error:page.index("</p>", error)].replace("&#x27;", "'")
    assert_nothing_kept(document_dir)


def test_the_script_gets_the_refusal_as_json(party: dict[str, Any]) -> None:
    response = form_upload(party, samples.html_named_jpg(), HTTP_ACCEPT="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "unsupported_type"


def test_a_fifty_megabyte_upload_is_not_kept_beyond_the_limit_on_its_way_in(party: dict[str, Any], settings) -> None:
    settings.KORDON_UPLOAD_MAX_BYTES = 1024 * 1024
    response = api_upload(party, fifty_megabytes())
    assert response.status_code == 422
    assert "the limit is 1 MB" in response.json()["errors"][0]["message"]


def test_the_size_limit_is_configurable(party: dict[str, Any], settings) -> None:
    photo = samples.noisy_jpeg((1200, 900), 95)
    settings.KORDON_UPLOAD_MAX_BYTES = len(photo) - 1
    assert api_upload(party, photo).json()["errors"][0]["code"] == "file_too_large"
    settings.KORDON_UPLOAD_MAX_BYTES = len(photo)
    assert api_upload(party, photo).status_code == 201


@pytest.mark.parametrize("make", [samples.gif, lambda: b"PK\x03\x04" + bytes(40)], ids=["gif", "zip"])
def test_anything_but_jpeg_png_webp_or_pdf_is_an_unsupported_type(
    party: dict[str, Any], make: Callable[[], bytes]
) -> None:
    response = api_upload(party, make(), name="passport.jpg")
    assert response.json()["errors"][0]["code"] == "unsupported_type"


def test_a_wide_png_is_refused_before_it_can_exhaust_a_worker(party: dict[str, Any]) -> None:
    # A 12 MP PNG would take a worker past 150 MB to decode (it cannot be decoded at reduced scale);
    # a JPEG of the same size is fine.
    response = api_upload(party, samples.png_declaring(4000, 3000), name="scan.png", content_type="image/png")
    assert response.status_code == 422
    assert "megapixels" in response.json()["errors"][0]["message"]


def test_a_request_without_a_file_is_a_400(party: dict[str, Any]) -> None:
    response = Client().post(f"/api/v1/notices/{party['reference']}/documents", {"kind": "passport"},
                             HTTP_AUTHORIZATION=f"Bearer {party['access_token']}")
    assert response.status_code == 400
    assert response.json()["errors"][0] == {"field": None, "code": "invalid", "message": "This field is required."}


def test_a_passport_copy_must_say_whose_it_is(party: dict[str, Any]) -> None:
    body = {"kind": "passport", "traveller_id": "999999", "file": as_upload(samples.jpeg())}
    response = Client().post(f"/api/v1/notices/{party['reference']}/documents", body,
                             HTTP_AUTHORIZATION=f"Bearer {party['access_token']}")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "traveller_id" and str(party["travellers"][0]["id"]) in error["message"]


def test_a_party_on_foot_sends_no_vehicle_papers(walker: dict[str, Any]) -> None:
    response = api_upload(walker, samples.jpeg(), kind="vehicle_photo")
    assert response.status_code == 422
    assert "no vehicle" in response.json()["errors"][0]["message"]


def test_an_unknown_kind_is_a_400_naming_the_kinds(party: dict[str, Any]) -> None:
    response = api_upload(party, samples.jpeg(), kind="selfie")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "kind"


def test_a_cancelled_notice_takes_no_documents(party: dict[str, Any], api) -> None:
    api.post(f"/notices/{party['reference']}/cancel", token=party["access_token"])
    response = api_upload(party, samples.jpeg())
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "not_accepting"
