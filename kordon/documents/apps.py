from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "kordon.documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        from kordon.documents import checks  # noqa: F401 - registers the system checks
