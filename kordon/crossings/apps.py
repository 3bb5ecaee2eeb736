from django.apps import AppConfig


class CrossingsConfig(AppConfig):
    name = "kordon.crossings"
    verbose_name = "Crossings"
