"""Issuing seals: on acceptance, on a new date, withdrawn on cancelling; every rejection with its reason."""

from __future__ import annotations

import base64
import copy
import json
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from kordon.notices.models import Notice
from kordon.seals import administration, authority, services
from kordon.seals.content import mrz_name, transliterate
from kordon.seals.models import RevokeReason, Seal
from kordon.seals.qr import decode_qr_image
from kordon.seals.vdsnc import SEAL_TYPE, seal_id, sign_seal
from tests.conftest import Api, kg_today, traveller
from tests.mrzlines import td3
from tests.seals.conftest import check, current, document, set_up_state

pytestmark = pytest.mark.django_db


def two_with_a_camper(file_notice: Any) -> dict[str, Any]:
    return file_notice(
        travellers=[traveller(), traveller(surname="de Vries", given_names="Vincent", sex="M",
                                           document_number="NX4HK2LP2", date_of_birth="1979-05-04")],
        vehicle={"plate": "vx-123-b", "country": "NL", "kind": "camper"},
    )


def test_an_accepted_notice_is_sealed_with_its_essentials(seal_authority: Any, file_notice: Any) -> None:
    filed = two_with_a_camper(file_notice)
    seal = current(filed["reference"])
    data = document(seal)["data"]
    assert data["hdr"] == {"t": SEAL_TYPE, "v": 1, "is": "KGZ"}  # admitted into Kyrgyzstan: KG signs
    first, last = Notice.objects.get(reference=filed["reference"]).arrival_window()  # the crossing's window
    assert data["msg"] == {
        "ref": filed["reference"], "cx": "kyzyl-art", "dir": "TJ-KG", "vf": first.isoformat(),
        "vu": last.isoformat(), "sn": 1,
        "tr": [
            {"n": "ERIKSSON  ANNA MARIA", "i": "NX4HK2LP1", "nat": "NLD", "dob": "1980-01-31"},
            {"n": "DE VRIES  VINCENT", "i": "NX4HK2LP2", "nat": "NLD", "dob": "1979-05-04"},
        ],
        "veh": {"pl": "VX-123-B", "c": "NL"},
    }
    assert seal.signer == seal_authority["KG"].signer
    assert check(seal.document).valid


