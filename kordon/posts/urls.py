from django.contrib.auth import views as auth_views
from django.urls import path

from kordon.posts import twofactor, views

app_name = "posts"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="posts/login.html"), name="login"),
    path("verify/", twofactor.verify, name="verify"),
    path("two-factor/", twofactor.enrol, name="two_factor"),
    path("logout/", auth_views.LogoutView.as_view(next_page="posts:login"), name="logout"),
    path("search/", views.search, name="search"),
    path("stamp/", views.stamp, name="stamp"),
    path("refuse/", views.refuse, name="refuse"),
    path("language/", views.language, name="language"),
    path("exits/", views.exits, name="exits"),
    path("exit/", views.register_exit, name="exit"),
    path("between/", views.between, name="between"),
]
