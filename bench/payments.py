"""Cash payments recorded per second through the API, each with its gap-free receipt number.

Every payment at a post takes that post's receipt counter row lock inside its transaction, so
this is the figure for the busiest case: one post, many officers recording at once. After the run
the receipt numbers are checked for gaps and duplicates. Run alone with `.venv/bin/python -m
bench.payments`; PostgreSQL behind gunicorn on this machine (bench.harness), wrk on the same machine.
"""

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench import harness

SECONDS = int(os.environ.get("BENCH_PAYMENT_SECONDS", "10"))
PARTIES = int(os.environ.get("BENCH_PAYMENT_PARTIES", "30000"))  # more than one run can pay for

WRK_SCRIPT = """
local lines = {}
for line in io.lines(os.getenv("BENCH_PARTIES")) do lines[#lines + 1] = line end
local counter = 0
local threads = {}
function setup(thread) thread:set("id", #threads); table.insert(threads, thread) end
function init(args) counter = id end
function request()
  counter = counter + 2
  local ref = lines[(counter % #lines) + 1]
  local body = '{"reference":"' .. ref .. '","amount":"15.00","currency":"USD","method":"cash",'
    .. '"idempotency_key":"bench-' .. ref .. '"}'
  return wrk.format("POST", "/api/v1/posts/kg-bordobo/payments",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")}, body)
end
"""


def _receipts_without_gaps(office: str, year: int) -> str:
    from django.db.models import Count, Max

    from kordon.payments.models import Receipt, ReceiptCounter

    found = Receipt.objects.filter(office=office, year=year).aggregate(n=Count("id"), last=Max("sequence"))
    counter = ReceiptCounter.objects.filter(office=office, year=year).values_list("last", flat=True).first()
    ok = found["n"] == found["last"] == counter
    return f"receipts {office} {year}: {found['n']} issued, last number {found['last']}: {'no gaps' if ok else 'GAPS'}"


def payments_per_second(base: str, token: str) -> list[str]:
    from bench.data import todays_party_list
    from kordon.crossings.models import Post
    from kordon.payments.models import Payment

    post = Post.objects.get(code="kg-bordobo")
    parties = todays_party_list(PARTIES, post.local_today())
    before = Payment.objects.count()
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "parties.txt").write_text("\n".join(reference for reference, _ in parties))
        (Path(tmp) / "pay.lua").write_text(WRK_SCRIPT)
        env = os.environ | {"BENCH_PARTIES": f"{tmp}/parties.txt", "BENCH_TOKEN": token}
        started = time.perf_counter()
        out = subprocess.run(["wrk", "-t2", "-c16", f"-d{SECONDS}s", "-s", f"{tmp}/pay.lua", base],
                             env=env, capture_output=True, text=True, check=True).stdout
        elapsed = time.perf_counter() - started
    made = Payment.objects.count() - before
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    latency = re.search(r"Latency\s+(\S+)\s+(\S+)\s+(\S+)", out)
    return [
        f"cash payments recorded per second over HTTP, one post (POST /api/v1/posts/kg-bordobo/payments, "
        f"gunicorn 4 workers, wrk 2 threads x 16 connections, same machine): {made / elapsed:.0f}/s "
        f"({made} payments with receipts in {elapsed:.1f} s, mean latency {latency.group(1) if latency else '?'}, "
        f"non-2xx: {errors.group(1) if errors else 0})",
    ]


def run() -> list[str]:
    if not shutil.which("wrk"):
        return ["payments per second: skipped, wrk is not installed (apt-get install wrk)"]
    harness.setup_django()
    from bench.foundation import officer_token
    from kordon.crossings.models import Post

    token = officer_token()
    with harness.gunicorn(workers=4) as base:
        lines = payments_per_second(base, token)
    # Checked once the server has stopped: requests still in flight when wrk stops commit after it.
    post = Post.objects.get(code="kg-bordobo")
    return [*lines, _receipts_without_gaps(post.code.upper(), post.local_today().year)]


if __name__ == "__main__":
    for line in run():
        print(line)
