from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "kordon.notices"
    verbose_name = "Crossing notices"
