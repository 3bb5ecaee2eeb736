"""Log lines never hold a traveller's access token.

The traveller's link carries the token in its path (`/notices/<reference>/<token>/`) on one request
only, its exchange for a cookie (kordon.notices.links); the notice's pages have no token in their
paths. Every line that could quote that path — Django's request warnings, runserver, gunicorn's
access and error logs in any `--access-logformat` — goes through `scrub`: kordon.wsgi puts the filter
on gunicorn's loggers itself, so no option is needed (`--logger-class kordon.logs.GunicornLogger`
does the same, for configurations that replace gunicorn's loggers).
"""

import logging
import re
from typing import Any

from gunicorn.glogging import Logger  # type: ignore[import-untyped]

_TOKEN_IN_PATH = re.compile(r"(/notices/[^/?#\s\"']+/)[A-Za-z0-9_-]{16,}")


def scrub(text: str) -> str:
    return _TOKEN_IN_PATH.sub(r"\1[token]", text)


class ScrubTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


class GunicornLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger with the same scrubbing on its access and error logs."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            log.addFilter(ScrubTokens())


def scrub_gunicorn_logs() -> None:
    """Filter gunicorn's own loggers (the access log included), whatever logger class it runs with."""
    for name in ("gunicorn.access", "gunicorn.error"):
        log = logging.getLogger(name)
        if not any(isinstance(f, ScrubTokens) for f in log.filters):
            log.addFilter(ScrubTokens())
