from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "kordon.notices"
    verbose_name = "Crossing notices"

    def ready(self) -> None:
        from kordon.notices import shredders  # noqa: F401 - shredding personal data
