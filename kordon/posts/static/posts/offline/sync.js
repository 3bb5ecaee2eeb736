// The device's copy of the post's list: pulled from GET /api/v1/posts/{code}/sync, full the first
// time and then only the changes since the last cursor, kept sealed in IndexedDB.

import { get, lock, put, remove, unlock } from "./store.js";

const LABEL = "list";

export function emptyList(post) {
  return { post, cursor: null, generated_at: null, fetched_at: null, days: [], entries: {}, trust: null };
}

// The list as last kept, or null if none is kept (or it was kept under another key).
export async function loadList(key, keyId) {
  const box = await get("data", LABEL);
  if (!box || box.key_id !== keyId) return null;
  return unlock(key, LABEL, box);
}

export async function keepList(key, keyId, list) {
  await put("data", { id: LABEL, key_id: keyId, ...(await lock(key, LABEL, list)) });
  // Not personal: enough to show the list's age while locked and to wipe it when its days are over.
  await put("meta", { id: "list", post: list.post, days: list.days, fetched_at: list.fetched_at, key_id: keyId });
}

export async function forgetList() {
  await remove("data", LABEL);
  await remove("meta", "list");
}

// Merge a sync answer into `list` (returns the new list). A full answer replaces the entries; a delta's
// `trust` is null when the trust material did not change since the cursor, and the kept one stays.
export function merge(list, answer, fetchedAt = Date.now()) {
  const entries = answer.full || !list.cursor ? {} : { ...list.entries };
  for (const id of answer.removed || []) delete entries[id];
  for (const entry of answer.entries || []) entries[entry.traveller_id] = entry;
  return {
    post: answer.post, cursor: answer.cursor, generated_at: answer.generated_at, fetched_at: fetchedAt,
    days: answer.days || list.days, entries, trust: answer.trust || list.trust,
  };
}

// Fetch the changes since the list's cursor. `fetchJson(url)` resolves to {status, json} or rejects
// on a network error. Returns the merged list, or null when the server did not give one.
export async function pull(list, syncUrl, fetchJson) {
  const url = new URL(syncUrl, location.href);
  if (list.cursor) url.searchParams.set("since", list.cursor);
  const answer = await fetchJson(url.href);
  if (answer.status !== 200 || !answer.json || !answer.json.cursor) return null;
  return merge(list, answer.json);
}

// Whether every day the list was made for is before `today` (YYYY-MM-DD, the device's date).
export function outlived(days, today) {
  return Array.isArray(days) && days.length > 0 && days.every((day) => day < today);
}
