from django.urls import path

from kordon.offline import views

# Included under the console's folder inside the language patterns (kordon.urls): every path answers
# at /post/… and under each language's prefix (/ru/post/…). A service worker's scope is the folder it
# is served from, so /ru/post/sw.js is the one that keeps /ru/post/… pages, and the manifest of
# /ru/post/manifest.webmanifest installs the console with the scope /ru/post/.
app_name = "offline"
urlpatterns = [
    path("device-key", views.device_key, name="device_key"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("review/", views.review, name="review"),
]
