"""GET /posts/{code}/sync: the full set for the post's days, then only changes, never missing one."""

import base64
import hashlib
import json
from datetime import date, timedelta

import pytest
import rfc8785
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from kordon.audit.models import AuditEvent
from kordon.notices.models import Notice, Traveller
from kordon.posts.models import Stamp
from kordon.seals.models import Seal
from tests.conftest import error_codes, make_officer

# Each request commits, as in production: on PostgreSQL a cursor's watermark is held back by any
# transaction still open, and a test wrapped in one transaction would keep every change "in flight".
pytestmark = pytest.mark.django_db(transaction=True)


def sync(api, token, since=None, code="kg-bordobo"):
    response = api.get(f"/posts/{code}/sync", token, **({"since": since} if since else {}))
    assert response.status_code == 200, response.content
    return response.json()


def stamp(api, token, notice, document="NX4HK2LP1"):
    body = {"reference": notice["reference"], "document_number": document}
    return api.post("/posts/kg-bordobo/stamps", body, token)


def test_a_full_sync_holds_the_days_entries_and_trust(api, officer, today_party):
    data = sync(api, officer[1])
    assert data["full"] is True and data["post"] == "kg-bordobo" and data["cursor"]
    first = date.fromisoformat(today_party["expected_date"])
    assert data["days"] == [first.isoformat(), (first + timedelta(days=1)).isoformat()]
    assert [e["document_number"] for e in data["entries"]] == ["NX4HK2LP1", "NX4HK2LP2"]
    entry = data["entries"][0]
    seal = Seal.objects.get(notice__reference=today_party["reference"], revoked_at__isnull=True)
    assert entry | {"traveller_id": 0} == {
        "traveller_id": 0, "reference": today_party["reference"], "kind": "entry", "surname": "Eriksson",
        "given_names": "Anna Maria", "nationality": "NLD", "document_number": "NX4HK2LP1",
        "date_of_birth": "1980-01-31", "vehicle_plate": None, "expected_date": first.isoformat(),
        "listed_from": first.isoformat(), "listed_until": (first + timedelta(days=1)).isoformat(),
        "notice_status": "accepted", "payment_status": "unpaid", "payment_required": False,
        "seal_id": seal.seal_id.lower(), "stamped": False, "exited": False, "exited_at": None, "due_by": None,
        "overdue": False, "permits": [], "permits_outstanding": [],
    }
    assert data["removed"] == []
    assert AuditEvent.objects.filter(action="offline.sync", data__entries=2).exists()


def test_the_signers_are_given_as_checked_jwk_that_verify_the_seal(api, officer, today_party):
    data = sync(api, officer[1])
    seal = json.loads(Seal.objects.get(notice__reference=today_party["reference"], revoked_at__isnull=True).document)
    cer = base64.urlsafe_b64decode(seal["sig"]["cer"] + "==")
    signers = {s["cer_sha256"]: s for s in data["trust"]["signers"]}
    signer = signers[hashlib.sha256(cer).hexdigest()]
    assert signer["revoked"] is False and signer["jwk"]["crv"] == "P-256"

    def coordinate(text):
        return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")

    key = ec.EllipticCurvePublicNumbers(coordinate(signer["jwk"]["x"]), coordinate(signer["jwk"]["y"]),
                                        ec.SECP256R1()).public_key()
    raw = base64.urlsafe_b64decode(seal["sig"]["sigvl"] + "==")
    signature = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key.verify(signature, rfc8785.dumps(seal["data"]), ec.ECDSA(hashes.SHA256()))  # raises if it does not verify


def test_a_revoked_signer_is_not_handed_out(api, officer, today_party, seals):
    signer = seals["KG"].signer
    signer.status = "revoked"
    signer.save()
    sha = hashlib.sha256(bytes(signer.certificate)).hexdigest()
    assert sha not in {s["cer_sha256"] for s in sync(api, officer[1])["trust"]["signers"]}


def test_a_delta_has_only_what_changed(api, officer, today_party):
    cursor = sync(api, officer[1])["cursor"]
    nothing = sync(api, officer[1], cursor)
    assert nothing["full"] is False and nothing["entries"] == [] and nothing["removed"] == []
    assert nothing["trust"] is None  # unchanged since the cursor: the device keeps what it has
    assert stamp(api, officer[1], today_party).status_code == 201
    delta = sync(api, officer[1], nothing["cursor"])
    assert [(e["document_number"], e["stamped"]) for e in delta["entries"]] == [("NX4HK2LP1", True)]
    assert sync(api, officer[1], delta["cursor"])["entries"] == []


def test_a_cancelled_or_moved_notice_is_removed_and_its_seal_withdrawn(api, officer, other_party, today_party):
    other = other_party
    cursor = sync(api, officer[1])["cursor"]
    old_seal = Seal.objects.get(notice__reference=today_party["reference"], revoked_at__isnull=True).seal_id
    api.post(f"/notices/{today_party['reference']}/cancel", token=today_party["access_token"])
    later = (date.fromisoformat(today_party["expected_date"]) + timedelta(days=9)).isoformat()
    assert api.post(f"/notices/{other['reference']}/amend", {"expected_date": later},
                    token=other["access_token"]).status_code == 200
    delta = sync(api, officer[1], cursor)
    ids = set(Traveller.objects.values_list("pk", flat=True))
    assert delta["entries"] == [] and set(delta["removed"]) == ids
    assert old_seal in delta["trust"]["revoked_seals"]  # the withdrawn list changed: the trust comes again
    assert sync(api, officer[1], delta["cursor"])["trust"] is None


