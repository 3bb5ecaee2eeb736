"""Who is calling: a notice's access token or an officer's token, both sent as `Bearer`."""

from django.http import HttpRequest

from kordon.posts.models import Officer
from kordon.tokens import hash_token


def bearer_token(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def officer_for(request: HttpRequest) -> Officer | None:
    token = bearer_token(request)
    if not token:
        return None
    return (
        Officer.objects.select_related("user", "post", "post__crossing")
        .filter(token_hash=hash_token(token), user__is_active=True)
        .order_by()  # token hashes are unique: no sort needed
        .first()
    )
