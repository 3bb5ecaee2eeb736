from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kordon.audit.services import Actor
from kordon.posts.models import Journey, Officer, Refusal, Stamp
from kordon.posts.services import report_device_lost


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin[Officer]):
    list_display = ["user", "post", "role", "device_key_epoch"]
    list_filter = ["post", "role"]
    exclude = ["token_hash"]
    readonly_fields = ["device_key_epoch"]
    actions = ["device_lost"]

    def add_view(self, request, form_url="", extra_context=None):  # type: ignore[no-untyped-def]
        # One step at headquarters (account, post, role, password, token shown once) instead of two here.
        return HttpResponseRedirect(reverse("hq:new_officer"))

    @admin.action(description=gettext_lazy("Device lost: new device key, revoke the API token, log out everywhere"))
    def device_lost(self, request: HttpRequest, queryset: QuerySet[Officer]) -> None:
        for officer in queryset.select_related("user"):
            ended = report_device_lost(Actor.of_user(request.user), officer)
            self.message_user(request, _("%(officer)s: new device key; API token revoked; %(n)d session(s) ended. "
                                         "Give them a new token and have them change their password.")
                              % {"officer": officer.user.get_username(), "n": ended}, messages.SUCCESS)


@admin.register(Journey)
class JourneyAdmin(admin.ModelAdmin[Journey]):
    list_display = ["notice", "to_post", "exited_at", "due_by", "alerted_at", "ended_at"]
    list_filter = ["to_post"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Stamp)
class StampAdmin(admin.ModelAdmin[Stamp]):
    list_display = ["traveller", "post", "kind", "admission", "officer", "at"]
    list_filter = ["post", "kind", "admission"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # a stamp is a record of what happened; it is not edited

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # stamps happen at a post, by its officer at that moment; never typed in here


@admin.register(Refusal)
class RefusalAdmin(admin.ModelAdmin[Refusal]):
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # refusals are recorded at the post, by its officer, when they happen

    list_display = ["document_number", "name", "post", "officer", "at"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
