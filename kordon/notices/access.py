"""Who may see or change a notice: its traveller's token (link or API), or an officer of its posts."""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from kordon import throttle
from kordon.notices.models import Notice
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


def readable_notice(request: HttpRequest, reference: str) -> Notice:
    """The notice if the caller holds its token or is an officer of one of its posts, else 404."""
    ref, token = normalize(reference), bearer_token(request)
    if not ref or not token:
        raise Refused.one(None, "not_found", _("No such notice, or not for you."))
    notice = notice_for_token(ref, token)
    if notice is None:
        officer = officer_for(request)
        candidate = Notice.objects.filter(reference=ref).select_related("direction").first()
        posts = (candidate.direction.from_post_id, candidate.direction.to_post_id) if candidate else ()
        if officer and officer.post_id in posts:
            notice = candidate
    if notice is None:
        raise Refused.one(None, "not_found", _("No such notice, or not for you."))
    return notice


def owned_notice(request: HttpRequest, reference: str) -> Notice:
    """Only the traveller's access token may change a notice."""
    ref = normalize(reference)
    notice = notice_for_token(ref, bearer_token(request)) if ref else None
    if notice is None:
        raise Refused.one(None, "not_found", _("No such notice, or not for you."))
    return notice


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
