"""The web form is filled from a passport photo by the same reading: POST /api/v1/intake/passport."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.intake.photos import ANNA, landscape_photo, passport_photo, wrong_check_digit_photo
from tests.mrzlines import td3


def post(content: bytes | None):
    files = {"file": SimpleUploadedFile("p.jpg", content, "image/jpeg")} if content is not None else {}
    return Client().post("/api/v1/intake/passport", files)


def test_a_passport_photo_gives_its_checked_mrz_and_fields(db):
    answer = post(passport_photo(ANNA, blur=1.0))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["mrz"] == td3(*ANNA)
    assert (body["surname"], body["document_number"], body["date_of_birth"]) == ("ERIKSSON", "NX4HK2LP1", "1980-01-31")


def test_a_photo_without_a_passport_or_with_bad_check_digits_is_refused_with_the_reason(db):
    unreadable = post(landscape_photo())
    assert unreadable.status_code == 422
    assert unreadable.json()["errors"][0]["code"] == "mrz_unreadable"
    failing = post(wrong_check_digit_photo(ANNA))
    assert failing.status_code == 422 and failing.json()["errors"][0]["code"] == "mrz_check_digit"
    missing = post(None)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "file"
    garbage = post(b"not an image at all")
    assert garbage.status_code == 422 and garbage.json()["errors"][0]["field"] == "file"


def test_a_photo_taken_sideways_or_upside_down_is_read(db):
    for turn in (90, 180, 270):
        answer = post(passport_photo(ANNA, turn=turn))
        assert answer.status_code == 200, (turn, answer.content)
        assert answer.json()["mrz"] == td3(*ANNA)
