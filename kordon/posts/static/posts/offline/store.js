// What the device keeps, in IndexedDB, and the keys that lock it.
//
// Everything personal (the list, the trust material, the outbox's events) is sealed with AES-GCM
// under the device key, which the server derives for this officer and post (GET /post/device-key)
// and which the page holds only in memory. To reopen the list after a reload with no connection,
// the device key is also kept wrapped under a key derived from the officer's password (PBKDF2):
// login.js derives that key when the officer logs in, console.js wraps the device key with it once
// fetched, and the page unwraps it when the officer types the password again.
// A plain IndexedDB wrapper of a few lines is enough for four stores and get/put/delete, so no
// library (idb) is vendored.

import { fromBase64 } from "./bytes.js";

const NAME = "kordon-offline";
const STORES = ["keys", "data", "outbox", "meta"];
const ITERATIONS = 310000; // PBKDF2-SHA256, OWASP's 2023 figure; about a third of a second on a phone
const encoder = new TextEncoder();

let opened = null;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export function database() {
  if (!opened) {
    const req = indexedDB.open(NAME, 1);
    req.onupgradeneeded = () => {
      for (const store of STORES) req.result.createObjectStore(store, { keyPath: store === "outbox" ? "event_id" : "id" });
    };
    opened = request(req);
  }
  return opened;
}

async function run(store, mode, act) {
  const db = await database();
  const tx = db.transaction(store, mode);
  const result = await request(act(tx.objectStore(store)));
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  return result;
}

export const get = (store, id) => run(store, "readonly", (s) => s.get(id));
export const all = (store) => run(store, "readonly", (s) => s.getAll());
export const put = (store, value) => run(store, "readwrite", (s) => s.put(value));
export const remove = (store, id) => run(store, "readwrite", (s) => s.delete(id));
export const clear = (store) => run(store, "readwrite", (s) => s.clear());

// ---- sealing records under the device key

export function importDeviceKey(base64) {
  return crypto.subtle.importKey("raw", fromBase64(base64), "AES-GCM", false, ["encrypt", "decrypt"]);
}

// `label` is bound into the ciphertext (associated data): a record cannot be moved to another id.
export async function lock(key, label, value) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(label) }, key,
    encoder.encode(JSON.stringify(value)));
  return { iv, ct };
}

export async function unlock(key, label, box) {
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: box.iv, additionalData: encoder.encode(label) },
    key, box.ct);
  return JSON.parse(new TextDecoder().decode(plain));
}

// ---- the password: wrapping the device key so that only the officer can reopen the list

function passwordKey(password, salt, iterations) {
  return crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveKey"]).then((base) =>
    crypto.subtle.deriveKey({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, base,
      { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]));
}

// At login (login.js): the wrapping key, kept non-extractable and only until the console wraps the
// device key with it.
export async function stashLogin(username, password) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const wrapping = await passwordKey(password, salt, ITERATIONS);
  await put("keys", { id: "pending", username, salt, iterations: ITERATIONS, wrapping, at: Date.now() });
}

const wrapLabel = (answer) => `device-key|${answer.officer}|${answer.post}|${answer.key_id}`;

// After GET /post/device-key: keep the device key wrapped under the password of this login, if the
// officer who logged in on this page is the one the key is for. Returns the stored record, if any.
export async function keepDeviceKey(answer) {
  const pending = await get("keys", "pending");
  if (pending && pending.username === answer.officer) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const wrapped = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(wrapLabel(answer)) },
      pending.wrapping, fromBase64(answer.key));
    const { officer, post, key_id } = answer;
    await put("keys", { id: "device", officer, post, key_id, salt: pending.salt, iterations: pending.iterations, iv, wrapped });
  }
  if (pending) await remove("keys", "pending");
  return get("keys", "device");
}

// Offline after a reload: the device key from the password. Rejects when the password is wrong.
export async function unwrapDeviceKey(record, password) {
  const wrapping = await passwordKey(password, record.salt, record.iterations);
  const raw = await crypto.subtle.decrypt({ name: "AES-GCM", iv: record.iv, additionalData: encoder.encode(wrapLabel(record)) },
    wrapping, record.wrapped);
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

// Logout, another officer, or the days have passed: everything goes except the outbox (still sealed
// under its officer's key, sent once that officer logs in again) and this browser's device id.
export async function wipe() {
  await clear("data");
  await clear("keys");
  const meta = await all("meta");
  for (const record of meta) if (record.id !== "device") await remove("meta", record.id);
}

// A stable id of this browser profile, made once: the server tells devices apart by it.
export async function deviceId() {
  const known = await get("meta", "device");
  if (known) return known.value;
  const value = crypto.randomUUID();
  await put("meta", { id: "device", value });
  return value;
}
