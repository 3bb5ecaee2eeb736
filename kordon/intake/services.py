"""What headquarters does with intake conversations: see those that are stuck, take one over, answer."""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kordon.audit.services import Actor, record
from kordon.intake import replies
from kordon.intake.models import Conversation, Message, State

STUCK_AFTER = timedelta(minutes=30)  # a draft nobody has moved on for this long needs a person


def stuck_conversations() -> QuerySet[Conversation]:
    """Drafts not filed whose traveller has gone quiet, and those a person has taken over."""
    quiet = timezone.now() - STUCK_AFTER
    return (Conversation.objects.exclude(state=State.FILED)
            .filter(updated_at__lt=quiet) | Conversation.objects.filter(state=State.TAKEN_OVER)).distinct()


def take_over(conversation: Conversation, user: AbstractBaseUser) -> Conversation:
    """A person answers from now on; the automatic answers stop."""
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        conversation.state, conversation.taken_by = State.TAKEN_OVER, user  # type: ignore[assignment]
        conversation.save(update_fields=["state", "taken_by"])
        record(Actor.of_user(user), "intake.taken_over", obj=conversation, channel=conversation.channel)  # type: ignore[arg-type]
    return conversation


def answer(conversation: Conversation, user: AbstractBaseUser, text: str) -> None:
    """Send `text` to the traveller, as an answer to their last message."""
    last = conversation.messages.filter(incoming=True).order_by("-received_at", "-pk").first()
    if last is None:
        raise ValueError("The traveller has not written yet.")
    replies.send(last, text, key=f"kordon-hq-{last.pk}-{Message.objects.count()}")
    record(Actor.of_user(user), "intake.answered", obj=conversation, channel=conversation.channel)  # type: ignore[arg-type]
