from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kordon.audit.services import SYSTEM, record
from kordon.crossings.models import Post
from kordon.posts.models import Officer, Role
from kordon.tokens import hash_token, new_token


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
        if options["password"]:
            try:  # the same validators as every other password (length, common, like the username)
                validate_password(options["password"], User(username=options["username"]))
            except ValidationError as exc:
                raise CommandError("The password is refused: " + " ".join(exc.messages)) from None
        token = new_token()
        with transaction.atomic():
            user = User.objects.create_user(options["username"], password=options["password"])
            Officer.objects.create(user=user, post=post, role=options["role"], token_hash=hash_token(token))
            record(SYSTEM, "officer.created", username=user.username, post=post.code, role=options["role"])
        self.stdout.write(f"Created {options['role']} {user.username} at {post.code}. API token (shown once):")
        self.stdout.write(token)
