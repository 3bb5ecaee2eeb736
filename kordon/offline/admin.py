from django.contrib import admin

from kordon.offline.models import DeviceEvent


@admin.register(DeviceEvent)
class DeviceEventAdmin(admin.ModelAdmin[DeviceEvent]):
    list_display = ["event_id", "post", "officer", "kind", "outcome", "device_at", "received_at", "resolved_at"]
    list_filter = ["post", "outcome", "kind"]
    readonly_fields = [f.name for f in DeviceEvent._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # events come from devices

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # a supervisor resolves them in the console
