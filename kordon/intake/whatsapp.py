"""The WhatsApp Cloud API's webhook: subscription check, signed deliveries, messages kept once by id.

The webhook answers at once; fetching media, reading passports and replying happen in the worker
(`tasks.handle_whatsapp`), because Meta redelivers anything not answered within seconds.
"""

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from kordon.intake.models import Channel, Message

MEDIA_TYPES = ("image", "document")


def signature_ok(body: bytes, header: str) -> bool:
    """`X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`, compared in constant time."""
    secret = settings.KORDON_WHATSAPP_APP_SECRET
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


def subscription_ok(mode: str, token: str) -> bool:
    verify = settings.KORDON_WHATSAPP_VERIFY_TOKEN
    return mode == "subscribe" and bool(verify) and hmac.compare_digest(verify.encode(), token.encode())


def messages_of(payload: Any) -> list[tuple[dict[str, Any], str]]:
    """Each message of a delivery with the sender's profile name; status updates and other fields skipped."""
    found: list[tuple[dict[str, Any], str]] = []
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        return found
    for entry in payload.get("entry") or []:
        for change in (entry or {}).get("changes") or []:
            value = (change or {}).get("value") or {}
            if change.get("field") != "messages" or not isinstance(value, dict):
                continue
            names = {c.get("wa_id"): (c.get("profile") or {}).get("name", "") for c in value.get("contacts") or []
                     if isinstance(c, dict)}
            for message in value.get("messages") or []:
                if isinstance(message, dict) and isinstance(message.get("id"), str) and message.get("from"):
                    found.append((message, str(names.get(message["from"], ""))))
    return found


def keep(payload: Any) -> list[int]:
    """Store each new message of the delivery once; return the pks of those not seen before."""
    new = []
    for message, name in messages_of(payload):
        kind = message.get("type", "")
        text = (message.get("text") or {}).get("body", "") if kind == "text" else \
            (message.get(kind) or {}).get("caption", "") if kind in MEDIA_TYPES else ""
        try:
            with transaction.atomic():
                row = Message.objects.create(channel=Channel.WHATSAPP, external_id=message["id"][:300],
                                             sender=str(message["from"])[:254], sender_name=name[:120],
                                             text=str(text)[:10000], payload=message)
        except IntegrityError:
            continue  # a redelivery: the message is kept already
        new.append(row.pk)
    return new
