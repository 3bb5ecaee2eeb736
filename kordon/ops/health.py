"""Liveness and readiness, for the proxy, the orchestrator and the monitoring.

`/health/live`: the process answers (no database, nothing else): restart it when this fails.
`/health/ready`: the database answers, every migration this code knows is applied, and the documents'
storage (the bucket) is reachable; 503 with the failing check otherwise: take the server out of the
proxy's rotation, do not restart it. Both are JSON; neither says more than ok or what failed (no
versions, no error texts).
"""

import logging

from django.core.files.storage import storages
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)
_migrated = False  # once all are applied for this process's code, they stay so


@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
    except DatabaseError:
        log.warning("readiness: the database did not answer", exc_info=True)
        connection.close()  # the next request connects anew
        return False


def _migrations() -> bool:
    global _migrated
    if not _migrated:
        try:
            executor = MigrationExecutor(connection)
            _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError:
            return False
    return _migrated


def _storage() -> bool:
    try:
        storages["documents"].exists("readiness-probe")
        return True
    except Exception:  # any client's error (connection refused, timeout, denied): not ready
        log.warning("readiness: the documents' storage did not answer", exc_info=True)
        return False


_MESSAGES = {
    "database": "The database does not answer.",
    "migrations": "The database lacks migrations of this version: run `kordon migrate`.",
    "storage": "The documents' storage (the bucket) does not answer.",
}


@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database()}
    checks["migrations"] = checks["database"] and _migrations()
    checks["storage"] = _storage()
    if all(checks.values()):
        return JsonResponse({"status": "ready", "checks": dict.fromkeys(checks, "ok")})
    errors = [{"field": name, "code": "unavailable", "message": _MESSAGES[name]}
              for name, ok in checks.items() if not ok]
    response = JsonResponse({"status": "unavailable",
                             "checks": {name: "ok" if ok else "failed" for name, ok in checks.items()},
                             "errors": errors}, status=503)
    response["Retry-After"] = "10"
    return response
