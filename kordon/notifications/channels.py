"""Channels kordon reaches people on, behind one small interface.

A channel MUST either deliver the message or raise Undelivered; it MUST NOT retry by itself (the
notification's task does, and counts attempts). `retry=False` on Undelivered means trying again
cannot help (a malformed address, a refused recipient).
"""

from dataclasses import dataclass, field
from email.utils import make_msgid
from smtplib import SMTPRecipientsRefused, SMTPSenderRefused
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage

from kordon.notifications import whatsapp


class Undelivered(Exception):
    def __init__(self, message: str, *, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str


@dataclass(frozen=True)
class Message:
    """One message to one person. `template` is (name, parameters) for WhatsApp outside its window."""

    address: str
    subject: str
    body: str
    language: str = "en"
    attachments: list[Attachment] = field(default_factory=list)
    template: tuple[str, list[str]] | None = None
    # A stable id: an email's Message-ID, so a mail server or reader can tell a resend apart.
    key: str = ""
    in_reply_to: str = ""


class Channel(Protocol):
    def send(self, message: Message, *, window_open: bool) -> None: ...


class EmailChannel:
    def send(self, message: Message, *, window_open: bool = True) -> None:
        headers = {"Message-ID": make_msgid(idstring=message.key or None, domain=_mail_domain())}
        if message.in_reply_to:
            headers |= {"In-Reply-To": message.in_reply_to, "References": message.in_reply_to}
        email = EmailMessage(subject=message.subject, body=message.body, to=[message.address],
                             from_email=settings.KORDON_INTAKE_EMAIL or None, headers=headers)
        for attachment in message.attachments:
            email.attach(attachment.filename, attachment.content, attachment.mime_type)
        try:
            email.send()
        except (SMTPRecipientsRefused, SMTPSenderRefused) as exc:
            raise Undelivered(f"The mail server refused the message: {exc}", retry=False) from exc
        except OSError as exc:  # connection refused, timeouts, SMTP errors (SMTPException is an OSError)
            raise Undelivered(f"The mail server cannot take the message now: {exc}") from exc


class WhatsAppChannel:
    def send(self, message: Message, *, window_open: bool) -> None:
        try:
            if not window_open:
                if message.template is None:
                    raise Undelivered("Outside the 24-hour window and no template for this message.", retry=False)
                name, parameters = message.template
                whatsapp.send_template(message.address, name, message.language, parameters)
                return
            whatsapp.send_text(message.address, message.body)
            for attachment in message.attachments:
                whatsapp.send_image(message.address, attachment.content, attachment.mime_type, attachment.filename)
        except whatsapp.CloudApiError as exc:
            raise Undelivered(str(exc), retry=exc.retry) from exc


def _mail_domain() -> str:
    sender = settings.KORDON_INTAKE_EMAIL or settings.DEFAULT_FROM_EMAIL
    return sender.rsplit("@", 1)[-1].strip(">") or "localhost"


CHANNELS: dict[str, Channel] = {"email": EmailChannel(), "whatsapp": WhatsAppChannel()}


def channel(name: str) -> Channel:
    return CHANNELS[name]
