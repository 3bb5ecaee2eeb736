from django.contrib import admin
from django.urls import include, path

from kordon.api.api import api
from kordon.languages import language_patterns

# The API is never prefixed (it follows Accept-Language); every page may be (kordon.languages).
urlpatterns = [
    path("api/v1/", api.urls),
    *language_patterns(
        path("admin/", admin.site.urls),
        path("post/", include("kordon.posts.urls")),
        path("", include("kordon.payments.urls")),
        path("", include("kordon.documents.urls")),
        path("", include("kordon.crossings.urls")),
        path("", include("kordon.notices.urls")),
        path("", include("kordon.seals.urls")),
    ),
]
