"""Prometheus metrics (prometheus-client).

Per request, in each process: `kordon_http_requests_total` and `kordon_http_request_duration_seconds`
(method, URL pattern, status). Under gunicorn every worker is its own process, so with
PROMETHEUS_MULTIPROC_DIR set (deploy/gunicorn.conf.py sets it and clears dead workers' files) the
figures of all workers are added up at scrape time. What lives in the database is read when scraped,
so every app server reports the same: stamps recorded, parties overdue between the posts, tasks
waiting for the worker and running.

The scrape (`/metrics`) needs `Authorization: Bearer <KORDON_METRICS_TOKEN>`; without that setting it
does not exist (404). The proxy does not pass it on either (deploy/nginx): it is for the monitoring
network only.
"""

import hmac
import os
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

REQUESTS = Counter("kordon_http_requests", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram("kordon_http_request_duration_seconds", "Time to answer a request", ["method", "route"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


class DatabaseCollector(Collector):
    """What every app server would report alike, read from the database at scrape time."""

    def collect(self) -> Iterator[Metric]:
        from django.db.models import Count
        from django_tasks_db.models import DBTaskResult

        from kordon.posts.models import Journey, Stamp

        try:
            stamps = dict(Stamp.objects.order_by().values_list("kind").annotate(n=Count("pk")))
            overdue = Journey.objects.filter(ended_at__isnull=True, due_by__lt=timezone.now()).count()
            tasks = dict(DBTaskResult.objects.order_by().filter(status__in=["READY", "RUNNING"])
                         .values_list("status").annotate(n=Count("pk")))
        except DatabaseError:
            up = GaugeMetricFamily("kordon_database_up", "Whether the database answered the scrape")
            up.add_metric([], 0)
            yield up
            return
        up = GaugeMetricFamily("kordon_database_up", "Whether the database answered the scrape")
        up.add_metric([], 1)
        yield up
        family = GaugeMetricFamily("kordon_stamps", "Stamps recorded and kept", labels=["kind"])
        for kind in ("entry", "exit"):
            family.add_metric([kind], stamps.get(kind, 0))
        yield family
        late = GaugeMetricFamily("kordon_overdue_parties", "Parties between the posts past their due time")
        late.add_metric([], overdue)
        yield late
        queue = GaugeMetricFamily("kordon_task_queue_depth", "Background tasks by state", labels=["state"])
        queue.add_metric(["waiting"], tasks.get("READY", 0))
        queue.add_metric(["running"], tasks.get("RUNNING", 0))
        yield queue


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = CollectorRegistry()
        for collector in (REQUESTS, LATENCY):
            registry.register(collector)
    registry.register(DatabaseCollector())
    return registry


def _authorized(request: HttpRequest) -> bool:
    expected = settings.KORDON_METRICS_TOKEN
    given = request.META.get("HTTP_AUTHORIZATION", "")
    return bool(expected) and hmac.compare_digest(given.encode(), f"Bearer {expected}".encode())


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not settings.KORDON_METRICS_TOKEN:
        return HttpResponse(status=404)
    if not _authorized(request):
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)

