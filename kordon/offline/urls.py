from django.conf import settings
from django.urls import URLPattern, path

from kordon.offline import views

app_name = "offline"
urlpatterns = [
    path("device-key", views.device_key, name="device_key"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("review/", views.review, name="review"),
]

# The service worker once more under each language's prefix: a worker's scope is the folder it is
# served from, so /ru/post/sw.js is the one that keeps /ru/post/… pages for offline use.
language_workers: list[URLPattern] = [
    path(f"{code}/post/sw.js", views.service_worker) for code, _name in settings.LANGUAGES
]
