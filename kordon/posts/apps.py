from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "kordon.posts"
    verbose_name = "Border posts"
