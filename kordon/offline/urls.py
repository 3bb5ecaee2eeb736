from django.urls import path

from kordon.offline import views

app_name = "offline"
urlpatterns = [
    path("device-key", views.device_key, name="device_key"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("review/", views.review, name="review"),
]
