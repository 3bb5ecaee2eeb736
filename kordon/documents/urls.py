from django.urls import path

from kordon.documents import views

app_name = "documents"
urlpatterns = [
    path("notices/<str:reference>/documents/", views.upload, name="upload"),
    path("notices/<str:reference>/documents/<uuid:pk>/", views.traveller_document, name="traveller"),
    path("documents/<uuid:pk>/", views.console_document, name="console"),
]
