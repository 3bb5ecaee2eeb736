"""Two application servers behind the TLS proxy: stamps and filings per second, and their p99.

The production topology of `make prod-local` (deploy/prodlocal.py: the machine's PostgreSQL, the
S3-protocol server, two gunicorn servers of 2 workers, the worker, nginx with TLS), started for the
bench in a directory, database and ports of its own (var/bench-cluster, kordon_cluster, 18543…), so a
running prod-local is left alone. Rate limits stay on, set high: their counters are the state the
two servers share (the cache table in the database), and part of what is measured.

Run alone with `.venv/bin/python -m bench.cluster`; wrk runs on the same 2-core machine.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench import harness

SECONDS = int(os.environ.get("BENCH_CLUSTER_SECONDS", "10"))
ENVIRONMENT = {
    "PROD_LOCAL_DIR": str(harness.ROOT / "var" / "bench-cluster"), "PROD_LOCAL_DB": "kordon_cluster",
    "PROD_LOCAL_PORT": "18543", "PROD_LOCAL_APP_PORT": "18201", "PROD_LOCAL_S3_PORT": "19100",
}
# High enough never to refuse the load, low enough to be counted on every request.
RATES = "file_notice=10000000/h,change_notice=10000000/h,lookup=10000000/m"


def _topology() -> Any:
    """deploy.prodlocal pointed at the bench's own directory, database and ports."""
    os.environ.update(ENVIRONMENT)
    from deploy import prodlocal

    values = prodlocal.settings()
    if "KORDON_RATE_LIMITS" not in values:
        with (prodlocal.DIR / "kordon.env").open("a") as env:
            env.write(f"KORDON_RATE_LIMITS={RATES}\nKORDON_LOG_LEVEL=WARNING\n")
    return prodlocal


def _setup_django(prodlocal: Any) -> None:
    os.environ.update(prodlocal.environment())
    import django

    django.setup()


def _load(base: str, path: str, body: str, lines: list[str], token: str, connections: int) -> dict[str, Any]:
    """wrk with 2 threads and `connections` connections for SECONDS; requests per second, p99, errors."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "lines.csv").write_text("\n".join(lines))
        script = harness.WRK_SCRIPT if token else harness.WRK_SCRIPT.replace(
            ', ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")', "")  # a traveller files without one
        (Path(tmp) / "post.lua").write_text(script)
        env = os.environ | {"BENCH_LINES": f"{tmp}/lines.csv", "BENCH_TOKEN": token, "BENCH_PATH": path,
                            "BENCH_BODY": body}
        out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{SECONDS}s", "--latency", "-s",
                              f"{tmp}/post.lua", base], env=env, capture_output=True, text=True, check=True).stdout
    done = re.search(r"(\d+) requests in ([\d.]+)s", out)
    p99 = re.search(r"^\s*99%\s+(\S+)", out, re.MULTILINE)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    requests, elapsed = (int(done.group(1)), float(done.group(2))) if done else (0, float(SECONDS))
    return {"requests": requests, "per_second": requests / elapsed, "p99": p99.group(1) if p99 else "?",
            "non_2xx": int(errors.group(1)) if errors else 0}


def _upstreams(log: Path, since: int) -> str:
    """How the proxy shared the requests written to its access log after byte `since`."""
    with log.open("rb") as lines:
        lines.seek(since)
        counts = Counter(line.split()[-2].decode() for line in lines if line.strip())
    return ", ".join(f"{server} {count}" for server, count in sorted(counts.items()))


def _filing_date(prodlocal: Any) -> str:
    """The first date the crossing takes a notice for (lead time, open days)."""
    return str(prodlocal.file_notice()["expected_date"])


def run() -> list[str]:
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            return [f"two app servers behind the proxy: skipped, {tool} is not installed"]
    prodlocal = _topology()
    prodlocal.start()
    try:
        _setup_django(prodlocal)
        return _measure(prodlocal)
    finally:
        prodlocal.stop()


def _measure(prodlocal: Any) -> list[str]:
    from bench.data import todays_party_list
    from kordon.crossings.models import Post
    from kordon.notices.models import Notice
    from kordon.posts.models import Stamp

    tokens = json.loads((prodlocal.DIR / "tokens.json").read_text())
    access_log = prodlocal.DIR / "logs" / "nginx-access.log"
    base = prodlocal.BASE
    lines = [f"two app servers (gunicorn, 2 workers each) behind nginx with TLS, PostgreSQL, wrk 2 threads, "
             f"{SECONDS} s per run, same 2-core machine"]
    today = Post.objects.get(code="kg-bordobo").local_today()
    for connections in (4, 16):
        parties = todays_party_list(600 * SECONDS * connections // 4, today)
        before, logged = Stamp.objects.count(), access_log.stat().st_size
        load = _load(base, "/api/v1/posts/kg-bordobo/stamps", '{"reference": "{1}", "document_number": "{2}"}',
                     [f"{r},{d}" for r, d in parties], tokens["officer"], connections)
        made = Stamp.objects.count() - before
        lines.append(f"stamps through the proxy, {connections} connections: {made / SECONDS:.0f}/s "
                     f"({made} stamps, p99 {load['p99']}, non-2xx {load['non_2xx']}; "
                     f"served by {_upstreams(access_log, logged)})")

    expected = _filing_date(prodlocal)
    person = {"surname": "Eriksson", "given_names": "Anna", "nationality": "NLD", "sex": "F",
              "date_of_birth": "1980-01-31", "document_number": "{1}", "document_expiry": "2031-01-01"}
    body = json.dumps({"crossing": "kyzyl-art", "direction": "TJ-KG", "expected_date": expected,
                       "contact": {"email": "anna@example.org"}, "travellers": [person], "vehicle": None})
    numbers = [f"F{time.time_ns() % 10**6:06d}{i:07d}," for i in range(200_000)]
    before, logged = Notice.objects.count(), access_log.stat().st_size
    load = _load(base, "/api/v1/notices", body, numbers, "", 16)
    filed = Notice.objects.count() - before
    lines.append(f"filings through the proxy, 16 connections: {filed / SECONDS:.0f}/s ({filed} notices with a seal "
                 f"and a fee each, p99 {load['p99']}, non-2xx {load['non_2xx']}; "
                 f"served by {_upstreams(access_log, logged)})")
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
