// The post console with no connection. Loaded by every console page (posts/_offline.html); without
// it, or with the server reachable, the pages work as plain forms. This module keeps the device's
// copy of the list (sync.js), checks seals on the device (seal.js), keeps what the officer does in
// the outbox (outbox.js) and sends it by itself: on page load, when the link returns, every 30 s.
// It notices a lost connection itself (the browser's offline event, or a request that fails); there
// is no switch. All text comes from the page (posts/_offline_text.html), so it is translated.

import { checkSeal, loadTrust } from "./seal.js";
import { Outbox, deviceTime } from "./outbox.js";
import { all, deviceId, get, importDeviceKey, keepDeviceKey, remove, unlock, unwrapDeviceKey, wipe } from "./store.js";
import { emptyList, forgetList, keepList, loadList, outlived, pull } from "./sync.js";

const EVERY = 30000;
const FIRST_PAUSE = 5000; // after a failed sync: the pause doubles up to EVERY, then the timer tries
const root = document.getElementById("offline-console");
const state = { reachable: navigator.onLine, list: null, trust: null, notices: new Map(), pending: new Map(),
  pullPause: 0, retryTimer: null };

// ---- text from the page

function t(key, params = {}) {
  const node = document.querySelector(`#offline-text [data-t="${key}"]`);
  const text = node ? node.textContent : key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

function counted(key, count) {
  const rule = new Intl.PluralRules(document.documentElement.lang || "en").select(count);
  const form = document.querySelector(`#offline-text [data-t="${key}_${rule}"]`) ? rule : "other";
  return t(`${key}_${form}`, { count });
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

const today = () => deviceTime().slice(0, 10);
const clock = (ms) => new Date(ms).toLocaleTimeString(document.documentElement.lang || "en", { hour: "2-digit", minute: "2-digit" });
const displayReference = (ref) => ref.replace(/^(.{4})(.{4})(.*)$/, "$1-$2-$3");

// ---- talking to the server

function csrfToken() {
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.slice(10)) : root.dataset.csrf;
}

// {status, json, retryAfter}; a redirect (to the login page) counts as 401. Rejects when the server is out of reach.
async function call(url, { body, timeout = 20000 } = {}) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeout);
  try {
    const response = await fetch(url, {
      method: body ? "POST" : "GET", credentials: "same-origin", redirect: "manual", signal: abort.signal,
      headers: { Accept: "application/json", ...(body ? { "Content-Type": "application/json", "X-CSRFToken": csrfToken() } : {}) },
      body: body ? JSON.stringify(body) : undefined, cache: "no-store",
    });
    reachable(true);
    if (response.type === "opaqueredirect") return { status: 401, json: null };
    const json = (response.headers.get("Content-Type") || "").includes("json") ? await response.json() : null;
    return { status: response.status, json, retryAfter: Number(response.headers.get("Retry-After")) || 0 };
  } catch (error) {
    reachable(false);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function reachable(yes) {
  const was = state.reachable;
  state.reachable = yes && navigator.onLine;
  if (was !== state.reachable) render();
}

// ---- the list, the trust material, the outbox

async function useList(list) {
  state.list = list;
  state.trust = await loadTrust(list.trust);
  state.notices = new Map();
  for (const entry of Object.values(list.entries)) {
    const same = state.notices.get(entry.reference) || [];
    same.push(entry);
    state.notices.set(entry.reference, same);
  }
}

async function refreshPending() {
  state.pending = new Map();
  for (const record of await all("outbox")) {
    if (record.key_id !== state.owner.key_id) continue;
    const event = await unlock(state.key, `event|${record.event_id}`, record);
    state.pending.set(`${event.reference}|${event.document_number}`, event);
  }
}

async function cycle(now = false) {
  if (!state.outbox) return;
  await state.outbox.flush(now); // what happened here goes up before the list comes down
  let pulled = false;
  try {
    const list = await pull(state.list, root.dataset.syncUrl, (url) => call(url, { timeout: 60000 }));
    if (list) {
      await keepList(state.key, state.owner.key_id, list);
      await useList(list);
      pulled = true;
    }
  } catch (error) {
    // out of reach: reachable(false) has said so; tried again below
  }
  state.pullPause = pulled ? 0 : Math.min(EVERY, state.pullPause ? state.pullPause * 2 : FIRST_PAUSE);
  retryLater(state.outbox.retryIn(), pulled ? null : state.pullPause);
  render();
}

// A failed push or sync (no link, a busy server) is tried again after its pause, not only on the
// 30 s timer: a post with a weak link sends as soon as it can.
function retryLater(...delays) {
  const soonest = Math.min(...delays.filter((delay) => delay !== null && delay !== undefined));
  clearTimeout(state.retryTimer);
  state.retryTimer = Number.isFinite(soonest) && soonest < EVERY ? setTimeout(() => cycle(), soonest + 50) : null;
}

function onOutcome(event, result) {
  const entry = findEntry(event.reference, event.document_number);
  const name = entry ? `${entry.given_names} ${entry.surname}` : event.document_number;
  if (result.outcome === "recorded" || result.outcome === "replayed") {
    if (entry) entry[event.kind === "exit" ? "exited" : "stamped"] = true;
    announce(t("outcome_recorded", { name }));
  } else if (result.outcome === "conflict") {
    if (entry) entry.stamped = true;
    announce(t("outcome_conflict", { name }), "warn");
  } else {
    const why = (result.errors || []).map((e) => e.message).join(" ");
    announce(t("outcome_refused", { name, why }), "errors");
  }
  if (state.list) keepList(state.key, state.owner.key_id, state.list);
}

function findEntry(reference, documentNumber) {
  return (state.notices.get(reference) || []).find((e) => e.document_number === documentNumber);
}

async function useKey(key, owner) {
  Object.assign(state, { key, owner });
  const device = await deviceId();
  await useList((await loadList(key, owner.key_id)) || emptyList(owner.post));
  state.outbox = new Outbox({
    key, owner, onOutcome,
    send: (body) => call(root.dataset.eventsUrl, { body: { device, ...body } }),
    onChange: () => refreshPending().then(render),
  });
  await refreshPending();
  if (document.querySelector("[data-offline-shell]")) showShell();
  render();
  await cycle(true);
}

// ---- what the officer sees

function render() {
  const status = document.getElementById("offline-status");
  if (!status) return;
  const parts = [state.reachable ? t("online") : t("offline")];
  // While locked, the age comes from the list's clear-text note (meta): the officer still sees it.
  const fetched = (state.list && state.list.fetched_at) || (state.meta && state.meta.fetched_at);
  parts.push(fetched ? t("list_age", { time: clock(fetched), minutes: Math.max(0, Math.round((Date.now() - fetched) / 60000)) })
    : t("list_none"));
  state.counting = (state.outbox ? state.outbox.count() : all("outbox").then((r) => ({ mine: r.length, others: 0 })))
    .then(({ mine, others }) => {
      const waiting = [counted("waiting", mine)];
      if (others) waiting.push(counted("others_waiting", others));
      if (state.outbox && state.outbox.problem === "login") waiting.push(t("login_again"));
      status.dataset.waiting = String(mine);
      status.textContent = [...parts, ...waiting].join(" · ");
      status.classList.toggle("warn", !state.reachable);
    });
}

function results() {
  let box = document.getElementById("offline-results");
  if (!box) {
    box = element("section", { id: "offline-results", "aria-live": "polite" });
    document.querySelector("main").prepend(box);
  }
  return box;
}

function announce(text, kind = "ok", role = "status") {
  const box = results();
  box.prepend(element("p", { class: kind, role }, text));
}

function listedToday(entry) {
  const day = today();
  return (entry.listed_from || entry.expected_date) <= day && day <= (entry.listed_until || entry.expected_date);
}

function card(entry) {
  const exit = entry.kind === "exit";
  const name = `${entry.given_names} ${entry.surname}`;
  const box = element("fieldset", { "data-offline-entry": entry.traveller_id },
    element("legend", {}, `${name} · ${entry.nationality} ${entry.document_number}`),
    element("p", {}, `${displayReference(entry.reference)}${entry.vehicle_plate ? ` · ${entry.vehicle_plate}` : ""}`));
  if (entry.overdue) box.append(element("p", { class: "warn" }, t("overdue")));
  if (entry.payment_required && entry.payment_status !== "paid") box.append(element("p", { class: "warn" }, t("unpaid")));
  const pending = state.pending.get(`${entry.reference}|${entry.document_number}`);
  if (exit ? entry.exited : entry.stamped) {
    box.append(element("span", { class: "stamped" }, t(exit ? "exited" : "stamped")));
  } else if (pending) {
    box.append(element("span", { class: "stamped" }, t("done_waiting", { time: clock(Date.parse(pending.at)) })));
  } else if (!listedToday(entry)) {
    box.append(element("p", { class: "warn" }, t("listed_for", { from: entry.listed_from || entry.expected_date,
      until: entry.listed_until || entry.expected_date })));
  } else {
    box.append(actionForm(entry));
  }
  return box;
}

function actionForm(entry) {
  const exit = entry.kind === "exit";
  const form = element("form", { "data-offline-act": entry.traveller_id });
  for (const permit of exit ? entry.permits || [] : []) {
    const id = `permit-${entry.traveller_id}-${permit.code}`;
    form.append(element("div", {}, element("input", { type: "checkbox", id, name: "permit", value: permit.code }),
      " ", element("label", { for: id }, permit.name)));
  }
  form.append(element("button", { "data-testid": `offline-${exit ? "exit" : "stamp"}-${entry.document_number}` },
    t(exit ? "register_exit" : "stamp")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const permits = Array.from(form.querySelectorAll("input[name=permit]:checked"), (box) => box.value);
    act(entry, exit ? { permits_returned: permits } : {});
  });
  return form;
}

async function act(entry, extra) {
  const kind = entry.kind === "exit" ? "exit" : "entry";
  const event = { event_id: crypto.randomUUID(), kind, reference: entry.reference,
    document_number: entry.document_number, at: deviceTime(), ...extra };
  await state.outbox.add(event);
  await refreshPending();
  const name = `${entry.given_names} ${entry.surname}`;
  document.querySelectorAll(`[data-offline-entry="${entry.traveller_id}"]`).forEach((box) => box.replaceWith(card(entry)));
  announce(t(kind === "exit" ? "exited_here" : "stamped_here", { name, time: clock(Date.now()) }));
  if (state.reachable) cycle(true);
}

function show(heading, entries, empty) {
  const box = results();
  box.replaceChildren(element("h2", {}, heading));
  const kind = root.dataset.kind || "entry";
  const mine = entries.filter((entry) => (entry.kind || "entry") === kind);
  if (!mine.length) box.append(element("p", { class: "warn" }, empty));
  mine.sort((a, b) => Number(Boolean(b.overdue)) - Number(Boolean(a.overdue))).forEach((entry) => box.append(card(entry)));
  box.scrollIntoView({ block: "start" });
}

const squash = (text) => String(text || "").toUpperCase().replace(/[\s\-.]/g, "");

function search(query) {
  const key = squash(query);
  const words = query.trim().toUpperCase();
  const found = Object.values(state.list.entries).filter((e) => key && (
    squash(e.reference) === key || squash(e.document_number) === key || squash(e.vehicle_plate) === key
    || e.surname.toUpperCase().startsWith(words) || `${e.given_names} ${e.surname}`.toUpperCase().startsWith(words)));
  show(t("results_for", { q: query }), found, t("nobody", { q: query }));
}

async function checkScanned(text) {
  const verdict = await checkSeal(text.trim(), state.trust, state.notices);
  const params = { signer: verdict.signer || "", date: verdict.date ? verdict.date.toISOString().slice(0, 10) : "" };
  const box = results();
  box.replaceChildren(element("p", { class: verdict.ok ? "ok" : "errors", role: "status", "data-testid": "offline-seal-verdict" },
    t(`seal_${verdict.reason}`, params)));
  if (verdict.entries && (verdict.ok || verdict.reason === "not_current_seal")) {
    verdict.entries.forEach((entry) => box.append(card(entry)));
  }
}

function showShell() {
  const query = new URLSearchParams(location.search).get("q");
  if (query) search(query);
  else show(t("list_today"), Object.values(state.list.entries).filter(listedToday), t("list_empty"));
}

// ---- the forms of the page: taken over only while the server is out of reach

function offlineForms() {
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    const role = form.dataset ? form.dataset.offline : null;
    if (role === "logout") {
      event.preventDefault();
      await wipe(); // the outbox stays, sealed, until its officer logs in again
      form.submit();
      return;
    }
    if (!role || state.reachable || !state.key) return;
    event.preventDefault();
    if (role === "search") search(form.querySelector("[name=q]").value);
    if (role === "seal") checkScanned(form.querySelector("[name=seal]").value).then(() => form.reset());
    if (role === "stamp" || role === "exit") {
      const entry = state.list.entries[form.querySelector("[name=traveller]").value];
      const permits = Array.from(form.querySelectorAll("input[name=permit]:checked"), (box) => box.value);
      if (entry) act(entry, role === "exit" ? { permits_returned: permits } : {});
    }
  });
}

