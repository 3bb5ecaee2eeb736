// RFC 8785 (JCS) canonical JSON: the exact bytes a kordon seal is signed over.
// ECMAScript's own JSON.stringify already writes numbers and strings the way RFC 8785 asks
// (section 3.2.2 defines them by it), so only the key order and the refusals are ours.

export class NotCanonical extends Error {}

const LONE_SURROGATE = /\p{Surrogate}/u;

export function canonicalize(value) {
  if (value === null || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new NotCanonical("a number that JSON cannot hold");
    return JSON.stringify(value);
  }
  if (typeof value === "string") {
    if (LONE_SURROGATE.test(value)) throw new NotCanonical("a string that is not valid Unicode");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(",")}]`;
  if (typeof value === "object") {
    // Keys sorted by their UTF-16 code units, which is what the default sort compares.
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${canonicalize(key)}:${canonicalize(value[key])}`).join(",")}}`;
  }
  throw new NotCanonical(`a ${typeof value} is not JSON`);
}

export function canonicalBytes(value) {
  return new TextEncoder().encode(canonicalize(value));
}
