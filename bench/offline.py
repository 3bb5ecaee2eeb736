"""Offline posts over HTTP: a full sync of a busy day, a delta of 100 changes, 500 events in one request.

Run alone with `.venv/bin/python -m bench.offline`. PostgreSQL behind gunicorn, as bench.foundation;
times are the server's own (Server-Timing), sizes are the gzip-compressed bodies sent. The day is
loaded into a crossing of its own (`bench-offline`), refilled on every run, beside whatever else
the bench database holds (bench.foundation's million notices when it ran first).
"""

import gzip
import json
import os
import re
import time
import urllib.request
import uuid
from datetime import datetime, timedelta
from typing import Any

from bench import harness

SIZES = [int(n) for n in os.environ.get("BENCH_SYNC_TRAVELLERS", "10000,100000").split(",")]
CHANGES = 100
EVENTS = 500
ROUNDS = int(os.environ.get("BENCH_SYNC_ROUNDS", "5"))
TOKEN = "bench-offline-token"  # noqa: S105 - the bench's own throwaway database


def _fresh_post() -> Any:
    """The bench crossing's receiving post, emptied of notices, with an officer holding TOKEN."""
    from django.contrib.auth import get_user_model

    from kordon.crossings.models import Crossing, Direction, Post
    from kordon.notices.models import Notice
    from kordon.offline.models import DeviceEvent
    from kordon.posts.models import Journey, Officer, Refusal, Stamp
    from kordon.tokens import hash_token

    crossing, _ = Crossing.objects.update_or_create(slug="bench-offline", defaults={
        "name": "Bench crossing", "arrival_days_early": 0, "arrival_days_late": 0})
    here, _ = Post.objects.update_or_create(code="bench-in", defaults={
        "crossing": crossing, "name": "Bench post", "country": "KG", "timezone": "Asia/Bishkek", "offline_days": 1})
    there, _ = Post.objects.update_or_create(code="bench-out", defaults={
        "crossing": crossing, "name": "Bench other post", "country": "TJ", "timezone": "Asia/Dushanbe"})
    Direction.objects.update_or_create(crossing=crossing, code="TJ-KG", defaults={"from_post": there, "to_post": here})
    DeviceEvent.objects.filter(post__crossing=crossing).delete()
    Stamp.objects.filter(post__crossing=crossing).delete()
    Refusal.objects.filter(post__crossing=crossing).delete()
    Journey.objects.filter(to_post__crossing=crossing).delete()
    Notice.objects.filter(crossing=crossing).delete()
    user, _ = get_user_model().objects.get_or_create(username="bench-offline-officer")
    Officer.objects.update_or_create(user=user, defaults={"post": here, "token_hash": hash_token(TOKEN)})
    return here


def _trust_material() -> str:
    """Published roots of KG and TJ with a signer each and their CRLs, as production has, so that a
    sync carries (and builds) real trust material; made once per bench database."""
    import tempfile
    from pathlib import Path

    from django.conf import settings

    from kordon.seals import administration
    from kordon.seals.authority import load_private_key
    from kordon.seals.models import Authority
    from kordon.seals.services import publish_revoked_seals

    if not Authority.objects.filter(is_demo=False).exists():
        settings.KORDON_SEAL_KEY_PASSPHRASE = "bench-seal-key-passphrase-not-a-secret"  # noqa: S105 - bench only
        folder, passphrase = Path(tempfile.mkdtemp(prefix="kordon-bench-roots-")), b"bench root key passphrase"
        for country in ("KG", "TJ"):
            path = folder / f"csca-{country}.pem"
            administration.set_up_authority(country=country, name=f"Bench seal authority {country}", key_path=path,
                                            passphrase=passphrase)
            administration.add_signer(load_private_key(path, passphrase))
        publish_revoked_seals()
    return f"{Authority.objects.filter(is_demo=False).count()} published roots with their signers and CRLs"


def _load_day(post: Any, count: int) -> list[tuple[str, str]]:
    """`count` single-traveller notices listed today at `post`: (reference, document number)."""
    from django.db import connection

    from bench import data
    from kordon.crossings.models import Crossing

    crossing = Crossing.objects.get(slug="bench-offline")
    direction = crossing.directions.get(code="TJ-KG")
    today, made = post.local_today(), []
    for start in range(0, count, data.BATCH):
        batch = data._add_batch(crossing, lambda: (direction, today), "S", start, min(data.BATCH, count - start))
        made += [(t.notice.reference, t.document_number) for t in batch]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return made


