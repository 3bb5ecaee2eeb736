from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kordon.crossings.models import Post
from kordon.posts.models import Officer, Role

DEMO_PASSWORD = "kordon-demo-2026"  # noqa: S105 - a published demo password, refused outside DEBUG


class Command(BaseCommand):
    help = "Create demo accounts (officer, supervisor at kg-bordobo; admin). Only with KORDON_DEBUG=true."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo accounts have a published password: they are only created with KORDON_DEBUG=true.")
        post = Post.objects.get(code="kg-bordobo")
        User = get_user_model()
        for username, role in (("officer", Role.OFFICER), ("supervisor", Role.SUPERVISOR)):
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(DEMO_PASSWORD)
            user.save()
            Officer.objects.update_or_create(user=user, defaults={"post": post, "role": role})
        admin, _ = User.objects.get_or_create(username="admin", defaults={"is_staff": True, "is_superuser": True})
        admin.set_password(DEMO_PASSWORD)
        admin.save()
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}): officer and supervisor at /post/, "
                          "admin at /admin/.")