def test_file_accept_seal_png_decode_verify_round_trip(seal_authority: Any, file_notice: Any, api: Api) -> None:
    filed = two_with_a_camper(file_notice)
    response = api.get(f"/notices/{filed['reference']}/seal.png", filed["access_token"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    scanned = decode_qr_image(response.content)  # zxing-cpp, as a post's reader would
    verdict = check(scanned)
    assert verdict.valid, verdict.message
    assert verdict.data is not None
    assert verdict.data["msg"]["ref"] == filed["reference"]
    assert [t["i"] for t in verdict.data["msg"]["tr"]] == ["NX4HK2LP1", "NX4HK2LP2"]


def test_names_come_from_the_mrz_when_the_traveller_gave_it(seal_authority: Any, file_notice: Any) -> None:
    mrz = td3("MUELLER", "ANNA KATHARINA", "DEU", "C01X00T47", date(1990, 11, 2), "F", date(2031, 1, 1))
    filed = file_notice(travellers=[traveller(
        surname="Müller", given_names="Anna Katharina", nationality="DEU", document_number="C01X00T47",
        date_of_birth="1990-11-02", mrz=mrz,
    )])
    assert document(current(filed["reference"]))["data"]["msg"]["tr"][0]["n"] == "MUELLER  ANNA KATHARINA"


@pytest.mark.parametrize(("typed", "as_in_the_mrz"), [
    ("Müller-Lüdenscheidt", "MUELLER LUEDENSCHEIDT"),
    ("O'Brien", "OBRIEN"),
    ("José María", "JOSE MARIA"),
    ("Ерёмина", "EREMINA"),
    ("Юсупов", "IUSUPOV"),
    ("Øster  Ström", "OESTER STROEM"),
])
def test_typed_names_are_spelled_as_icao_transliterates_them(typed: str, as_in_the_mrz: str) -> None:
    assert transliterate(typed) == as_in_the_mrz


def test_a_traveller_without_given_names_is_just_the_surname(seal_authority: Any, file_notice: Any) -> None:
    filed = file_notice(travellers=[traveller(given_names="")])
    notice = Notice.objects.get(reference=filed["reference"])
    assert mrz_name(notice.travellers.get()) == "ERIKSSON"


def test_moving_the_date_issues_a_new_seal_and_withdraws_the_old(
    seal_authority: Any, file_notice: Any, api: Api
) -> None:
    filed = file_notice()
    old = current(filed["reference"])
    later = (kg_today() + timedelta(days=9)).isoformat()
    assert api.post(f"/notices/{filed['reference']}/amend", {"expected_date": later},
                    filed["access_token"]).status_code == 200
    new = current(filed["reference"])
    old.refresh_from_db()
    assert (old.revoke_reason, new.number) == (RevokeReason.REPLACED, 2)
    assert document(new)["data"]["msg"]["vf"] == later
    assert old.seal_id in api.get("/seals/trust-list").json()["revoked_seals"]
    assert check(old.document).reason == "seal_revoked"
    assert check(new.document).valid


def test_moving_back_to_the_first_date_never_revives_the_withdrawn_seal(
    seal_authority: Any, file_notice: Any, api: Api
) -> None:
    filed = file_notice()
    first = current(filed["reference"])
    for day in ((kg_today() + timedelta(days=9)).isoformat(), filed["expected_date"]):
        api.post(f"/notices/{filed['reference']}/amend", {"expected_date": day}, filed["access_token"])
    third = current(filed["reference"])
    assert third.number == 3
    assert third.seal_id != first.seal_id
    assert check(first.document).reason == "seal_revoked"
    assert check(third.document).valid


def test_cancelling_withdraws_the_seal(seal_authority: Any, file_notice: Any, api: Api) -> None:
    filed = file_notice()
    seal = current(filed["reference"])
    api.post(f"/notices/{filed['reference']}/cancel", None, filed["access_token"])
    seal.refresh_from_db()
    assert seal.revoke_reason == RevokeReason.CANCELLED
    assert check(seal.document).reason == "seal_revoked"
    response = api.get(f"/notices/{filed['reference']}/seal", filed["access_token"])
    assert response.status_code == 404


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [leaf for key in value for leaf in _leaves(value[key], (*path, key))]
    if isinstance(value, list):
        return [leaf for index, item in enumerate(value) for leaf in _leaves(item, (*path, index))]
    return [path]


def _altered(value: Any) -> Any:
    return value + 1 if isinstance(value, int) else value[:-1] + ("X" if value[-1:] != "X" else "Y")


def test_changing_any_field_of_the_data_breaks_the_signature(seal_authority: Any, file_notice: Any) -> None:
    original = document(current(two_with_a_camper(file_notice)["reference"]))
    paths = _leaves(original["data"])
    assert len(paths) > 15
    for path in paths:
        forged = copy.deepcopy(original)
        target = forged["data"]
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = _altered(target[path[-1]])
        assert check(forged).reason == "bad_signature", path


def test_every_byte_of_the_signature_matters(seal_authority: Any, file_notice: Any) -> None:
    original = current(file_notice()["reference"]).document
    start = original.index('"sigvl":"') + len('"sigvl":"')
    for position in range(start, start + 86, 7):
        character = "A" if original[position] != "A" else "B"
        forged = original[:position] + character + original[position + 1:]
        assert check(forged).reason == "bad_signature"


def test_a_seal_with_another_signers_certificate_is_rejected(seal_authority: Any, file_notice: Any) -> None:
    forged = document(current(file_notice()["reference"]))
    other = seal_authority["TJ"].signer.cert.public_bytes(Encoding.DER)
    forged["sig"]["cer"] = base64.urlsafe_b64encode(other).rstrip(b"=").decode()
    assert check(forged).reason == "bad_signature"


def test_a_seal_past_its_signers_validity_is_rejected(seal_authority: Any, file_notice: Any) -> None:
    seal = current(file_notice()["reference"])
    after = seal.signer.not_after + timedelta(days=1)
    verdict = check(seal.document, at=after)
    assert verdict.reason == "signer_expired"
    assert f"expired on {seal.signer.not_after:%Y-%m-%d}" in verdict.message


def test_a_seal_of_a_revoked_signer_is_rejected_and_the_notice_is_sealed_again(
    seal_authority: Any, file_notice: Any, api: Api
) -> None:
    filed = file_notice()
    old_document = current(filed["reference"]).document
    kg = seal_authority["KG"]
    successor = administration.add_signer(kg.key)
    administration.revoke_signer(kg.signer.serial, kg.key)
    assert check(old_document).reason == "signer_revoked"

    response = api.get(f"/notices/{filed['reference']}/seal", filed["access_token"])
    resigned = current(filed["reference"])
    assert resigned.signer == successor
    assert seal_id(json.loads(response.content)) == seal_id(json.loads(old_document))  # same seal, new signature
    assert check(response.content.decode()).valid


def test_a_seal_from_an_untrusted_root_is_rejected(seal_authority: Any, file_notice: Any) -> None:
    genuine = document(current(file_notice()["reference"]))
    root_key, root = authority.create_authority(country="KG", common_name="Test seal authority KG")
    key, cert = authority.issue_signer(authority_key=root_key, authority_cert=root, common_name="Impostor")
    forged = sign_seal(genuine["data"]["hdr"], genuine["data"]["msg"], key, cert)
    verdict = check(forged)
    assert verdict.reason == "untrusted_signer"
    assert "is not issued by an authority this post trusts" in verdict.message


def test_each_rejection_has_its_own_reason(seal_authority: Any, file_notice: Any, api: Api) -> None:
    filed = file_notice()
    seal = current(filed["reference"])
    api.post(f"/notices/{filed['reference']}/cancel", None, filed["access_token"])
    reasons = {
        check(seal.document).reason,
        check(seal.document.replace("ERIKSSON", "ERIKSSOM")).reason,
        check(seal.document, at=seal.signer.not_after + timedelta(days=1)).reason,
    }
    assert reasons == {"seal_revoked", "bad_signature", "signer_expired"}


def test_filing_works_without_seals_and_the_seal_endpoint_says_how_to_configure_them(
    file_notice: Any, api: Api
) -> None:
    filed = file_notice()
    assert filed["status"] == "accepted"
    assert not Seal.objects.exists()
    response = api.get(f"/notices/{filed['reference']}/seal", filed["access_token"])
    assert response.status_code == 503
    error = response.json()["errors"][0]
    assert error["code"] == "seals_not_configured"
    assert "kordon seals init-authority --country KG" in error["message"]
    assert "kordon seals new-signer" in error["message"]


def test_demo_signers_never_sign_in_production(
    crossing: Any, seal_key_passphrase: str, tmp_path: Any, file_notice: Any, api: Api
) -> None:
    row = administration.set_up_authority(country="KG", name="demo", key_path=tmp_path / "demo.pem",
                                          passphrase=administration.DEMO_PASSPHRASE, demo=True)
    administration.add_signer(authority.load_private_key(tmp_path / "demo.pem", administration.DEMO_PASSPHRASE))
    filed = file_notice()
    assert not Seal.objects.exists()
    assert api.get(f"/notices/{filed['reference']}/seal", filed["access_token"]).status_code == 503
    assert row.sha256 not in json.dumps(api.get("/seals/trust-list").json())


def test_a_notice_filed_before_seals_were_configured_gets_its_seal_when_asked(
    crossing: Any, seal_key_passphrase: str, tmp_path: Any, file_notice: Any, api: Api
) -> None:
    filed = file_notice()
    set_up_state("KG", tmp_path)
    response = api.get(f"/notices/{filed['reference']}/seal", filed["access_token"])
    assert response.status_code == 200
    assert check(response.content.decode()).valid


def test_the_signer_used_is_the_one_that_vouches_longest(seal_authority: Any, file_notice: Any) -> None:
    kg = seal_authority["KG"]
    shorter = administration.add_signer(kg.key, valid_days=30, use_days=30)
    assert shorter.not_after < kg.signer.not_after
    assert current(file_notice()["reference"]).signer == kg.signer


def test_a_signer_past_its_usage_period_signs_no_more(seal_authority: Any, file_notice: Any) -> None:
    kg = seal_authority["KG"]
    kg.signer.use_until = datetime.now(UTC) - timedelta(seconds=1)
    kg.signer.save()
    next_one = administration.add_signer(kg.key)
    assert current(file_notice()["reference"]).signer == next_one


def test_the_confirmation_email_carries_the_seal_as_a_qr_image(
    seal_authority: Any, file_notice: Any, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        filed = two_with_a_camper(file_notice)
    [message] = smtp_server.messages
    assert message["To"] == "anna@example.org"
    assert filed["display_reference"] in message["Subject"]
    assert isinstance(message, EmailMessage)
    body = message.get_body(("plain",))
    assert body is not None and "ERIKSSON, Anna Maria" in body.get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "image/png"
    assert check(decode_qr_image(attachment.get_content())).valid


def test_no_email_is_sent_without_an_address(
    seal_authority: Any, file_notice: Any, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        file_notice(contact={"email": "", "phone": "+31 6 1234 5678"})
    assert smtp_server.messages == []


def test_a_new_date_withdraws_the_old_seal_even_when_no_new_one_can_be_signed(
    seal_authority: Any, file_notice: Any, api: Api
) -> None:
    filed = file_notice()
    old = current(filed["reference"])
    administration.retire_signer(seal_authority["KG"].signer.serial)
    later = (kg_today() + timedelta(days=9)).isoformat()
    assert api.post(f"/notices/{filed['reference']}/amend", {"expected_date": later},
                    filed["access_token"]).status_code == 200
    old.refresh_from_db()
    assert old.revoke_reason == RevokeReason.REPLACED
    assert not Seal.objects.filter(revoked_at__isnull=True).exists()
    assert check(old.document).reason == "seal_revoked"  # the list is signed by a signer still valid
    assert api.get(f"/notices/{filed['reference']}/seal", filed["access_token"]).status_code == 503


def test_a_withdrawn_seal_stays_listed_when_its_notice_is_deleted(
    seal_authority: Any, file_notice: Any, api: Api
) -> None:
    filed = file_notice()
    withdrawn = current(filed["reference"])
    api.post(f"/notices/{filed['reference']}/cancel", None, filed["access_token"])
    Notice.objects.filter(reference=filed["reference"]).delete()  # e.g. personal data deleted early
    services.publish_revoked_seals()
    assert api.get("/seals/trust-list").json()["revoked_seals"] == [withdrawn.seal_id]
    assert check(withdrawn.document).reason == "seal_revoked"


def test_a_withdrawn_seal_leaves_the_list_a_month_after_its_window(
    seal_authority: Any, file_notice: Any, api: Api, time_machine: Any
) -> None:
    filed = file_notice()
    seal = current(filed["reference"])
    api.post(f"/notices/{filed['reference']}/cancel", None, filed["access_token"])
    time_machine.move_to(datetime.combine(seal.valid_until + services.KEEP_REVOKED, datetime.min.time(), UTC)
                         + timedelta(days=2))
    assert services.publish_revoked_seals().ids == []
