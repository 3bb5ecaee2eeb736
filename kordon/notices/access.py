"""Who may see or change a notice: its traveller's token (link or API), or an officer of its posts."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kordon import throttle
from kordon.audit.services import TRAVELLER, Actor
from kordon.notices.links import kept_token
from kordon.notices.models import Notice
from kordon.notices.owners import FILE, READ, Owner, owner_for
from kordon.notices.references import normalize
from kordon.posts.auth import bearer_token, officer_for
from kordon.problems import Refused
from kordon.tokens import hash_token


def notice_for_token(reference: str, token: str) -> Notice | None:
    """The notice if `token` is its access token, else None (the caller answers 404 either way)."""
    return Notice.objects.filter(reference=reference, access_token_hash=hash_token(token)).first()


def notice_from_link(reference: str, token: str) -> Notice:
    """The notice that the traveller's link names, or 404 (a wrong token and no notice look alike)."""
    ref = normalize(reference)
    notice = notice_for_token(ref, token) if ref else None
    if notice is None:
        raise Http404("No such notice")
    return notice


def traveller_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the notice's token-free pages (`/notices/<reference>/…`): calls `view(request, notice, …)`
    with the notice whose token this browser keeps (kordon.notices.links), else answers 404 with a
    page that says how to open the notice (a wrong cookie and no notice look alike)."""

    @wraps(view)
    def page(request: HttpRequest, reference: str, *args: Any, **kwargs: Any) -> HttpResponse:
        ref = normalize(reference)
        token = kept_token(request, ref) if ref else ""
        notice = notice_for_token(ref, token) if ref and token else None
        if notice is None:
            return render(request, "notices/not_here.html", {"reference": reference[:40]}, status=404)
        return view(request, notice, *args, **kwargs)

    return page


def readable_notice(request: HttpRequest, reference: str) -> Notice:
    """The notice if the caller holds its token or is an officer of one of its posts, else 404."""
    ref, token = normalize(reference), bearer_token(request)
    if not ref or not token:
        raise Refused.one(None, "not_found", _("No such notice, or not for you."))
    notice = notice_for_token(ref, token) or _owners_notice(request, ref, token, READ)
    if notice is None:
        officer = officer_for(request)
        candidate = Notice.objects.filter(reference=ref).select_related("direction").first()
        posts = (candidate.direction.from_post_id, candidate.direction.to_post_id) if candidate else ()
        if officer and officer.post_id in posts:
            notice = candidate
    if notice is None:
        raise Refused.one(None, "not_found", _("No such notice, or not for you."))
    return notice


def owned_notice(request: HttpRequest, reference: str, scope: str = FILE) -> Notice:
    """Only the traveller's access token, or its owner's token with `scope`, may change (or pay) a notice."""
    ref, token = normalize(reference), bearer_token(request)
    notice = (notice_for_token(ref, token) or _owners_notice(request, ref, token, scope)) if ref and token else None
    if notice is None:
        raise Refused.one(None, "not_found", _("No such notice, or not for you."))
    return notice


def _owners_notice(request: HttpRequest, reference: str, token: str, scope: str) -> Notice | None:
    """The notice if `token` is its owner's (an agency's) and allows `scope`; another owner's is None (404)."""
    owner = owner_for(request, token)
    if owner is None:
        return None
    notice = Notice.objects.filter(reference=reference).first()
    if notice is None or not owner.owns(notice):
        return None
    require_scope(owner, scope)
    return notice


def require_scope(owner: Owner, scope: str) -> None:
    """An owner's token used beyond its scopes: 403 (only for what it may know of, never another's notice)."""
    if not owner.may(scope):
        raise Refused.one(None, "forbidden", _("This token lacks the “%(scope)s” scope that this needs. Use a token "
                                               "that has it.") % {"scope": scope})


def filing_owner(request: HttpRequest) -> Owner | None:
    """Who files: an owner's token (which must allow filing, and is paced by the owner's own rates),
    or None for a traveller (paced per address by the caller)."""
    token = bearer_token(request)
    owner = owner_for(request, token)
    if owner is None and token:  # a revoked or mistyped agency token must not file as a traveller
        raise Refused.one(None, "unauthorized", _("This API token is unknown or revoked. Travellers file without "
                                                  "one; an agency sends one of its active tokens."))
    if owner is not None:
        require_scope(owner, FILE)
        owner.guard_filing(request)
    return owner


def actor_of(request: HttpRequest) -> Actor:
    """Who changes a notice that owned_notice let through: its owner's token, or else its traveller."""
    owner = owner_for(request, bearer_token(request))
    return owner.actor if owner is not None else TRAVELLER


def guard_lookup(request: HttpRequest) -> None:
    """Before a status look-up: a client is paced after a few wrong answers and refused after many,
    whatever it asks next (a right answer included), so guessing a traveller's details does not pay."""
    throttle.check(request, "lookup")
    refused_for = throttle.reached(request, "lookup_failures")
    if refused_for is not None:
        raise throttle.Throttled("lookup_failures", refused_for)
    if throttle.reached(request, "lookup_failures_slow") is not None:
        throttle.check(request, "lookup_slowed")


def lookup_failed(request: HttpRequest) -> None:
    """Count a wrong answer: every kind of mismatch counts the same."""
    throttle.count(request, "lookup_failures_slow")
    throttle.count(request, "lookup_failures")
