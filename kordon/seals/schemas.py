"""The shapes of the seals' answers (kordon.answers says how schemas and builders meet)."""

from typing import Any

from pydantic import ConfigDict, Field

from kordon.answers import IsoMoment, Out
from kordon.posts.schemas import EntryOut


def _named_is(schema: dict[str, Any]) -> None:
    """The document names the field as the seal does: `is` (a Python keyword, hence `is_` here)."""
    schema["properties"]["is"] = schema["properties"].pop("is_")
    schema["required"] = ["is" if name == "is_" else name for name in schema["required"]]


class SealHeaderOut(Out):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True, json_schema_extra=_named_is)

    t: str = Field(description="The seal's type: `kordon.notice`, or `kordon.revoked-seals` for the signed list")
    v: int
    is_: str = Field(alias="is", description="The issuing state, ISO 3166-1 alpha-3")


class SealDataOut(Out):
    hdr: SealHeaderOut
    msg: dict[str, Any] = Field(description="The signed message; its fields are listed in docs/seals.md")


class SealSignatureOut(Out):
    alg: str = Field(description="ES256")
    cer: str = Field(description="base64url DER of the barcode signer certificate")
    sigvl: str = Field(description="base64url of the raw r||s ECDSA P-256 signature over the JCS form of `data`")


class SealOut(Out):
    """An ICAO VDS-NC seal, as signed: only `data` is signed, nothing but `data` and `sig` is accepted."""

    data: SealDataOut
    sig: SealSignatureOut


class RootOut(Out):
    certificate: str = Field(description="base64 DER; pin its SHA-256 out of band")
    sha256: str
    country: str
    name: str
    not_after: IsoMoment
    revocation_list: str | None = Field(description="base64 DER CRL")


class TrustListOut(Out):
    """What an offline verifier needs: the roots, their CRLs and the withdrawn seals."""

    roots: list[RootOut]
    revocation_list: str | None = Field(description="The first root's CRL; with several roots see each root's")
    revoked_seals: list[str]
    revoked_seals_signed: SealOut | None = Field(description="The revoked ids, signed (a `kordon.revoked-seals` seal)")
    issued_at: IsoMoment


class JwkOut(Out):
    kty: str
    crv: str
    x: str
    y: str


class SignerOut(Out):
    """A seal signer checked here against the roots and their CRLs, its public key as JWK (P-256)."""

    cer_sha256: str
    jwk: JwkOut
    not_before: IsoMoment
    not_after: IsoMoment
    subject: str
    revoked: bool


class CheckedTrustOut(TrustListOut):
    signers: list[SignerOut]


class ScanOut(Out):
    outcome: str = Field(description="`verified`, `rejected` or `malformed`")
    valid: bool
    reason: str
    message: str
    seal_id: str | None
    seal: dict[str, Any] | None = Field(description="The seal's message, only when genuine")
    notes: list[str]
    warnings: list[str]
    entries: list[EntryOut]
