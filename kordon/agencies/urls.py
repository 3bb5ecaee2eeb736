from django.contrib.auth import views as auth_views
from django.urls import path

from kordon.agencies import views

app_name = "agencies"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="agencies/login.html", next_page="agencies:home"),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="agencies:login"), name="logout"),
    path("groups/new/", views.new_group, name="new_group"),
    path("tokens/", views.tokens, name="tokens"),
    path("groups/template.csv", views.template, name="template"),
    path("groups/template.xlsx", views.template_xlsx, name="template_xlsx"),
    path("groups/<int:pk>/", views.group, name="group"),
    path("groups/<int:pk>/pay/", views.pay_group, name="pay_group"),
    path("notices/<str:reference>/seal.png", views.seal_png, name="seal_png"),
]
