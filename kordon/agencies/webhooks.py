"""Webhooks to agencies: each event of one of their notices, signed, posted after commit, retried.

Signature (Stripe's scheme, so agencies' libraries know it): the header
`Kordon-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" under the agency's secret>`.
A receiver recomputes it over the raw body and refuses a timestamp older than a few minutes
(`verify`, TOLERANCE), so a captured delivery cannot be replayed later. Failed deliveries (no
answer, or not 2xx) are tried again after 1, 4, 16, 64 and 256 minutes, then given up; every attempt's
outcome is kept on the `WebhookDelivery` (the delivery log).
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import default_task_backend

from kordon.agencies.models import AgencyNotice, DeliveryStatus, WebhookDelivery
from kordon.notices.models import Notice

EVENTS = ("filed", "accepted", "amended", "cancelled", "entered", "refused")
MAX_ATTEMPTS = 6
TOLERANCE = 300  # seconds a receiver should accept a signature's timestamp for
TIMEOUT = 10


def signature(secret: str, body: bytes, timestamp: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, *, now: float | None = None, tolerance: int = TOLERANCE) -> bool:
    """What a receiver does: the signature matches the raw body and its timestamp is recent."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    expected = signature(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def announce(notice: Notice, event: str) -> WebhookDelivery | None:
    """Queue `event` for the agency owning `notice`, if it has a webhook. Call inside the transaction
    of what happened: the delivery is kept with it and posted after commit."""
    link = AgencyNotice.objects.select_related("agency").filter(notice_id=notice.pk).first()
    if link is None or not link.agency.webhook_url or not link.agency.is_active:
        return None
    payload = {
        "id": str(uuid.uuid4()), "event": event, "created_at": timezone.now().isoformat(),
        "notice": {"reference": notice.reference, "status": notice.status, "payment_status": notice.payment_status,
                   "expected_date": notice.expected_date.isoformat(), "group": link.group_id},
    }
    delivery = WebhookDelivery.objects.create(agency=link.agency, notice=notice, event=event, payload=payload)
    transaction.on_commit(lambda: _enqueue(delivery.pk))
    return delivery


def _enqueue(pk: int, when: timedelta | None = None) -> None:
    from kordon.agencies.tasks import deliver

    if when is not None and default_task_backend.supports_defer:
        deliver.using(run_after=timezone.now() + when).enqueue(pk)
    elif when is None:
        deliver.enqueue(pk)
    # else: a backend without deferred tasks; `retry_due` (kordon webhooks) posts it when due


def backoff(attempts: int) -> timedelta:
    return timedelta(minutes=4 ** (attempts - 1))


def deliver_now(pk: int) -> str:
    """Post one delivery if it is due; claimed first, so two workers never post it twice at once."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        Q(status=DeliveryStatus.PENDING) | Q(status=DeliveryStatus.RETRYING), pk=pk, next_attempt_at__lte=now,
    ).update(next_attempt_at=now + timedelta(seconds=TIMEOUT * 3))  # a lease while this worker posts
    if not claimed:
        return "not_due"
    delivery = WebhookDelivery.objects.select_related("agency").get(pk=pk)
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    request = urllib.request.Request(delivery.agency.webhook_url, data=body, method="POST", headers={  # noqa: S310
        "Content-Type": "application/json", "User-Agent": "kordon-webhooks/1",
        "Kordon-Event": delivery.event, "Kordon-Delivery": str(delivery.pk),
        "Kordon-Signature": signature(delivery.agency.webhook_secret, body, int(time.time()))})
    code, error = None, ""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - the agency's own URL
            code = response.status
    except urllib.error.HTTPError as exc:
        code, error = exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        error = str(exc)[:500]
    delivery.attempts += 1
    delivery.last_status_code, delivery.last_error = code, error
    if code is not None and 200 <= code < 300:
        delivery.status, delivery.delivered_at, delivery.last_error = DeliveryStatus.DELIVERED, timezone.now(), ""
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
    else:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.RETRYING, timezone.now() + backoff(delivery.attempts)
    delivery.save(update_fields=["attempts", "last_status_code", "last_error", "status", "delivered_at",
                                 "next_attempt_at"])
    if delivery.status == DeliveryStatus.RETRYING:
        _enqueue(delivery.pk, backoff(delivery.attempts))
    return str(delivery.status)


def retry_due() -> int:
    """Post every delivery whose time has come (for a worker without deferred tasks, and after an outage)."""
    due = WebhookDelivery.objects.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING],
                                         next_attempt_at__lte=timezone.now()).values_list("pk", flat=True)
    return sum(deliver_now(pk) != "not_due" for pk in list(due[:1000]))
