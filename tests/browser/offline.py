"""Helpers for the offline console's browser tests: signer keys as the sync hands them out."""

import base64
import hashlib
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

MODULES = "/static/posts/offline/"


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def signer_json(cert: x509.Certificate, *, revoked: bool = False) -> dict[str, Any]:
    """A signer certificate as the sync's `trust.signers` carries it: JWK, validity, certificate hash."""
    key = cert.public_key()
    assert isinstance(key, ec.EllipticCurvePublicKey)
    numbers = key.public_numbers()
    der = cert.public_bytes(serialization.Encoding.DER)
    return {
        "cer_sha256": hashlib.sha256(der).hexdigest(),
        "jwk": {"kty": "EC", "crv": "P-256", "x": _b64url(numbers.x.to_bytes(32, "big")),
                "y": _b64url(numbers.y.to_bytes(32, "big"))},
        "not_before": cert.not_valid_before_utc.isoformat(), "not_after": cert.not_valid_after_utc.isoformat(),
        "subject": cert.subject.rfc4514_string(), "revoked": revoked,
    }


# Runs in the page: checks each seal text against the trust material with seal.js, at a fixed time.
CHECK_SEALS = """async ({modules, trust, notices, seals, now}) => {
  const seal = await import(modules + "seal.js");
  const loaded = await seal.loadTrust(trust);
  const byRef = new Map(Object.entries(notices));
  const out = [];
  for (const text of seals) {
    const verdict = await seal.checkSeal(text, loaded, byRef, now ? new Date(now) : new Date());
    out.push({ok: verdict.ok, reason: verdict.reason, sealId: verdict.sealId || null,
              entries: (verdict.entries || []).length});
  }
  return out;
}"""
