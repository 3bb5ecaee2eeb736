"""Seals over JSON: who may read a notice's seal, the public trust list, and verifying a scan."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest

from kordon.notices.models import Notice, NoticeStatus
from kordon.seals.authority import load_certificate, load_crl
from kordon.seals.vdsnc import REVOKED_SEALS_TYPE, parse_seal, verify_revoked_seals
from tests.conftest import Api, traveller
from tests.seals.conftest import current

pytestmark = pytest.mark.django_db


def test_the_traveller_reads_the_seal_as_json(seal_authority: Any, file_notice: Any, api: Api) -> None:
    filed = file_notice()
    response = api.get(f"/notices/{filed['reference']}/seal", filed["access_token"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    seal = parse_seal(response.content)
    assert set(seal) == {"data", "sig"} and set(seal["sig"]) == {"alg", "cer", "sigvl"}
    assert seal["sig"]["alg"] == "ES256"
    assert response.content.decode() == current(filed["reference"]).document


def test_the_displayed_reference_works_too(seal_authority: Any, file_notice: Any, api: Api) -> None:
    filed = file_notice()
    response = api.get(f"/notices/{filed['display_reference']}/seal.png", filed["access_token"])
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")


@pytest.mark.parametrize("suffix", ["seal", "seal.png"])
def test_strangers_are_told_nothing(seal_authority: Any, file_notice: Any, api: Api, suffix: str) -> None:
    filed, other = file_notice(), file_notice(travellers=[traveller(document_number="XY1234567")])
    path = f"/notices/{filed['reference']}/{suffix}"
    for token in (None, "not-a-token", other["access_token"]):
        response = api.get(path, token)
        assert response.status_code == 404
        assert response.json()["errors"][0]["code"] == "not_found"


def test_officers_of_both_posts_read_the_seal(
    seal_authority: Any, file_notice: Any, api: Api, officer: Any, tj_officer: Any
) -> None:
    filed = file_notice()
    for _, token in (officer, tj_officer):
        assert api.get(f"/notices/{filed['reference']}/seal", token).status_code == 200


def test_no_seal_until_the_notice_is_accepted(seal_authority: Any, file_notice: Any, api: Api) -> None:
    filed = file_notice()
    notice = Notice.objects.get(reference=filed["reference"])
    notice.seals.all().delete()
    Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.UNDER_REVIEW)
    response = api.get(f"/notices/{filed['reference']}/seal", filed["access_token"])
    assert response.status_code == 404
    assert "issued while a notice is accepted" in response.json()["errors"][0]["message"]


def test_the_trust_list_holds_what_an_offline_post_needs(seal_authority: Any, file_notice: Any, api: Api) -> None:
    filed = file_notice()
    withdrawn = current(filed["reference"]).seal_id
    api.post(f"/notices/{filed['reference']}/cancel", None, filed["access_token"])

    response = api.get("/seals/trust-list")  # public: no token
    assert response.status_code == 200
    body = response.json()
    assert {"roots", "revocation_list", "revoked_seals", "revoked_seals_signed"} <= set(body)
    roots = [load_certificate(base64.b64decode(root["certificate"])) for root in body["roots"]]
    for root, entry in zip(roots, body["roots"], strict=True):
        assert entry["sha256"] == hashlib.sha256(base64.b64decode(entry["certificate"])).hexdigest()
        assert load_crl(base64.b64decode(entry["revocation_list"])).issuer == root.subject
    assert sorted(entry["country"] for entry in body["roots"]) == ["KG", "TJ"]
    assert body["revocation_list"] == body["roots"][0]["revocation_list"]
    assert body["revoked_seals"] == [withdrawn]
    assert body["revoked_seals_signed"]["data"]["hdr"]["t"] == REVOKED_SEALS_TYPE
    assert verify_revoked_seals(body["revoked_seals_signed"], roots) == [withdrawn]


def test_an_empty_trust_list_is_still_well_formed(crossing: Any, api: Api) -> None:
    body = api.get("/seals/trust-list").json()
    assert (body["roots"], body["revocation_list"], body["revoked_seals"]) == ([], None, [])


def test_an_officer_verifies_a_scanned_seal_and_gets_the_party(
    seal_authority: Any, file_notice: Any, api: Api, officer: Any, django_assert_max_num_queries: Any
) -> None:
    filed = file_notice()
    scanned = current(filed["reference"]).document
    with django_assert_max_num_queries(12):
        response = api.post("/posts/kg-bordobo/seals/verify", {"seal": scanned}, officer[1])
    assert response.status_code == 200
    body = response.json()
    assert (body["outcome"], body["valid"], body["reason"]) == ("verified", True, "ok")
    assert body["seal"]["ref"] == filed["reference"]
    [entry] = body["entries"]
    assert (entry["document_number"], entry["stamped"]) == ("NX4HK2LP1", False)
    assert "listed_today" in entry and "why" in entry


def test_the_seal_may_be_sent_as_an_object(seal_authority: Any, file_notice: Any, api: Api, officer: Any) -> None:
    seal = json.loads(current(file_notice()["reference"]).document)
    assert api.post("/posts/kg-bordobo/seals/verify", {"seal": seal}, officer[1]).json()["valid"] is True


def test_the_departing_post_is_told_the_seal_is_not_for_it(
    seal_authority: Any, file_notice: Any, api: Api, tj_officer: Any
) -> None:
    scanned = current(file_notice()["reference"]).document
    body = api.post("/posts/tj-kyzyl-art/seals/verify", {"seal": scanned}, tj_officer[1]).json()
    assert (body["outcome"], body["reason"]) == ("rejected", "not_for_this_post")
    assert body["message"].startswith("Not for this post")
    assert body["entries"] == []


def test_an_officer_verifies_only_at_their_own_post(
    seal_authority: Any, file_notice: Any, api: Api, officer: Any
) -> None:
    scanned = current(file_notice()["reference"]).document
    response = api.post("/posts/tj-kyzyl-art/seals/verify", {"seal": scanned}, officer[1])
    assert response.status_code == 403
    assert api.post("/posts/kg-bordobo/seals/verify", {"seal": scanned}).status_code == 401


def test_a_withdrawn_seal_is_reported_as_revoked(seal_authority: Any, file_notice: Any, api: Api, officer: Any) -> None:
    filed = file_notice()
    scanned = current(filed["reference"]).document
    api.post(f"/notices/{filed['reference']}/cancel", None, filed["access_token"])
    body = api.post("/posts/kg-bordobo/seals/verify", {"seal": scanned}, officer[1]).json()
    assert (body["valid"], body["reason"]) == (False, "seal_revoked")
    assert body["message"].startswith("Revoked: this notice was moved to another date or cancelled")


def test_something_else_scanned_is_malformed(seal_authority: Any, api: Api, officer: Any) -> None:
    body = api.post("/posts/kg-bordobo/seals/verify", {"seal": "NX4HK2LP1"}, officer[1]).json()
    assert (body["outcome"], body["valid"]) == ("malformed", False)
    assert body["message"].startswith("This is not a kordon seal")


def test_the_openapi_document_lists_the_seal_endpoints(api: Api, crossing: Any) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/notices/{reference}/seal", "/api/v1/notices/{reference}/seal.png",
                 "/api/v1/seals/trust-list", "/api/v1/posts/{code}/seals/verify"):
        assert path in paths
