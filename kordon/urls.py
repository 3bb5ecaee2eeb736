from django.contrib import admin
from django.urls import include, path

from kordon.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("post/", include("kordon.posts.urls")),
    path("", include("kordon.payments.urls")),
    path("", include("kordon.documents.urls")),
    path("", include("kordon.notices.urls")),
    path("", include("kordon.seals.urls")),
]
