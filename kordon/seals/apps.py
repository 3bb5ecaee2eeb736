from django.apps import AppConfig


class SealsConfig(AppConfig):
    name = "kordon.seals"
    verbose_name = "Seals (ICAO VDS-NC)"

    def ready(self) -> None:
        from kordon.seals import checks, shredders  # noqa: F401 -- start-up checks; shredding personal data
