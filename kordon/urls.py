from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from kordon.api.api import api
from kordon.languages import language_patterns
from kordon.ops.metrics import metrics_view


def api_not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Any /api/ path the API does not have: 404 (made JSON by ApiAnswersJsonMiddleware)."""
    return HttpResponse(status=404)


handler500 = "kordon.middleware.server_error"

# The API is never prefixed (it follows Accept-Language); every page may be (kordon.languages).
urlpatterns = [
    path("api/v1/", api.urls),
    path("api/<path:rest>", api_not_found),
    path("health/", include("kordon.ops.urls")),
    path("metrics", metrics_view, name="metrics"),
    *language_patterns(
        path(settings.KORDON_ADMIN_PATH, admin.site.urls),
        path("post/", include("kordon.posts.urls")),
        path("post/", include("kordon.offline.urls")),  # device key, service worker, manifest, review
        path("", include("kordon.intake.urls")),
        path("hq/review/", include("kordon.review.urls")),
        path("agency/", include("kordon.agencies.urls")),
        path("hq/", include("kordon.hq.urls")),
        path("", include("kordon.payments.urls")),
        path("", include("kordon.documents.urls")),
        path("", include("kordon.crossings.urls")),
        path("", include("kordon.notices.urls")),
        path("", include("kordon.seals.urls")),
    ),
]
