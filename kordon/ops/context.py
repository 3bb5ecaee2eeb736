"""The request id of the request being served, for every log line it causes (kordon.ops.requests)."""

import logging
from contextvars import ContextVar
from datetime import datetime
from typing import Any

import pythonjsonlogger.json

from kordon.logs import scrub

request_id: ContextVar[str] = ContextVar("kordon_request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (`-` outside a request: the worker, the scheduler)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # Django logs a request's 4xx/5xx after the middleware is done; the request holds its id.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or request_id.get()
        return True


class JsonFormatter(pythonjsonlogger.json.JsonFormatter):
    """One JSON object per line. Extra fields are kept when they are plain values; objects (Django
    passes the request itself) are left out, and every text is scrubbed of travellers' tokens."""

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        kept: dict[str, Any] = {}
        for key, value in log_data.items():
            if isinstance(value, str):
                kept[key] = scrub(value)
            elif value is None or isinstance(value, (bool, int, float)):
                kept[key] = value
            elif isinstance(value, datetime):
                kept[key] = value.isoformat()
        return kept
