"""Email to the crossing's intake address: `kordon intake smtp --port N` receives it (aiosmtpd).

The site's mail server hands mail for the intake address over to this SMTP (or LMTP) listener; each
message is kept once by its Message-ID and answered by email from the worker. Hosted inbound mail
(django-anymail's inbound webhooks for SES, Mailgun, Postmark …) would only add a second way in for
the same message: a site that uses such a service can forward to this listener instead.
"""

import email
import email.policy
import logging
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr
from typing import Any

from django.db import IntegrityError, transaction

from kordon.intake.models import Channel, Message

logger = logging.getLogger(__name__)
MAX_MESSAGE_BYTES = 30 * 1024 * 1024


def parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def body_text(message: EmailMessage) -> str:
    part = message.get_body(("plain", "html"))
    if part is None:
        return ""
    text = str(part.get_content())
    # Quoted earlier messages ("> …", "On … wrote:") would be read again as new details.
    kept = []
    for line in text.splitlines():
        quoting = line.rstrip().endswith(("wrote:", "писал:", "написал(а):")) and line.startswith(("On ", "В "))
        if line.startswith(">") or quoting:
            break
        kept.append(line)
    return "\n".join(kept).strip()


def attachments(raw: bytes) -> list[tuple[str, bytes, str]]:
    """Each attached file of a message: (filename, content, MIME type)."""
    found = []
    for part in parse(raw).iter_attachments():
        content = part.get_payload(decode=True)
        if isinstance(content, bytes) and content:
            found.append((part.get_filename() or "", content, part.get_content_type()))
    return found


def keep(raw: bytes, envelope_from: str) -> int | None:
    """Store one received email once (by Message-ID); return its pk, or None for a repeat."""
    message = parse(raw)
    sender = parseaddr(str(message.get("Reply-To") or message.get("From") or envelope_from))
    message_id = str(message.get("Message-ID") or make_msgid()).strip()[:300]
    try:
        with transaction.atomic():
            row = Message.objects.create(
                channel=Channel.EMAIL, external_id=message_id, sender=sender[1].lower()[:254],
                sender_name=sender[0][:120], subject=str(message.get("Subject", ""))[:200],
                text=body_text(message)[:10000], raw=raw)
    except IntegrityError:
        return None
    return row.pk


class Receiver:
    """aiosmtpd handler: accept mail, keep it, queue its answer; refuse what is too large."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        from asgiref.sync import sync_to_async

        raw = envelope.original_content or envelope.content
        if len(raw) > MAX_MESSAGE_BYTES:
            return "552 Message too large: send photos of at most 10 MB each"
        try:
            await sync_to_async(_keep_and_queue, thread_sensitive=True)(raw, envelope.mail_from)
        except Exception:
            logger.exception("Received mail could not be kept")
            return "451 Temporary failure, try again later"
        return "250 Message accepted"


def _keep_and_queue(raw: bytes, mail_from: str) -> None:
    from kordon.intake.tasks import enqueue_with, handle_email

    with transaction.atomic():
        pk = keep(raw, mail_from)
        if pk is not None:
            enqueue_with(handle_email, pk)
