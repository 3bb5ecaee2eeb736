from django.urls import path

from kordon.seals import views

app_name = "seals"
urlpatterns = [
    path("notices/<str:reference>/seal/", views.seal_page, name="page"),
    path("notices/<str:reference>/seal.png", views.seal_image, name="image"),
    path("post/scan/", views.scan, name="scan"),
]
