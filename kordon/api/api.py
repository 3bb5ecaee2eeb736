"""The JSON API v1 (described by its OpenAPI document, /api/v1/openapi.json): one NinjaAPI, a router per domain app."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.parser import Parser

from kordon.api import errors


class StrictJsonParser(Parser):
    """JSON bodies must say so: a form post or text body is a clear 400, not a guess."""

    def parse_body(self, request: HttpRequest) -> Any:
        if request.content_type != "application/json":
            raise HttpError(400, _("Send the body as JSON with Content-Type: application/json."))
        return super().parse_body(request)


class KordonApi(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        from kordon.api.openapi import complete

        return complete(super().get_openapi_schema(*args, **kwargs))


def build() -> NinjaAPI:
    from kordon.agencies.api import router as agencies
    from kordon.crossings.api import router as crossings
    from kordon.documents.api import router as documents
    from kordon.intake.api import router as intake
    from kordon.notices.api import router as notices
    from kordon.offline.api import router as offline
    from kordon.payments.api import router as payments
    from kordon.posts.api import router as posts
    from kordon.seals.api import router as seals

    api = KordonApi(
        title="kordon API", version="1", urls_namespace="api", parser=StrictJsonParser(),
        description="Pre-registered land border crossings: crossings, notices, entry lists, stamps.",
    )
    errors.install(api)
    api.add_router("/crossings", crossings, tags=["crossings"])
    api.add_router("/notices", notices, tags=["notices"])
    api.add_router("/notices", documents, tags=["documents"])
    api.add_router("/posts", posts, tags=["posts"])
    api.add_router("/posts", offline, tags=["offline posts"])
    api.add_router("/intake", intake, tags=["intake"])
    api.add_router("/agency", agencies, tags=["agencies"])
    api.add_router("", seals, tags=["seals"])  # its paths span /notices, /seals, /posts
    api.add_router("", payments, tags=["payments"])  # its paths span /posts, /notices, /payments, /receipts
    return api


api = build()
