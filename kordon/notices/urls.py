from django.urls import path

from kordon.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.home, name="home"),
    path("notices/new/", views.file_notice, name="file"),
    path("status/", views.lookup, name="lookup"),
    path("notices/link/", views.link_again, name="link_again"),
    path("notices/<str:reference>/<str:token>/", views.status, name="status"),
    path("notices/<str:reference>/<str:token>/amend/", views.amend, name="amend"),
    path("notices/<str:reference>/<str:token>/cancel/", views.cancel, name="cancel"),
    path("notices/<str:reference>/<str:token>/travellers/", views.add_traveller, name="add_traveller"),
]