def test_the_trust_material_comes_in_a_delta_when_a_signer_is_revoked(api, officer, today_party, seals):
    first = sync(api, officer[1])
    assert first["trust"]["signers"] and first["trust_version"]
    signer = seals["KG"].signer
    signer.status = "revoked"
    signer.save()
    delta = sync(api, officer[1], first["cursor"])
    sha = hashlib.sha256(bytes(signer.certificate)).hexdigest()
    assert delta["entries"] == [] and delta["trust_version"] != first["trust_version"]
    assert sha in {s["cer_sha256"] for s in first["trust"]["signers"]}
    assert sha not in {s["cer_sha256"] for s in delta["trust"]["signers"]}


def test_a_cursor_of_the_earlier_format_still_gives_a_delta(api, officer, today_party):
    from django.core import signing

    from kordon.offline.sync import Cursor

    cursor = Cursor.decode(sync(api, officer[1])["cursor"])
    assert cursor is not None and cursor.trust
    older = signing.dumps([cursor.post, list(cursor.days), cursor.version], salt="kordon.offline.cursor", compress=True)
    assert stamp(api, officer[1], today_party).status_code == 201
    delta = sync(api, officer[1], older)
    # It may repeat entries the device had (no snapshot to leave them out), never miss one.
    assert delta["full"] is False and {e["document_number"]: e["stamped"] for e in delta["entries"]}["NX4HK2LP1"]
    assert delta["trust"] is not None  # the device's trust version is not known: sent again


def test_an_unknown_or_foreign_cursor_gives_a_full_sync(api, officer, today_party, tj_post):
    for cursor in ("garbage", "x" * 900):
        assert sync(api, officer[1], cursor)["full"] is True
    tj_token = make_officer(tj_post, "farrukh")[1]
    tj_cursor = sync(api, tj_token, code="tj-kyzyl-art")["cursor"]
    data = sync(api, officer[1], tj_cursor)
    assert data["full"] is True and len(data["entries"]) == 2


def test_a_new_day_gives_a_full_sync(api, officer, today_party, time_machine):
    cursor = sync(api, officer[1])["cursor"]
    time_machine.shift(timedelta(days=1))
    data = sync(api, officer[1], cursor)
    assert data["full"] is True and data["days"][0] > today_party["expected_date"]


def test_the_departing_post_gets_exit_entries_with_the_permits(api, today_party, tj_post):
    tj_token = make_officer(tj_post, "farrukh")[1]
    data = sync(api, tj_token, code="tj-kyzyl-art")
    assert {e["kind"] for e in data["entries"]} == {"exit"}
    assert data["entries"][0]["permits"] == [{"code": "gbao", "name": "GBAO special permit"},
                                             {"code": "personal", "name": "Personal permit"}]
    body = {"reference": today_party["reference"], "document_number": "NX4HK2LP1", "permits_returned": ["gbao"]}
    cursor = data["cursor"]
    assert api.post("/posts/tj-kyzyl-art/exits", body, tj_token).status_code == 201
    delta = sync(api, tj_token, cursor, code="tj-kyzyl-art")
    assert [(e["exited"], e["permits_outstanding"]) for e in delta["entries"]] == [(True, ["personal"])]


def test_an_exit_reaches_the_receiving_posts_delta(api, officer, today_party, tj_post):
    tj_token = make_officer(tj_post, "farrukh")[1]
    cursor = sync(api, officer[1])["cursor"]
    body = {"reference": today_party["reference"], "document_number": "NX4HK2LP2", "permits_returned": []}
    api.post("/posts/tj-kyzyl-art/exits", body, tj_token)
    entries = sync(api, officer[1], cursor)["entries"]
    assert [(e["document_number"], e["exited"], e["overdue"]) for e in entries] == [("NX4HK2LP2", True, False)]
    assert entries[0]["due_by"] is not None


def test_payment_and_changed_names_reach_the_delta(api, officer, today_party):
    cursor = sync(api, officer[1])["cursor"]
    Notice.objects.filter(reference=today_party["reference"]).update(payment_status="paid")
    entries = sync(api, officer[1], cursor)["entries"]
    assert {e["payment_status"] for e in entries} == {"paid"} and len(entries) == 2


def test_a_deleted_traveller_is_removed(api, officer, today_party):
    cursor = sync(api, officer[1])["cursor"]
    notice = Notice.objects.get(reference=today_party["reference"])
    gone = notice.travellers.get(document_number="NX4HK2LP2")
    gone_id = gone.pk
    gone.delete()
    assert sync(api, officer[1], cursor)["removed"] == [gone_id]


def test_sync_answers_officers_of_the_post_only(api, officer, today_party, tj_post):
    tj_token = make_officer(tj_post, "farrukh")[1]
    response = api.get("/posts/kg-bordobo/sync", tj_token)
    assert response.status_code == 403 and error_codes(response) == [(None, "forbidden")]
    assert api.get("/posts/kg-bordobo/sync").status_code == 401
    assert api.get("/posts/nowhere/sync", officer[1]).status_code == 404


def test_the_console_session_may_sync(client, officer, today_party):
    client.login(username="aibek", password="correct-horse-9")
    response = client.get("/api/v1/posts/kg-bordobo/sync")
    assert response.status_code == 200 and len(response.json()["entries"]) == 2


def test_stamps_show_in_the_full_sync_too(api, officer, today_party):
    stamp(api, officer[1], today_party, "NX4HK2LP2")
    entries = sync(api, officer[1])["entries"]
    assert [e["stamped"] for e in entries] == [False, True]
    assert Stamp.objects.count() == 1
