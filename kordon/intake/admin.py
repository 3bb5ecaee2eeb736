from django.contrib import admin

from kordon.intake.models import Conversation


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin[Conversation]):
    list_display = ["address", "channel", "state", "language", "updated_at", "notice"]
    list_filter = ["channel", "state"]
    readonly_fields = ["draft", "notice", "created_at", "updated_at"]
