"""Cash payments recorded per second through the API, each with its gap-free receipt number.

Every payment at a post takes that post's receipt counter row lock inside its transaction, so
this is the figure for the busiest case: one post, many officers recording at once. After the run
the receipt numbers are checked for gaps and duplicates. Run alone with `.venv/bin/python -m
bench.payments`; PostgreSQL behind gunicorn on this machine (bench.harness), wrk on the same machine.
"""

import os
import shutil

from bench import harness

SECONDS = int(os.environ.get("BENCH_PAYMENT_SECONDS", "10"))
PARTIES = int(os.environ.get("BENCH_PAYMENT_PARTIES", "30000"))  # more than one run can pay for

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
    body = '{"reference": "{1}", "amount": "15.00", "currency": "USD", "method": "cash", "idempotency_key": "b-{1}"}'
    load = harness.post_load(base, "/api/v1/posts/kg-bordobo/payments", body, [r for r, _ in parties], token, SECONDS)
    made = Payment.objects.count() - before
    return [
        f"cash payments recorded per second over HTTP, one post (POST /api/v1/posts/kg-bordobo/payments, "
        f"gunicorn {harness.WORKERS} workers, wrk 2 threads x 16 connections, same machine): "
        f"{made / load.elapsed:.0f}/s "
        f"({made} payments with receipts in {load.elapsed:.1f} s, mean latency {load.latency}, "
        f"non-2xx: {load.non_2xx})",
    ]


def run() -> list[str]:
    if not shutil.which("wrk"):
        return ["payments per second: skipped, wrk is not installed (apt-get install wrk)"]
    harness.setup_django()
    from bench.foundation import officer_token
    from kordon.crossings.models import Post

    token = officer_token()
    with harness.gunicorn() as base:
        lines = payments_per_second(base, token)
    # Checked once the server has stopped: requests still in flight when wrk stops commit after it.
    post = Post.objects.get(code="kg-bordobo")
    return [*lines, _receipts_without_gaps(post.code.upper(), post.local_today().year)]


if __name__ == "__main__":
    for line in run():
        print(line)
