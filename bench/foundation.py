"""Officer look-up by document number with a million notices, and stamps per second over HTTP.

Run alone with `.venv/bin/python -m bench.foundation`. Figures come from PostgreSQL behind gunicorn
on this machine, the load generator (wrk) on the same machine.
"""

import json
import os
import random
import re
import shutil
import time
import urllib.request

from bench import harness

NOTICES = int(os.environ.get("BENCH_NOTICES", "1000000"))
LOOKUPS = int(os.environ.get("BENCH_LOOKUPS", "2000"))
STAMP_SECONDS = int(os.environ.get("BENCH_STAMP_SECONDS", "10"))
WARM_UP = 50


def officer_token() -> str:
    from kordon.crossings.models import Post
    from kordon.posts.models import Officer
    from kordon.tokens import hash_token

    token = "bench-officer-token"  # noqa: S105 - the bench's own throwaway database
    if not Officer.objects.filter(token_hash=hash_token(token)).exists():
        from django.contrib.auth import get_user_model

        user, _ = get_user_model().objects.get_or_create(username="bench-officer")
        Officer.objects.update_or_create(user=user, defaults={"post": Post.objects.get(code="kg-bordobo"),
                                                              "token_hash": hash_token(token)})
    return token


def lookup_latency(base: str, token: str) -> list[str]:
    """p50/p99 of the server's own time (Server-Timing) for a search by document number."""
    numbers = [f"B{random.randrange(NOTICES):08d}" for _ in range(LOOKUPS + WARM_UP)]
    timings, found = [], 0
    for number in numbers:
        request = urllib.request.Request(f"{base}/api/v1/posts/kg-bordobo/search?q={number}",  # noqa: S310
                                         headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request) as response:  # noqa: S310 - our own local server
            timings.append(float(re.search(r"dur=([\d.]+)", response.headers["Server-Timing"]).group(1)))
            found += bool(json.load(response)["entries"])
    timings = timings[WARM_UP:]  # the first requests of each worker load code and caches
    return [
        f"officer look-up by document number, {NOTICES:,} notices stored: "
        f"p50 {harness.percentile(timings, 0.5):.2f} ms, p99 {harness.percentile(timings, 0.99):.2f} ms server time "
        f"({LOOKUPS} look-ups, {found} arriving at this post; target p99 <= 20 ms)",
    ]


def stamps_per_second(base: str, token: str) -> list[str]:
    from kordon.crossings.models import Post
    from kordon.posts.models import Stamp

    if not shutil.which("wrk"):
        return ["stamps per second: skipped, wrk is not installed (apt-get install wrk)"]
    post = Post.objects.get(code="kg-bordobo")
    from bench.data import todays_party_list

    parties = todays_party_list(40_000, post.local_today())
    before = Stamp.objects.count()
    body = '{"reference": "{1}", "document_number": "{2}"}'
    load = harness.post_load(base, "/api/v1/posts/kg-bordobo/stamps", body, [f"{r},{d}" for r, d in parties],
                             token, STAMP_SECONDS)
    made = Stamp.objects.count() - before
    return [
        f"stamps per second over HTTP (first stamps, gunicorn {harness.WORKERS} workers, "
        f"wrk 2 threads x 16 connections, same 2-core machine): {made / load.elapsed:.0f}/s "
        f"({made} stamps in {load.elapsed:.1f} s, "
        f"mean latency {load.latency}, non-2xx: {load.non_2xx}; target >= 450/s)",
    ]


def run() -> list[str]:
    harness.setup_django()
    from bench.data import ensure_notices

    started = time.perf_counter()
    added = ensure_notices(NOTICES)
    lines = [f"bench data: {NOTICES:,} notices in {harness.database_url().rsplit('/', 1)[-1]} "
             f"({added:,} added in {time.perf_counter() - started:.0f} s)"]
    token = officer_token()
    with harness.gunicorn() as base:
        lines += lookup_latency(base, token)
        lines += stamps_per_second(base, token)
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
