"""Reviewers and administrators see which documents a notice holds and open them through the
console view (which checks documents.view_document and records the read). Rows are never edited
here: documents come only from uploads and go only by retention."""

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kordon.documents.models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin[Document]):
    list_display = ["notice", "kind", "traveller", "content_type", "size", "uploaded_at", "open"]
    list_filter = ["kind", "content_type", "notice__crossing"]
    search_fields = ["notice__reference"]
    list_select_related = ["notice", "traveller"]
    fields = readonly_fields = (
        "notice", "traveller", "kind", "content_type", "size", "received_size", "width", "height", "pages",
        "sha256", "key_id", "uploaded_at", "uploaded_by", "open_link")

    @admin.display(description="")
    def open(self, document: Document) -> str:
        # A text link: thumbnails of a whole list would each be a recorded read.
        return format_html('<a href="{}" target="_blank" rel="noopener">open</a>',
                           reverse("documents:console", args=[document.pk]))

    @admin.display(description=_("Document"))
    def open_link(self, document: Document) -> str:
        url = reverse("documents:console", args=[document.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener"><img src="{}?variant=thumb" alt="{}" '
                           'loading="lazy" width="56" height="56" style="object-fit:contain"></a>',
                           url, url, document.get_kind_display())

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Document | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Document | None = None) -> bool:
        return False
