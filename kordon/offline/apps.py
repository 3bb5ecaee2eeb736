from django.apps import AppConfig


class OfflineConfig(AppConfig):
    name = "kordon.offline"
    verbose_name = "Offline posts"
