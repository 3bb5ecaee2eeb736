"""Who may act for a post: officers by token (API) or by login (console), each at their own post."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kordon.crossings.models import Post
from kordon.languages import path_without_language
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


def back_to_console(request: HttpRequest) -> HttpResponseRedirect:
    """Back to the console page the form came from (`next`), or the console's home for any other target."""
    target = request.POST.get("next", "")
    return HttpResponseRedirect(target if is_console_path(target) else reverse("posts:home"))


def is_console_path(path: str) -> bool:
    """A path of the post console (in any language), so never a redirect off the site."""
    return path_without_language(path).startswith("/post/")


def require_post(officer: Officer, post: Post) -> None:
    if officer.post_id != post.pk:
        raise Refused.one(None, "forbidden", _("You work at %(yours)s; this is the list of %(post)s.")
                          % {"yours": officer.post.name, "post": post.name})


def officer_at(request: HttpRequest, code: str) -> tuple[Officer, Post]:
    officer = officer_for(request)
    if officer is None:
        raise Refused.one(None, "unauthorized", _("Send an officer's token: Authorization: Bearer <token>."))
    if officer.post.code == code:  # the usual case: no second query for the post
        return officer, officer.post
    post = Post.objects.select_related("crossing").filter(code=code).first()
    if post is None:
        raise Refused.one(None, "not_found", _("There is no post “%(code)s”.") % {"code": code})
    require_post(officer, post)
    return officer, post
