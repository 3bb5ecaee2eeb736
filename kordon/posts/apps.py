from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "kordon.posts"
    verbose_name = "Border posts"

    def ready(self) -> None:
        from kordon.posts import shredders  # noqa: F401 - shredding personal data
