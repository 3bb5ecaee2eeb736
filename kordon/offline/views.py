"""The offline console's own pages: the device key, the service worker and manifest, and the
supervisor's review of conflicts and refused events."""

import base64
import json
from pathlib import Path

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kordon.offline import services
from kordon.offline.models import DeviceEvent
from kordon.posts.access import officer_required
from kordon.posts.models import Officer
from kordon.problems import Refused

# The manifest used until the console's own file (posts/offline/manifest.webmanifest) exists.
DEFAULT_MANIFEST = {
    "name": "kordon post console", "short_name": "kordon", "start_url": "/post/", "scope": "/post/",
    "display": "standalone", "background_color": "#ffffff", "theme_color": "#1f4e79", "icons": [],
}


@require_GET
@officer_required
def device_key(request: HttpRequest, officer: Officer) -> JsonResponse:
    key = services.device_key(officer)
    response = JsonResponse({"officer": officer.user.get_username(), "post": officer.post.code,
                             "key": base64.b64encode(key.key).decode("ascii"), "key_id": key.key_id})
    response["Cache-Control"] = "no-store"
    return response


def _static_text(name: str) -> str | None:
    """A static file's text, from the collected files (production) or the app's folder (development)."""
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as handle:
            return str(handle.read().decode("utf-8"))
    found = finders.find(name)
    return Path(found).read_text(encoding="utf-8") if isinstance(found, str) else None


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    # Served from /post/ rather than /static/ so that its scope covers the console's pages.
    text = _static_text("posts/offline/sw.js")
    if text is None:
        raise Http404("The console's service worker is not installed.")
    response = HttpResponse(text, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The console's web app manifest for the folder it is asked from: /ru/post/manifest.webmanifest
    installs the console of /ru/post/ (scope, start and id there, in Russian), as the worker of
    /ru/post/sw.js keeps those pages; /post/manifest.webmanifest the one of /post/."""
    text = _static_text("posts/offline/manifest.webmanifest")
    data = json.loads(text) if text else dict(DEFAULT_MANIFEST)
    code = translation.get_language_from_path(request.path_info)
    folder = f"/{code}/post/" if code else "/post/"
    data.update(start_url=folder, scope=folder, id=folder)
    if code:
        data["lang"] = code
    response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@officer_required
def review(request: HttpRequest, officer: Officer) -> HttpResponse:
    if not officer.is_supervisor:
        return render(request, "offline/review.html", {"officer": officer, "post": officer.post, "events": None},
                      status=403)
    if request.method == "POST":
        event = DeviceEvent.objects.filter(pk=request.POST.get("event", "0") or 0, post=officer.post).first()
        if event is None:
            messages.error(request, _("That event is not one of this post's."))
        else:
            try:
                services.resolve_event(officer, event, request.POST.get("note", ""))
                messages.success(request, _("Resolved."))
            except Refused as refused:
                messages.error(request, " ".join(p.message for p in refused.problems))
        return HttpResponseRedirect(request.path)  # the same page, under its language prefix
    return render(request, "offline/review.html",
                  {"officer": officer, "post": officer.post, "events": services.to_review(officer.post)})
