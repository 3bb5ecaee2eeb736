// Checking a kordon seal (ICAO VDS-NC, see kordon/seals/vdsnc.py) on the device, with no connection:
// ES256 over the RFC 8785 form of `data`, against the signer keys and withdrawn seals of the last sync.
// Every refusal has its own reason code; console.js turns it into the sentence the page gives
// (the texts are the template's, so they are translated with the rest of the console).

import { fromBase64url, sha256Hex } from "./bytes.js";
import { NotCanonical, canonicalBytes } from "./jcs.js";

export const SEAL_TYPE = "kordon.notice";
const MAX_SEAL_CHARS = 64 * 1024; // as the server: far beyond any QR code
const SIGNATURE_BYTES = 64; // ES256: r || s, 32 bytes each
const ECDSA = { name: "ECDSA", hash: "SHA-256" };

// The sync's trust material made ready for checks: signer keys imported once, not per seal.
export async function loadTrust(trust) {
  const signers = new Map();
  for (const signer of (trust && trust.signers) || []) {
    const { kty, crv, x, y } = signer.jwk;
    const key = await crypto.subtle.importKey("jwk", { kty, crv, x, y }, { name: "ECDSA", namedCurve: "P-256" },
      false, ["verify"]);
    signers.set(signer.cer_sha256.toLowerCase(), {
      key, subject: signer.subject, revoked: Boolean(signer.revoked),
      notBefore: new Date(signer.not_before), notAfter: new Date(signer.not_after),
    });
  }
  const revoked = new Set(((trust && trust.revoked_seals) || []).map((id) => id.toLowerCase()));
  return { signers, revoked };
}

function refuse(reason, extra = {}) {
  return { ok: false, reason, ...extra };
}

// The seal's parts if `text` has the VDS-NC shape, else null.
function parse(text) {
  if (typeof text !== "string" || text.length > MAX_SEAL_CHARS) return null;
  let seal;
  try {
    seal = JSON.parse(text);
  } catch (error) {
    return null;
  }
  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isObject(seal) || !isObject(seal.data) || !isObject(seal.sig)) return null;
  if (Object.keys(seal).length !== 2 || !isObject(seal.data.hdr) || !isObject(seal.data.msg)) return null;
  const { alg, cer, sigvl } = seal.sig;
  if (![alg, cer, sigvl].every((v) => typeof v === "string") || Object.keys(seal.sig).length !== 3) return null;
  return seal;
}

// Any VDS-NC seal: shape, algorithm, a signer the server vouched for, the signature, and the signer's
// validity and revocation at `now` (the device's time). Returns {ok, reason, data?, sealId?, signer?}.
export async function verifySeal(text, trust, now = new Date()) {
  const seal = parse(text);
  if (!seal) return refuse("malformed");
  if (seal.sig.alg !== "ES256") return refuse("unsupported_algorithm", { algorithm: seal.sig.alg });
  const der = fromBase64url(seal.sig.cer);
  const signature = fromBase64url(seal.sig.sigvl);
  if (!der || !signature || signature.length !== SIGNATURE_BYTES) return refuse("malformed");
  let signed;
  try {
    signed = canonicalBytes(seal.data);
  } catch (error) {
    if (error instanceof NotCanonical) return refuse("malformed");
    throw error;
  }
  const signer = trust.signers.get(await sha256Hex(der));
  if (!signer) return refuse("untrusted_signer");
  if (!(await crypto.subtle.verify(ECDSA, signer.key, signature, signed))) return refuse("bad_signature");
  const found = { data: seal.data, signer: signer.subject, sealId: await sha256Hex(signed) };
  if (signer.revoked) return refuse("signer_revoked", found);
  if (now < signer.notBefore) return refuse("signer_not_yet_valid", { ...found, date: signer.notBefore });
  if (now > signer.notAfter) return refuse("signer_expired", { ...found, date: signer.notAfter });
  return { ok: true, reason: "ok", ...found };
}

// A notice's seal as the post accepts it: verified, of type kordon.notice, not withdrawn, naming a
// notice on the device's list (`notices`: stored reference -> its entries) and the notice's current
// seal. Adds `entries` to the answer when the notice is found.
export async function checkSeal(text, trust, notices, now = new Date()) {
  const verdict = await verifySeal(text, trust, now);
  if (!verdict.ok) return verdict;
  const { ok, reason, ...found } = verdict;
  if (found.data.hdr.t !== SEAL_TYPE) return refuse("not_a_notice", found);
  if (trust.revoked.has(found.sealId)) return refuse("seal_revoked", found);
  const entries = notices.get(String(found.data.msg.ref || "")) || [];
  if (!entries.length) return refuse("not_on_list", found);
  // Verified but not the notice's current seal: the device's list is older than the seal.
  if (entries[0].seal_id && entries[0].seal_id.toLowerCase() !== found.sealId) {
    return refuse("not_current_seal", { ...found, entries });
  }
  return { ok, reason, ...found, entries };
}
