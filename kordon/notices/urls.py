from django.urls import path, register_converter

from kordon.notices import views


class TokenConverter:
    """An access token as a path segment (`kordon.tokens`: URL-safe base64, 43 characters). Never a
    word such as `amend` or `documents`, so the link cannot be mistaken for one of the notice's pages."""

    regex = r"[A-Za-z0-9_-]{16,}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")

app_name = "notices"
urlpatterns = [
    path("", views.home, name="home"),
    path("notices/new/", views.file_notice, name="file"),
    path("status/", views.lookup, name="lookup"),
    path("notices/link/", views.link_again, name="link_again"),
    # The notice's pages: the token is in this browser's cookie (kordon.notices.links), not in the path.
    path("notices/<str:reference>/", views.status, name="status"),
    path("notices/<str:reference>/amend/", views.amend, name="amend"),
    path("notices/<str:reference>/cancel/", views.cancel, name="cancel"),
    path("notices/<str:reference>/travellers/", views.add_traveller, name="add_traveller"),
    path("notices/<str:reference>/forget/", views.forget, name="forget"),
    # The traveller's link (and any older link below it): traded for the cookie, then redirected.
    path("notices/<str:reference>/<token:token>/", views.exchange, name="link"),
    path("notices/<str:reference>/<token:token>/<path:rest>", views.exchange),
]
