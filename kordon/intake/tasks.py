"""Work the worker does for intake: read the message, fetch its media at once, answer."""

import logging

from django.conf import settings
from django.db import transaction
from django_tasks import task
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend

from kordon.intake import conversation, mail, replies
from kordon.intake.conversation import Incoming, Media
from kordon.intake.models import Message
from kordon.notifications import whatsapp

logger = logging.getLogger(__name__)


def enqueue_with(work: "Task[[int], str]", message_id: int) -> None:
    """Queue `work` for a message being stored in the current transaction. The database queue's row
    is written in that transaction (one commit, so a webhook answers after one disk flush, and a
    message is never kept without its handling queued); any other queue is written after commit."""
    if isinstance(work.get_backend(), DatabaseBackend):
        work.enqueue(message_id)
    else:
        transaction.on_commit(lambda: work.enqueue(message_id))


@task()
def handle_whatsapp(message_id: int) -> str:
    message = Message.objects.get(pk=message_id)
    if message.handled_at is not None:
        return "handled already"
    media = []
    kind = message.payload.get("type")
    if kind in ("image", "document"):
        item = message.payload.get(kind) or {}
        try:  # the media's URL lives minutes: fetch it now, before anything else
            fetched = whatsapp.fetch_media(str(item.get("id", "")), settings.KORDON_UPLOAD_MAX_BYTES)
            media.append(Media(fetched.content, fetched.mime_type or item.get("mime_type", ""), message.text))
        except whatsapp.CloudApiError as exc:
            logger.warning("Media of WhatsApp message %s not fetched: %s", message.external_id, exc)
            if exc.retry:
                raise
    with transaction.atomic():
        answer = conversation.handle(Incoming(message, media))
    if answer:
        replies.send(message, answer)
    return "answered" if answer else "taken over: not answered"


@task()
def handle_email(message_id: int) -> str:
    message = Message.objects.get(pk=message_id)
    if message.handled_at is not None:
        return "handled already"
    items = [Media(content, mime_type, name) for name, content, mime_type in mail.attachments(bytes(message.raw))]
    with transaction.atomic():
        answer = conversation.handle(Incoming(message, items))
    if answer:
        replies.send(message, answer)
    return "answered" if answer else "taken over: not answered"
