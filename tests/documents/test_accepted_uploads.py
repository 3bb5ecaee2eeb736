"""Accepted uploads are cleaned on the way in: metadata gone, photos upright and shrunk, PDFs kept
with a preview. Through the API and the page's form alike."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import ExifTags, Image

from kordon.audit.models import AuditEvent
from kordon.documents.models import Document
from kordon.documents.sanitize import PREVIEW_PX
from tests.documents import samples
from tests.documents.conftest import api_read, api_upload, form_upload, only_document, page_url, stored_files


def upload_through_api(notice: dict[str, Any], data: bytes) -> Document:
    response = api_upload(notice, data)
    assert response.status_code == 201, response.content
    return Document.objects.get(pk=response.json()["id"])


def upload_through_form(notice: dict[str, Any], data: bytes) -> Document:
    response = form_upload(notice, data)
    assert response.status_code == 302, response.content
    assert response["Location"] == page_url(notice) + "#documents"
    return only_document()


ROUTES = [pytest.param(upload_through_api, id="api"), pytest.param(upload_through_form, id="form")]
Upload = Callable[[dict[str, Any], bytes], Document]


def stored_image(notice: dict[str, Any], document: Document, **params: Any) -> Image.Image:
    response = api_read(notice, str(document.pk), **params)
    assert response.status_code == 200
    image = Image.open(io.BytesIO(response.content))
    image.load()
    return image


@pytest.mark.parametrize("upload", ROUTES)
def test_gps_coordinates_and_camera_details_are_gone_after_upload(party: dict[str, Any], upload: Upload) -> None:
    data = samples.gps_jpeg()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    document = upload(party, data)
    response = api_read(party, str(document.pk))
    image = Image.open(io.BytesIO(response.content))
    assert not image.getexif()
    assert b"KordonPhone" not in response.content and b"secret comment" not in response.content
    assert "icc_profile" not in image.info and "exif" not in image.info


@pytest.mark.parametrize("upload", ROUTES)
def test_a_sideways_phone_photo_is_upright_after_upload(party: dict[str, Any], upload: Upload) -> None:
    document = upload(party, samples.sideways_photo((400, 300)))
    image = stored_image(party, document).convert("RGB")
    assert image.size == (300, 400) == (document.width, document.height)
    red_top = image.getpixel((150, 5))
    grey_bottom = image.getpixel((150, 395))
    assert red_top[0] > 180 and red_top[1] < 80, red_top  # the edge painted red is now on top
    assert abs(grey_bottom[0] - 128) < 20, grey_bottom


@pytest.mark.parametrize("upload", ROUTES)
def test_a_large_photo_is_shrunk_to_2000_pixels_on_the_server(party: dict[str, Any], upload: Upload) -> None:
    document = upload(party, samples.noisy_jpeg((3000, 2250), 80))
    assert (document.width, document.height) == (2000, 1500)
    assert document.received_size > document.size


def test_the_api_answers_with_the_document_and_what_is_still_missing(party: dict[str, Any]) -> None:
    response = api_upload(party, samples.jpeg((640, 480)))
    assert response.status_code == 201
    body = response.json()
    document = Document.objects.get(pk=body["id"])
    assert body["kind"] == "passport" and body["content_type"] == "image/jpeg" and body["size"] == document.size
    assert body["traveller_id"] == party["travellers"][0]["id"]
    assert [(m["kind"], m["traveller_id"]) for m in body["missing"]] == [
        ("passport", party["travellers"][1]["id"]), ("vehicle_registration", None), ("vehicle_photo", None)]


def test_a_png_stays_png_and_a_webp_becomes_jpeg(party: dict[str, Any]) -> None:
    png = api_upload(party, samples.png_with_alpha_and_text(), name="scan.png", content_type="image/png").json()
    webp = api_upload(party, samples.webp(), kind="vehicle_photo", name="van.webp", content_type="image/webp").json()
    assert png["content_type"] == "image/png" and webp["content_type"] == "image/jpeg"
    assert api_read(party, png["id"])["Content-Type"] == "image/png"


def test_a_scanned_pdf_is_kept_as_sent_with_an_image_preview_of_its_first_page(party: dict[str, Any]) -> None:
    pdf = samples.scan_pdf()
    response = api_upload(party, pdf, kind="vehicle_registration", name="papers.pdf", content_type="application/pdf")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content_type"] == "application/pdf" and body["pages"] == 1
    assert api_read(party, body["id"]).content == pdf
    preview = Image.open(io.BytesIO(api_read(party, body["id"], preview=1).content))
    assert preview.format == "JPEG" and max(preview.size) <= PREVIEW_PX


def test_a_new_passport_copy_replaces_the_earlier_one(
    party: dict[str, Any], document_dir: Path, django_capture_on_commit_callbacks: Any
) -> None:
    first = api_upload(party, samples.jpeg(colour=samples.RED)).json()
    with django_capture_on_commit_callbacks(execute=True):
        second = api_upload(party, samples.jpeg(colour=samples.BLUE)).json()
    assert [str(pk) for pk in Document.objects.values_list("pk", flat=True)] == [second["id"]]
    assert len(stored_files(document_dir)) == 2  # the first copy's content and preview are gone
    event = AuditEvent.objects.filter(action="document.uploaded").first()
    assert event is not None and event.data["replaced"] == [first["id"]]


def test_vehicle_photos_may_be_several(party: dict[str, Any]) -> None:
    for colour in (samples.RED, samples.BLUE, samples.GREY):
        assert api_upload(party, samples.jpeg(colour=colour), kind="vehicle_photo").status_code == 201
    assert Document.objects.filter(kind="vehicle_photo").count() == 3


def test_every_upload_is_recorded_without_personal_data(party: dict[str, Any]) -> None:
    document = upload_through_api(party, samples.gps_jpeg())
    event = AuditEvent.objects.get(action="document.uploaded")
    assert event.actor == "traveller (access token)" and event.notice_reference == party["reference"]
    assert event.object_id == str(document.pk)
    assert event.data["kind"] == "passport" and event.data["received_size"] == len(samples.gps_jpeg())
    assert "Eriksson" not in str(event.data)


def test_an_officer_of_the_notices_post_may_send_a_document_too(party: dict[str, Any], officer) -> None:
    _, token = officer
    response = api_upload(party, samples.jpeg(), token=token)
    assert response.status_code == 201
    assert AuditEvent.objects.get(action="document.uploaded").actor == "user aibek"
