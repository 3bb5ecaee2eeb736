"""Who may act for a post: officers by token (API) or by login (console), each at their own post."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kordon.crossings.models import Post
from kordon.posts.auth import officer_for
from kordon.posts.models import Officer
from kordon.problems import Refused

View = Callable[..., HttpResponse]


def officer_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        officer = Officer.objects.select_related("post", "post__crossing").filter(user_id=request.user.pk or 0).first()
        if officer is None:
            return render(request, "posts/not_officer.html", status=403)
        # Every time on the console is the post's own clock, as the officers read it.
        with timezone.override(officer.post.timezone):
            return view(request, officer, *args, **kwargs)

    return wrapped


def require_post(officer: Officer, post: Post) -> None:
    if officer.post_id != post.pk:
        raise Refused.one(None, "forbidden", _("You work at %(yours)s; this is the list of %(post)s.")
                          % {"yours": officer.post.name, "post": post.name}, status=403)


def officer_at(request: HttpRequest, code: str) -> tuple[Officer, Post]:
    officer = officer_for(request)
    if officer is None:
        raise Refused.one(None, "unauthorized", _("Send an officer's token: Authorization: Bearer <token>."),
                          status=401)
    if officer.post.code == code:  # the usual case: no second query for the post
        return officer, officer.post
    post = Post.objects.select_related("crossing").filter(code=code).first()
    if post is None:
        raise Refused.one(None, "not_found", _("There is no post “%(code)s”.") % {"code": code}, status=404)
    require_post(officer, post)
    return officer, post
