from django.contrib import admin

from kordon.posts.models import Officer, Refusal, Stamp


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin[Officer]):
    list_display = ["user", "post", "role"]
    list_filter = ["post", "role"]
    exclude = ["token_hash"]


@admin.register(Stamp)
class StampAdmin(admin.ModelAdmin[Stamp]):
    list_display = ["traveller", "post", "kind", "admission", "officer", "at"]
    list_filter = ["post", "kind", "admission"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # a stamp is a record of what happened; it is not edited


@admin.register(Refusal)
class RefusalAdmin(admin.ModelAdmin[Refusal]):
    list_display = ["document_number", "name", "post", "officer", "at"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