def _get(base: str, path: str) -> tuple[float, int, dict[str, Any]]:
    """Server time (ms), compressed bytes and the JSON of a GET sent as a browser would (gzip accepted)."""
    request = urllib.request.Request(f"{base}{path}", headers={  # noqa: S310 - our own local server
        "Authorization": f"Bearer {TOKEN}", "Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:  # noqa: S310
        raw = response.read()
        server = float(re.search(r"dur=([\d.]+)", response.headers["Server-Timing"]).group(1))
        body = gzip.decompress(raw) if response.headers.get("Content-Encoding") == "gzip" else raw
    return server, len(raw), json.loads(body)


def _post(base: str, path: str, body: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    request = urllib.request.Request(f"{base}{path}", data=json.dumps(body).encode(), method="POST", headers={  # noqa: S310
        "Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:  # noqa: S310
        server = float(re.search(r"dur=([\d.]+)", response.headers["Server-Timing"]).group(1))
        return server, json.load(response)


def full_sync(base: str, count: int) -> tuple[list[str], str]:
    timings, size, cursor = [], 0, ""
    for _ in range(ROUNDS):
        server, size, data = _get(base, "/api/v1/posts/bench-in/sync")
        assert data["full"] and len(data["entries"]) == count, len(data["entries"])
        timings.append(server)
        cursor = data["cursor"]
    best, median = min(timings), harness.percentile(timings, 0.5)
    met = "met" if median <= 2000 else "MISSED"
    return [f"full sync of a {count:,}-traveller day: {median:,.0f} ms server time (median of {ROUNDS}, best "
            f"{best:,.0f} ms), {size / 1024:,.0f} KiB gzip-compressed ({size / count:.0f} bytes a traveller)"
            + (f" (target <= 2 s: {met})" if count == 10_000 else "")], cursor


def delta_sync(base: str, cursor: str) -> list[str]:
    from kordon.notices.models import Traveller

    ids = list(Traveller.objects.filter(notice__crossing__slug="bench-offline").order_by("pk")
               .values_list("pk", flat=True)[:CHANGES * ROUNDS])
    timings, size = [], 0
    for round_ in range(ROUNDS):
        changed = ids[round_ * CHANGES:(round_ + 1) * CHANGES]
        Traveller.objects.filter(pk__in=changed).update(given_names=f"Changed {round_}")
        server, size, data = _get(base, f"/api/v1/posts/bench-in/sync?since={cursor}")
        assert not data["full"] and len(data["entries"]) >= CHANGES, len(data["entries"])
        timings.append(server)
        cursor = data["cursor"]
    median = harness.percentile(timings, 0.5)
    met = "met" if median <= 50 else "MISSED"
    queries, trust = _delta_queries(cursor, ids[:CHANGES])
    return [f"delta sync of {CHANGES} changes: {median:.1f} ms server time (median of {ROUNDS}, best "
            f"{min(timings):.1f} ms), {size / 1024:.1f} KiB compressed, {queries} queries, trust material "
            f"{'included' if trust else 'left out (unchanged)'} (target <= 50 ms: {met})"]


def _delta_queries(cursor: str, changed: list[int]) -> tuple[int, bool]:
    """The queries one more delta makes, counted in this process (the server's are not visible)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kordon.crossings.models import Post
    from kordon.notices.models import Traveller
    from kordon.offline import sync

    Traveller.objects.filter(pk__in=changed).update(given_names="Counted")
    post = Post.objects.select_related("crossing").get(code="bench-in")
    with CaptureQueriesContext(connection) as queries:
        result = sync.sync(post, cursor)
    assert result.entries >= len(changed), result.entries
    return len(queries.captured_queries), result.body["trust"] is not None


def events(base: str, listed: list[tuple[str, str]]) -> list[str]:
    at = (datetime.now().astimezone() - timedelta(minutes=5)).isoformat()
    rates = []
    for round_ in range(2):
        batch = listed[round_ * EVENTS:(round_ + 1) * EVENTS]
        body = {"device": "bench", "events": [
            {"event_id": str(uuid.uuid4()), "kind": "entry", "reference": ref, "document_number": doc, "at": at}
            for ref, doc in batch]}
        started = time.perf_counter()
        server, answer = _post(base, "/api/v1/posts/bench-in/events", body)
        wall = time.perf_counter() - started
        outcomes = {r["outcome"] for r in answer["results"]}
        assert outcomes == {"recorded"}, outcomes
        rates.append((EVENTS / (server / 1000), server, wall))
    rate, server, wall = max(rates)
    per_event = _event_queries(listed[2 * EVENTS:2 * EVENTS + 100], at)
    return [f"{EVENTS} entry events in one request: {rate:,.0f} events/s ({server:,.0f} ms server time, "
            f"{wall * 1000:,.0f} ms end to end; one transaction, a savepoint, a stamp and its audit per event; "
            f"{per_event:.1f} queries an event)"]


def _event_queries(listed: list[tuple[str, str]], at: str) -> float:
    """Queries per event of one more batch, counted in this process."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kordon.offline import services
    from kordon.posts.models import Officer

    officer = Officer.objects.select_related("user", "post__crossing").get(user__username="bench-offline-officer")
    events = [{"event_id": str(uuid.uuid4()), "kind": "entry", "reference": ref, "document_number": doc, "at": at}
              for ref, doc in listed]
    with CaptureQueriesContext(connection) as queries:
        results = services.push_events(officer, officer.post, "bench", events)
    assert {r["outcome"] for r in results} == {"recorded"}
    return len(queries.captured_queries) / len(events)


def run() -> list[str]:
    harness.setup_django()
    lines: list[str] = [f"trust material: {_trust_material()}"]
    for count in SIZES:
        post = _fresh_post()
        started = time.perf_counter()
        listed = _load_day(post, count)
        load = time.perf_counter() - started
        with harness.gunicorn() as base:
            _get(base, "/api/v1/posts/bench-in/sync?since=warm-up")  # each worker loads its code once
            figures, cursor = full_sync(base, count)
            lines += figures
            if count == SIZES[0]:
                lines += delta_sync(base, cursor)
                lines += events(base, listed)
        lines.append(f"  ({count:,} notices loaded in {load:.0f} s)")
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
