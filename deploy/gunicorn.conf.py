"""gunicorn settings for kordon's app servers: `gunicorn -c deploy/gunicorn.conf.py kordon.wsgi`.

Every value can be changed from the environment (KORDON_BIND, KORDON_WORKERS, ...). Metrics of all
workers are added up in PROMETHEUS_MULTIPROC_DIR (kordon.ops.metrics): it is emptied at start and a
dead worker's files are marked so.
"""

import os
import shutil
import tempfile
from pathlib import Path

bind = os.environ.get("KORDON_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("KORDON_WORKERS", "2"))
threads = int(os.environ.get("KORDON_THREADS", "1"))
timeout = int(os.environ.get("KORDON_WORKER_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
backlog = 2048
max_requests = int(os.environ.get("KORDON_MAX_REQUESTS", "0"))  # 0: workers are never recycled
max_requests_jitter = max_requests // 10
logger_class = "kordon.logs.GunicornLogger"  # travellers' tokens scrubbed from gunicorn's own lines
accesslog = None  # kordon logs one JSON line per request itself (kordon.ops.requests)
errorlog = "-"
loglevel = os.environ.get("KORDON_GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("KORDON_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = os.environ.get("KORDON_PROC_NAME", "kordon")

_metrics_dir = Path(os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", str(Path(tempfile.gettempdir()) / f"kordon-metrics-{bind.replace(':', '-')}")))


def on_starting(server: object) -> None:
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    _metrics_dir.mkdir(parents=True, mode=0o700)


def child_exit(server: object, worker: object) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
