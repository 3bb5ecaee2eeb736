from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kordon.audit.services import Actor
from kordon.crossings.models import Post
from kordon.posts.models import Journey, Officer, Refusal, Stamp
from kordon.posts.services import report_device_lost


def on_the_clock_of(post: Post, moment: datetime) -> str:
    """A moment on the post's own clock (as its officers read it), with the zone's name."""
    local = timezone.localtime(moment, ZoneInfo(post.timezone))
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({post.timezone})"


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
    """A journey starts with an exit stamp at the other post and ends with the entry: never typed in."""

    list_display = ["notice", "to_post", "exited", "due", "alerted_at", "ended_at"]
    list_filter = ["to_post"]
    list_select_related = ["notice", "to_post"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    @admin.display(description=gettext_lazy("Left, on the receiving post's clock"), ordering="exited_at")
    def exited(self, journey: Journey) -> str:
        return on_the_clock_of(journey.to_post, journey.exited_at)

    @admin.display(description=gettext_lazy("Due by, on the receiving post's clock"), ordering="due_by")
    def due(self, journey: Journey) -> str:
        return on_the_clock_of(journey.to_post, journey.due_by)




class PostRecordAdmin:
    """Stamps and refusals happen at a post, by its officer at that moment: never typed in, edited or
    deleted here."""

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    @admin.display(description=gettext_lazy("When, at the post"), ordering="at")
    def when(self, record: Stamp | Refusal) -> str:
        return on_the_clock_of(record.post, record.at)


@admin.register(Stamp)
class StampAdmin(PostRecordAdmin, admin.ModelAdmin[Stamp]):
    list_display = ["traveller", "post", "kind", "admission", "officer", "when"]
    list_filter = ["post", "kind", "admission"]
    list_select_related = ["traveller", "post", "officer__user", "officer__post"]
    exclude, readonly_fields = ["at"], ["when"]


@admin.register(Refusal)
class RefusalAdmin(PostRecordAdmin, admin.ModelAdmin[Refusal]):
    list_display = ["document_number", "name", "post", "officer", "when"]
    list_select_related = ["post", "officer__user", "officer__post"]
    exclude, readonly_fields = ["at"], ["when"]
