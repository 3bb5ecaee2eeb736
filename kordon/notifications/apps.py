from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kordon.notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from kordon.notifications import receivers  # noqa: F401 - reacts to what the domain apps announce
