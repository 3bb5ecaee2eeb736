"""Recording what happened. Called inside the same transaction as the change it records."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from kordon.audit.models import AuditEvent


@dataclass(frozen=True)
class Actor:
    """Who acts: a logged-in user (officer, administrator) or the holder of a notice's token."""

    label: str
    user: User | None = None

    @classmethod
    def of_user(cls, user: User | AnonymousUser) -> "Actor":
        if isinstance(user, AnonymousUser) or not user.is_authenticated:
            return ANONYMOUS
        return cls(label=f"user {user.get_username()}", user=user)


TRAVELLER = Actor(label="traveller (access token)")
SYSTEM = Actor(label="system")
ANONYMOUS = Actor(label="anonymous")


def record(
    actor: Actor,
    action: str,
    *,
    reference: str = "",
    obj: Any = None,
    **data: Any,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor_user=actor.user,
        actor=actor.label,
        action=action,
        notice_reference=reference,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data,
    )
