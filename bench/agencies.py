"""Agencies: 1,000 notices filed through the API in batches (POST /api/v1/agency/groups), notices a second.

Run alone with `.venv/bin/python -m bench.agencies`. PostgreSQL behind gunicorn, as bench.offline;
each notice is one traveller, filed on its own in its own transaction (checks, fee, reference,
seal, audit), 500 to a request (the batch limit). Rate limits are off (bench.harness).
"""

import json
import re
import secrets
import time
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any

from bench import harness

NOTICES = 1000
PER_REQUEST = 500
NAMES = ["Anna", "Lars", "Mira", "Jonas", "Ilse", "Pieter", "Sofie", "Daan", "Emma", "Bram"]


def _token() -> str:
    from kordon.agencies import services
    from kordon.agencies.models import Agency
    from kordon.audit.services import SYSTEM

    agency = Agency.objects.filter(name="Bench Tours").first()
    if agency is None:
        agency, issued = services.create_agency("Bench Tours", SYSTEM)
        return issued.raw
    return services.issue_token(agency, f"bench-{secrets.token_hex(4)}", ["file", "read"], SYSTEM).raw


def _post(base: str, path: str, body: dict[str, Any], token: str) -> tuple[int, float, dict[str, Any]]:
    request = urllib.request.Request(f"{base}{path}", data=json.dumps(body).encode(), method="POST", headers={  # noqa: S310
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310 - our own local server
            server = float(re.search(r"dur=([\d.]+)", response.headers["Server-Timing"]).group(1))
            return response.status, server, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, 0.0, json.load(error)


def _notice(day: str, run: str, n: int) -> dict[str, Any]:
    return {"crossing": "kyzyl-art", "direction": "TJ-KG", "expected_date": day,
            "contact": {"email": f"t{n}@example.org"},
            "travellers": [{"surname": "Bench", "given_names": NAMES[n % len(NAMES)], "nationality": "NLD",
                            "sex": "F", "date_of_birth": "1985-03-03", "document_number": f"{run}{n:05d}",
                            "document_expiry": "2035-01-01"}]}


def _open_day(base: str, token: str, run: str) -> str:
    """The first day the crossing takes a notice for (lead time, opening days), found by filing one."""
    from kordon.crossings.models import Post

    today = Post.objects.get(code="kg-bordobo").local_today()
    for ahead in range(5, 40):
        day = (today + timedelta(days=ahead)).isoformat()
        status, _, answer = _post(base, "/api/v1/agency/groups", {"name": "probe", "notices": [
            _notice(day, run, 99999)]}, token)
        if status == 201 and answer["results"][0]["outcome"] == "filed":
            return day
    raise RuntimeError("no day within 40 days takes a notice")


def run() -> list[str]:
    harness.setup_django()
    token, run_id = _token(), "B" + secrets.token_hex(3).upper()
    with harness.gunicorn() as base:
        day = _open_day(base, token, run_id)  # also warms one worker
        server_ms, started = 0.0, time.perf_counter()
        filed = 0
        for start in range(0, NOTICES, PER_REQUEST):
            items = [_notice(day, run_id, n) for n in range(start, min(start + PER_REQUEST, NOTICES))]
            status, server, answer = _post(base, "/api/v1/agency/groups", {"name": f"bench {start}",
                                                                           "notices": items}, token)
            assert status == 201, answer
            filed += answer["filed"]
            server_ms += server
        wall = time.perf_counter() - started
    assert filed == NOTICES, f"{filed} of {NOTICES} filed"
    return [f"batch filing of {NOTICES:,} notices through the API ({PER_REQUEST} a request): "
            f"{NOTICES / wall:,.0f} notices/s end to end ({wall:,.1f} s), {NOTICES / (server_ms / 1000):,.0f} "
            f"notices/s of server time; each its own transaction (checks, fee, reference, seal, audit)"]


if __name__ == "__main__":
    for line in run():
        print(line)
