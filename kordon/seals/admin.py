"""Read-mostly views of the authority for administrators; keys are never shown, and changes go
through `kordon seals ...` (which needs the root key) rather than forms."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kordon.seals.models import Authority, RevocationList, RevokedSeals, Seal, Signer


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Authority)
class AuthorityAdmin(ReadOnlyAdmin):
    list_display = ["name", "country", "sha256", "not_after", "is_demo"]
    exclude = ["certificate"]


@admin.register(Signer)
class SignerAdmin(ReadOnlyAdmin):
    list_display = ["serial", "authority", "status", "not_before", "use_until", "not_after"]
    list_filter = ["status", "authority"]
    exclude = ["certificate", "encrypted_key"]


@admin.register(RevocationList)
class RevocationListAdmin(ReadOnlyAdmin):
    list_display = ["authority", "this_update", "next_update"]
    exclude = ["crl"]


@admin.register(Seal)
class SealAdmin(ReadOnlyAdmin):
    list_display = ["notice", "number", "seal_id", "valid_from", "valid_until", "issued_at", "revoked_at"]
    list_filter = ["revoke_reason"]
    search_fields = ["notice__reference", "seal_id"]
    raw_id_fields = ["notice"]


@admin.register(RevokedSeals)
class RevokedSealsAdmin(ReadOnlyAdmin):
    list_display = ["issued_at"]
