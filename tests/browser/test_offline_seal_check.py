"""In Chromium, with no server involved: seal.js checks seals as an offline post does (WebCrypto ES256
over RFC 8785) — the ICAO conformance vectors, kordon's own seals, and each reason for a refusal."""

import json
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from cryptography import x509
from playwright.sync_api import Page

from kordon.seals import authority
from kordon.seals.vdsnc import SEAL_TYPE, seal_id, sign_revoked_seals, sign_seal
from tests.browser.accessibility import assert_accessible
from tests.browser.offline import CHECK_SEALS, MODULES, signer_json

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VECTORS = Path(__file__).resolve().parent.parent / "data" / "vds-nc"
MESSAGE = {
    "ref": "KX7F3M9QPA", "cx": "kyzyl-art", "dir": "TJ-KG", "vf": "2026-07-14", "vu": "2026-07-15", "sn": 1,
    "tr": [{"n": "ЭРИКССОН  АННА", "i": "NX4HK2LP1", "nat": "TJK", "dob": "1980-01-31"},
           {"n": "DE VRIES  VINCENT", "i": "NX4HK2LP2", "nat": "NLD", "dob": "1979-05-04"}],
    "veh": {"pl": "VX-123-B", "c": "NL"},
}


@pytest.fixture
def console(page: Page, live_server: Any) -> Page:
    page.goto(live_server.url + "/post/login/")  # a page of the site: WebCrypto needs its secure origin
    assert_accessible(page)
    return page


def check(page: Page, seals: list[str], trust: dict[str, Any], notices: dict[str, Any] | None = None,
          now: str | None = None) -> list[dict[str, Any]]:
    arguments = {"modules": MODULES, "trust": trust, "notices": notices or {}, "seals": seals, "now": now}
    return list(page.evaluate(CHECK_SEALS, arguments))


def test_the_conformance_vectors_are_verified_tampered_and_malformed(console: Page) -> None:
    signer = x509.load_der_x509_certificate((VECTORS / "bsc.der").read_bytes())
    trust = {"signers": [signer_json(signer)], "revoked_seals": []}
    seals = [(VECTORS / name).read_text() for name in ("valid.json", "tampered.json", "not-a-seal.json")]
    page_now = "2026-01-01T00:00:00Z"
    verdicts = console.evaluate("""async ({modules, trust, seals, now}) => {
      const seal = await import(modules + "seal.js");
      const loaded = await seal.loadTrust(trust);
      return Promise.all(seals.map(async (text) => (await seal.verifySeal(text, loaded, new Date(now))).reason));
    }""", {"modules": MODULES, "trust": trust, "seals": seals, "now": page_now})
    assert verdicts == ["ok", "bad_signature", "malformed"]

    untrusted = console.evaluate("""async ({modules, seals}) => {
      const seal = await import(modules + "seal.js");
      return (await seal.verifySeal(seals[0], await seal.loadTrust({signers: []}))).reason;
    }""", {"modules": MODULES, "seals": seals})
    assert untrusted == "untrusted_signer"


def test_the_signer_keys_validity_and_revocation_are_checked_at_the_devices_time(console: Page) -> None:
    signer = x509.load_der_x509_certificate((VECTORS / "bsc.der").read_bytes())
    valid = (VECTORS / "valid.json").read_text()
    script = """async ({modules, trust, text, now}) => {
      const seal = await import(modules + "seal.js");
      return (await seal.verifySeal(text, await seal.loadTrust(trust), new Date(now))).reason;
    }"""
    args = {"modules": MODULES, "text": valid, "trust": {"signers": [signer_json(signer)]}}
    assert console.evaluate(script, args | {"now": "2031-10-01T00:00:00Z"}) == "signer_expired"
    assert console.evaluate(script, args | {"now": "2021-08-01T00:00:00Z"}) == "signer_not_yet_valid"
    revoked = {"signers": [signer_json(signer, revoked=True)]}
    assert console.evaluate(script, args | {"trust": revoked, "now": "2026-01-01T00:00:00Z"}) == "signer_revoked"


