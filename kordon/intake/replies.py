"""Answers to travellers, on the channel they wrote from, through the notifications' channels."""

import logging

from django.utils import timezone

from kordon.intake.models import Channel, Message
from kordon.notifications.channels import Message as Outgoing
from kordon.notifications.channels import Undelivered, channel

logger = logging.getLogger(__name__)


def send(to: Message, text: str, *, key: str = "") -> None:
    """Answer `to`. WhatsApp: free text (the traveller has just written, so the 24-hour window is open)."""
    subject = to.subject if to.subject.lower().startswith("re:") else f"Re: {to.subject or 'your crossing'}"
    outgoing = Outgoing(address=to.sender, subject=subject, body=text, key=key or f"kordon-reply-{to.pk}",
                        in_reply_to=to.external_id if to.channel == Channel.EMAIL else "")
    try:
        channel(to.channel).send(outgoing, window_open=True)
    except Undelivered as exc:
        logger.warning("Answer to %s not delivered: %s", to.sender, exc)
        if exc.retry:
            raise  # the task fails and is recorded; the message stays handled, the answer can be resent by staff
        return
    Message.objects.create(conversation=to.conversation, channel=to.channel, external_id=key or f"reply-{to.pk}",
                           incoming=False, sender=to.sender, subject=subject, text=text,
                           received_at=timezone.now(), handled_at=timezone.now())