// ---- the key: from the server, or (offline after a reload) from the officer's password

// The key from the server; a busy server (5xx, 429) is asked again a few times. Null when out of reach
// or not logged in (then the password unlocks the kept key).
async function fetchDeviceKey() {
  for (let attempt = 0; ; attempt += 1) {
    let answer;
    try {
      answer = await call(root.dataset.deviceKeyUrl);
    } catch (error) {
      return null;
    }
    if (answer.status === 200 && answer.json && answer.json.key) return answer.json;
    if (attempt >= 3 || !(answer.status >= 500 || answer.status === 429)) return null;
    await new Promise((resolve) => setTimeout(resolve, Math.max(1000 * 2 ** attempt, answer.retryAfter * 1000)));
  }
}

function askPassword(record) {
  const form = document.getElementById("offline-unlock");
  form.hidden = false;
  form.querySelector("input").focus();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const problem = form.querySelector("[data-unlock-problem]");
    try {
      const key = await unwrapDeviceKey(record, form.querySelector("input").value);
      form.hidden = true;
      problem.textContent = "";
      await useKey(key, { officer: record.officer, post: record.post, key_id: record.key_id });
    } catch (error) {
      problem.textContent = t("unlock_wrong");
    }
    form.querySelector("input").value = "";
  });
}