def test_a_kordon_seal_is_accepted_only_when_current_listed_and_not_withdrawn(console: Page) -> None:
    root_key, root = authority.create_authority(country="KG", common_name="Offline test authority KG")
    key, cert = authority.issue_signer(authority_key=root_key, authority_cert=root, common_name="Offline signer")
    seal = sign_seal({"t": SEAL_TYPE, "v": 1, "is": "KGZ"}, MESSAGE, key, cert)
    other = sign_seal({"t": SEAL_TYPE, "v": 1, "is": "KGZ"}, MESSAGE | {"ref": "QQQQQQQQQQ"}, key, cert)
    listing = sign_revoked_seals([seal_id(other)], key, cert)
    identifier = seal_id(seal)
    entry = {"reference": "KX7F3M9QPA", "seal_id": identifier, "document_number": "NX4HK2LP1"}
    notices = {"KX7F3M9QPA": [entry, entry | {"document_number": "NX4HK2LP2"}]}
    trust = {"signers": [signer_json(cert)], "revoked_seals": [seal_id(other).upper()]}
    text = json.dumps(seal, ensure_ascii=False)
    forged = text.replace("VX-123-B", "VX-123-C")
    verdicts = check(console, [text, forged, json.dumps(other), json.dumps(listing)], trust, notices)
    assert [v["reason"] for v in verdicts] == ["ok", "bad_signature", "seal_revoked", "not_a_notice"]
    assert verdicts[0]["sealId"] == identifier and verdicts[0]["entries"] == 2

    assert check(console, [text], trust, {})[0]["reason"] == "not_on_list"
    newer = {"KX7F3M9QPA": [entry | {"seal_id": "ab" * 32}]}
    assert check(console, [text], trust, newer)[0]["reason"] == "not_current_seal"
    expired = check(console, [text], trust, notices, now="2099-01-01T00:00:00Z")
    assert expired[0]["reason"] == "signer_expired"


@pytest.mark.parametrize("value", [
    {"b": 1, "a": [True, None, False], "é": "x", "\U0001f600": 2, "\u20ac": 3, "aa": {"z": 0, "y": -0.0}},
    [1e21, 1e-7, 0.1, 1.2345678901234568e20, -1.5e-300, 5e-324, 2**53 - 1, 1e300, 333333333.3333333],
    ["\u0000\u001f\"\\/\u007f\u2028 ünïcödé ТОҶИКӢ", "\U0001f600 \ufeff"],
])
def test_canonical_json_is_byte_for_byte_rfc_8785(console: Page, value: Any) -> None:
    written = console.evaluate("""async ({modules, text}) => {
      const jcs = await import(modules + "jcs.js");
      return Array.from(jcs.canonicalBytes(JSON.parse(text)));
    }""", {"modules": MODULES, "text": json.dumps(value)})
    assert bytes(written) == rfc8785.dumps(value)


def test_values_canonical_json_cannot_hold_are_refused_as_malformed(console: Page) -> None:
    reasons = console.evaluate("""async ({modules}) => {
      const seal = await import(modules + "seal.js");
      const trust = await seal.loadTrust({signers: []});
      const sig = {alg: "ES256", cer: "AAAA", sigvl: "A".repeat(86)};
      const texts = [
        "", "[]", "{\\"data\\": 1, \\"sig\\": {}}", JSON.stringify({data: {hdr: {}, msg: {}}, sig}).slice(0, -1),
        JSON.stringify({data: {hdr: {}, msg: {}}, sig: {...sig, sigvl: "AAAA"}}),
        JSON.stringify({data: {hdr: {}, msg: {}}, sig: {...sig, cer: "AA+/"}}),
        JSON.stringify({data: {hdr: {}, msg: {n: "\\ud800"}}, sig}),
        JSON.stringify({data: {hdr: {}, msg: {}}, sig, extra: 1}),
        JSON.stringify({data: {hdr: {}, msg: {}}, sig: {...sig, alg: "RS256"}}),
      ];
      return Promise.all(texts.map(async (t) => (await seal.verifySeal(t, trust)).reason));
    }""", {"modules": MODULES})
    assert reasons == ["malformed"] * 8 + ["unsupported_algorithm"]
