from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kordon.crossings.models import Post
from kordon.posts.models import Officer, Role

DEMO_OFFICERS = [  # (user name, post, role): both posts of Kyzyl-Art
    ("officer", "kg-bordobo", Role.OFFICER), ("supervisor", "kg-bordobo", Role.SUPERVISOR),
    ("tj-officer", "tj-kyzyl-art", Role.OFFICER), ("tj-supervisor", "tj-kyzyl-art", Role.SUPERVISOR),
]
DEMO_PASSWORD = "kordon-demo-2026"  # noqa: S105 - a published demo password, refused outside DEBUG


class Command(BaseCommand):
    help = ("Create demo accounts (officer, supervisor at kg-bordobo; tj-officer, tj-supervisor at tj-kyzyl-art; "
            "admin). Only with KORDON_DEBUG=true.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo accounts have a published password: they are only created with KORDON_DEBUG=true.")
        User = get_user_model()
        for username, code, role in DEMO_OFFICERS:
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(DEMO_PASSWORD)
            user.save()
            Officer.objects.update_or_create(user=user, defaults={"post": Post.objects.get(code=code), "role": role})
        admin, _ = User.objects.get_or_create(username="admin", defaults={"is_staff": True, "is_superuser": True})
        admin.set_password(DEMO_PASSWORD)
        admin.save()
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}) at /post/: officer and supervisor (Kyrgyz "
                          "post, kg-bordobo), tj-officer and tj-supervisor (Tajik post, tj-kyzyl-art); admin at "
                          "/admin/.")
