"""Every sentence a seal check ends in, one table for the command line, the API and the console.

The keys are the verdicts' reason codes (``vdsnc.verify_seal``) and the console's own outcomes
(``scan``: not a seal, another seal type, another post, a notice this post does not hold). Whole
sentences, translated when said (English on the command line); ``{detail}`` is filled in. A post's
device checks seals offline in its own words (``posts/_offline_text.html``); where it says the
same thing (a forged seal, a revoked one) it says it in these very sentences (tests/seals/test_one_wording.py).
"""

from django.utils.translation import gettext_lazy

MESSAGES = {
    "ok": gettext_lazy(
        "Genuine: signed by {detail}. Check that the travellers, documents and vehicle match the details."),
    "bad_signature": gettext_lazy(
        "Forged or altered: the seal's contents do not match its signature. Do not admit on this seal: search "
        "the traveller by passport number."),
    "untrusted_signer": gettext_lazy(
        "Not from a trusted authority: {detail}. Do not admit on this seal; search the traveller by passport "
        "number instead."),
    "signer_expired": gettext_lazy(
        "The seal's signing certificate expired on {detail}. Do not admit on this seal; search the traveller "
        "by passport number instead."),
    "signer_not_yet_valid": gettext_lazy(
        "The seal's signing certificate is only valid from {detail}; check this device's clock. Do not admit "
        "on this seal; search the traveller by passport number instead."),
    "signer_revoked": gettext_lazy(
        "The seal's signing certificate has been revoked ({detail}). Do not admit on this seal; search the "
        "traveller by passport number instead."),
    "seal_revoked": gettext_lazy(
        "Revoked: this notice was moved to another date or cancelled. Search by passport number for the "
        "traveller's current notice; do not admit on this seal."),
    "wrong_key_usage": gettext_lazy(
        "The seal was signed with a certificate that may not sign seals ({detail}). Do not admit on this seal; "
        "search the traveller by passport number instead."),
    "unsupported_algorithm": gettext_lazy(
        "This post cannot check seals signed with {detail}. Search the traveller by passport number instead."),
    "malformed": gettext_lazy(
        # The parser's reason ("not JSON: Expecting value…") is for the audit trail, not for the officer.
        "This is not a kordon seal: it may be another code, or a partial scan. Scan the QR code on the "
        "traveller's confirmation again, or search by passport number."),
    "wrong_type": gettext_lazy(
        "This is a genuine seal, but not a crossing confirmation ({detail}). Do not admit on this seal: search "
        "the traveller by passport number."),
    "not_for_this_post": gettext_lazy(
        "Not for this post: this seal is for {detail}. Do not stamp here; tell the traveller where to go."),
    "unknown_notice": gettext_lazy(
        "Genuine seal, but notice {detail} is not in this post's records. Search by passport number, "
        "or sync the list if this post was offline."),
}


def say(reason: str, detail: object = "") -> str:
    """The sentence for ``reason`` in the active language, ``detail`` filled in."""
    return str(MESSAGES[reason]).format(detail=detail)
