from django.contrib import admin

from kordon.notices.models import Notice, Traveller, Vehicle


class TravellerInline(admin.TabularInline):
    model = Traveller
    extra = 0
    fields = ["surname", "given_names", "nationality", "sex", "date_of_birth", "document_number", "document_expiry"]


class VehicleInline(admin.StackedInline):
    model = Vehicle
    extra = 0


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["display_reference", "crossing", "direction", "expected_date", "status", "payment_status",
                    "is_demo"]
    list_filter = ["crossing", "status", "payment_status", "expected_date", "is_demo"]
    search_fields = ["reference", "travellers__document_key", "travellers__name_key"]
    readonly_fields = ["reference", "fee_total", "fee_currency", "fee_lines", "created_at", "updated_at"]
    exclude = ["access_token_hash"]
    inlines = [TravellerInline, VehicleInline]