async function start() {
  root.hidden = false;
  keepPagesOnDevice();
  offlineForms();
  window.addEventListener("online", () => { state.reachable = true; cycle(true); });
  window.addEventListener("offline", () => reachable(false));
  setInterval(() => (state.outbox ? cycle() : render()), EVERY);
  const meta = await get("meta", "list");
  if (meta && outlived(meta.days, today())) await forgetList(); // its days are over: personal data goes
  else state.meta = meta;
  const answer = await fetchDeviceKey();
  if (answer) {
    const record = await keepDeviceKey(answer);
    if (record && record.key_id !== answer.key_id) await remove("keys", "device"); // another login's key
    if (meta && meta.key_id !== answer.key_id) await forgetList();
    return useKey(await importDeviceKey(answer.key), { officer: answer.officer, post: answer.post, key_id: answer.key_id });
  }
  render();
  const record = await get("keys", "device");
  if (record && record.officer === root.dataset.officer && record.post === root.dataset.post) return askPassword(record);
  if (!state.reachable) announce(t("cannot_unlock"), "warn", null);
  return undefined;
}

// ---- the service worker keeps the console's pages and files for when the link is gone

// The worker for this page: /post/sw.js, or under the page's language prefix (/ru/post/sw.js) so that
// its scope, the folder it is served from, covers the page.
function workerUrl() {
  const url = new URL(root.dataset.swUrl, location.href);
  const folder = new URL(".", url).pathname;
  const at = location.pathname.indexOf(folder);
  return at > 0 ? location.pathname.slice(0, at) + url.pathname : url.pathname;
}

function keepPagesOnDevice() {
  if (!("serviceWorker" in navigator) || !root.dataset.swUrl) return;
  const worker = workerUrl();
  const scope = new URL(".", new URL(worker, location.href)).pathname;
  navigator.serviceWorker.register(worker, { scope }).then(() => navigator.serviceWorker.ready).then((registration) => {
    const files = performance.getEntriesByType("resource").map((entry) => entry.name)
      .concat(Array.from(document.querySelectorAll("script[src], link[rel=stylesheet]"), (node) => node.src || node.href))
      .filter((url) => new URL(url).origin === location.origin && new URL(url).pathname.includes("/static/"));
    const pages = document.querySelector("[data-offline-shell]") ? [] : [location.pathname];
    const ask = () => registration.active.postMessage({ keep: { files: [...new Set(files)], pages } });
    let tries = 0;
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (!event.data || !("kept" in event.data)) return;
      if (event.data.kept) root.dataset.offlineReady = "true";
      else if (tries < 5) setTimeout(ask, FIRST_PAUSE * 2 ** tries++); // the server was busy: again later
    });
    ask();
  }).catch(() => {}); // no worker (private window, old browser): the console works while online
}

if (root && window.crypto && crypto.subtle && window.indexedDB) start();
