// The outbox: what the officer did on this device, sealed in IndexedDB until the server has it.
// An event leaves the outbox only with a final answer from the server (recorded, replayed, conflict,
// refused); a lost connection, a server error, an expired session (401), a refusal to serve (403) or
// "slow down" (429) keep it, and it is sent again later with growing pauses.

import { all, get, lock, put, remove, unlock } from "./store.js";

const FINAL = new Set(["recorded", "replayed", "conflict", "refused"]);
const BATCH = 500; // the server takes at most 500 events a request
const FIRST_PAUSE = 5000;
const LONGEST_PAUSE = 5 * 60 * 1000;

const label = (eventId) => `event|${eventId}`;

// The device's time with its offset, as the officer's clock showed it: 2026-07-14T09:12:03.120+06:00.
export function deviceTime(date = new Date()) {
  const pad = (n, width = 2) => String(Math.abs(n)).padStart(width, "0");
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:`
    + `${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
    + `${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

export class Outbox {
  // `owner`: {officer, post, key_id} of the device key `key`; `send(body)` posts to the events API and
  // resolves to {status, json} or rejects on a network error.
  constructor({ key, owner, send, onOutcome, onChange }) {
    Object.assign(this, { key, owner, send, onOutcome, onChange });
    this.pause = 0;
    this.retryAt = 0;
    this.sending = null;
    this.problem = null; // why the last push did not get through: "network", "login", "server"
  }

  async add(event) {
    const box = await lock(this.key, label(event.event_id), event);
    await put("outbox", { event_id: event.event_id, ...this.owner, created: Date.now(), ...box });
    this.onChange();
  }

  // {mine, others}: the events waiting under this officer's key, and those of other officers of this
  // device (sent when they log in again).
  async count() {
    const records = await all("outbox");
    const mine = records.filter((r) => r.key_id === this.owner.key_id).length;
    return { mine, others: records.length - mine };
  }

  // When to try again (ms from now), or null when nothing waits for a retry.
  retryIn() {
    return this.retryAt ? Math.max(0, this.retryAt - Date.now()) : null;
  }

  // Push what waits. `now`: ignore the pause (page load, the link came back, the officer acted).
  flush(now = false) {
    if (this.sending) return this.sending;
    if (!now && Date.now() < this.retryAt) return Promise.resolve(false);
    this.sending = this.push().finally(() => { this.sending = null; });
    return this.sending;
  }

  async push() {
    const records = (await all("outbox")).filter((r) => r.key_id === this.owner.key_id)
      .sort((a, b) => a.created - b.created);
    for (let start = 0; start < records.length; start += BATCH) {
      const events = [];
      for (const record of records.slice(start, start + BATCH)) {
        events.push(await unlock(this.key, label(record.event_id), record));
      }
      if (!(await this.pushBatch(events))) return false;
    }
    this.pause = 0;
    this.retryAt = 0;
    this.problem = null;
    return true;
  }

  async pushBatch(events) {
    let answer;
    try {
      answer = await this.send({ events });
    } catch (error) {
      return this.later("network");
    }
    if (answer.status !== 200 || !answer.json || !Array.isArray(answer.json.results)) {
      return this.later(answer.status === 401 ? "login" : "server", answer.retryAfter);
    }
    const byId = new Map(events.map((event) => [event.event_id, event]));
    for (const result of answer.json.results) {
      const event = byId.get(result.event_id);
      if (!event || !FINAL.has(result.outcome)) continue;
      await remove("outbox", result.event_id);
      this.onOutcome(event, result);
    }
    this.onChange();
    return true;
  }

  // Keep what waits and try again after a pause that doubles (with jitter: posts do not retry in step),
  // or after the server's Retry-After (429, 503) when that is longer.
  later(problem, retryAfter = 0) {
    this.problem = problem;
    this.pause = Math.min(LONGEST_PAUSE, this.pause ? this.pause * 2 : FIRST_PAUSE);
    const wait = Math.max(this.pause * (0.75 + Math.random() / 2), Math.min(LONGEST_PAUSE, (retryAfter || 0) * 1000));
    this.retryAt = Date.now() + wait;
    this.onChange();
    return false;
  }
}

export async function waiting(eventId) {
  return Boolean(await get("outbox", eventId));
}
