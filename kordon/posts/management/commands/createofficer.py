from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kordon.audit.services import SYSTEM
from kordon.crossings.models import Post
from kordon.posts.models import Role
from kordon.posts.services import create_officer


class Command(BaseCommand):
    help = "Create an officer account at a post and print its API token (the last line of output)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--post", required=True, help="Post code, e.g. kg-bordobo")
        parser.add_argument("--role", choices=Role.values, default=Role.OFFICER)
        parser.add_argument("--password", help="Password for the console login (default: none, token only)")

    def handle(self, *args: Any, **options: Any) -> None:
        post = Post.objects.filter(code=options["post"]).first()
        if post is None:
            codes = ", ".join(Post.objects.values_list("code", flat=True)) or "none yet"
            raise CommandError(f"There is no post {options['post']!r}. Posts: {codes}.")
        User = get_user_model()
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(f"The user {options['username']!r} exists already. Choose another name.")
        officer, token = create_officer(options["username"], post, options["role"], options["password"], SYSTEM)
        self.stdout.write(f"Created {options['role']} {officer.user.get_username()} at {post.code}. "
                          "API token (shown once):")
        self.stdout.write(token)
