"""A second factor (TOTP, django-otp) for supervisors and administrators.

Whoever may admit travellers who are not on the list (supervisors) or change the configuration (the
admin: staff and superusers) proves a code from an authenticator app after the password. After the
password, such a user may open nothing but the two pages here until a code is proven: the first
time, the enrolment page shows a new secret (as a QR code and as text) and takes its first code;
every later login, the code page. A lost phone: an administrator deletes the user's TOTP device in
the admin, and the user enrols again at the next login. Officers and the API (officers' tokens) are
not concerned. Codes are throttled by django-otp (a growing delay after each wrong one).
"""

from collections.abc import Callable

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kordon.languages import path_without_language
from kordon.posts.models import Officer, Role

SESSION_KEY = "kordon_second_factor"  # "required" or "no": decided once per login
_OPEN_PATHS = ("/post/verify/", "/post/two-factor/", "/post/logout/", "/post/sw.js", "/post/manifest.webmanifest")
_UNCHECKED_PREFIXES = ("/api/", "/static/", "/health/", "/metrics")


def needs_second_factor(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    return Officer.objects.filter(user_id=user.pk, role=Role.SUPERVISOR).exists()


def _required(request: HttpRequest) -> bool:
    decided = request.session.get(SESSION_KEY)
    if decided is None:
        decided = "required" if needs_second_factor(request.user) else "no"
        request.session[SESSION_KEY] = decided
    return decided == "required"


class SecondFactorMiddleware:
    """After django_otp.middleware.OTPMiddleware: a user who needs a second factor and has not
    proven one this session is sent to prove it (or to enrol) from every page but those."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not settings.KORDON_SECOND_FACTOR or path.startswith(_UNCHECKED_PREFIXES):
            return self.get_response(request)
        if not request.user.is_authenticated:
            return self.get_response(request)
        if request.user.is_verified() or not _required(request):  # type: ignore[attr-defined]  # django-otp adds it
            return self.get_response(request)
        if path_without_language(path).startswith(_OPEN_PATHS):
            return self.get_response(request)
        enrolled = TOTPDevice.objects.filter(user_id=request.user.pk, confirmed=True).exists()
        target = reverse("posts:verify" if enrolled else "posts:two_factor")
        if request.method == "GET":
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        return HttpResponseRedirect(target)


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code from your authenticator app"), min_length=6, max_length=8,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                         "autofocus": True}))

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError(_("The code is the 6 digits your authenticator app shows. Type them again."))
        return str(code)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    user = request.user
    return reverse("admin:index") if getattr(user, "is_staff", False) and not Officer.objects.filter(
        user_id=user.pk or 0).exists() else reverse("posts:home")


def _check(device: TOTPDevice, form: CodeForm) -> bool:
    allowed, _why = device.verify_is_allowed()
    if not allowed:
        form.add_error("code", _("Too many wrong codes: wait a minute, then type the newest code."))
        return False
    if not device.verify_token(form.cleaned_data["code"]):
        form.add_error("code", _("That code is wrong or has expired. Type the newest code your app shows."))
        return False
    return True


def _login_required(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}")
    return None


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """The code page of every login after the first."""
    refused = _login_required(request)
    if refused:
        return refused
    device = TOTPDevice.objects.filter(user_id=request.user.pk, confirmed=True).first()
    if device is None:
        return HttpResponseRedirect(reverse("posts:two_factor"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check(device, form):
        otp_login(request, device)
        return HttpResponseRedirect(_next(request))
    return render(request, "posts/verify.html", {"form": form, "next": _next(request)},
                  status=400 if form.errors else 200)


@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """The first login of a supervisor or administrator: a new secret, proven by its first code."""
    refused = _login_required(request)
    if refused:
        return refused
    if TOTPDevice.objects.filter(user_id=request.user.pk, confirmed=True).exists():
        return HttpResponseRedirect(reverse("posts:verify"))  # enrolled already: a new secret only via the admin
    device = TOTPDevice.objects.filter(user_id=request.user.pk, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user_id=request.user.pk, name="authenticator", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check(device, form):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        return HttpResponseRedirect(_next(request))
    uri = device.config_url
    context = {"form": form, "next": _next(request), "qr": segno.make(uri, error="m").svg_data_uri(scale=4),
               "secret": uri.split("secret=", 1)[1].split("&", 1)[0]}
    return render(request, "posts/two_factor.html", context, status=400 if form.errors else 200)
