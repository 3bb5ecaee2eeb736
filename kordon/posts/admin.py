from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse

from kordon.posts.models import Officer, Refusal, Stamp


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["user", "post", "role"]
    list_filter = ["post", "role"]
    exclude = ["token_hash"]

    def add_view(self, request, form_url="", extra_context=None):  # type: ignore[no-untyped-def]
        # One step at headquarters (account, post, role, password, token shown once) instead of two here.
        return HttpResponseRedirect(reverse("hq:new_officer"))


@admin.register(Stamp)
class StampAdmin(admin.ModelAdmin):
    list_display = ["traveller", "post", "kind", "admission", "officer", "at"]
    list_filter = ["post", "kind", "admission"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # a stamp is a record of what happened; it is not edited

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # stamps happen at a post, by its officer at that moment; never typed in here


@admin.register(Refusal)
class RefusalAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # refusals are recorded at the post, by its officer, when they happen

    list_display = ["document_number", "name", "post", "officer", "at"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
