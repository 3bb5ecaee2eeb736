from django.urls import path

from kordon.crossings import views

app_name = "crossings"
urlpatterns = [
    path("crossings/<slug:slug>/", views.crossing_page, name="page"),
]
