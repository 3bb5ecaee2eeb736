from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kordon.api"
    verbose_name = "JSON API"
