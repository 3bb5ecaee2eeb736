"""Headquarters' pages: the dashboard, and creating an officer in one step."""

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from kordon.audit.services import Actor
from kordon.hq import services
from kordon.hq.forms import OfficerForm
from kordon.posts.services import create_officer


@staff_member_required
def dashboard(request: HttpRequest) -> HttpResponse:
    rows = services.dashboard(days=7)
    return render(request, "hq/dashboard.html", {"rows": rows, "today": timezone.localdate()})


@never_cache  # the page that shows the token must not be kept by the browser
@staff_member_required
@permission_required("posts.add_officer", raise_exception=True)
def new_officer(request: HttpRequest) -> HttpResponse:
    form = OfficerForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "hq/new_officer.html", {"form": form}, status=422 if form.is_bound else 200)
    data = form.cleaned_data
    officer, token = create_officer(data["username"], data["post"], data["role"], data["password"] or None,
                                    Actor.of_user(request.user))
    return render(request, "hq/officer_created.html", {"officer": officer, "token": token})
