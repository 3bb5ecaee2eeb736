from django.urls import path

from kordon.hq import views

app_name = "hq"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("officers/new/", views.new_officer, name="new_officer"),
]
