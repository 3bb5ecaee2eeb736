"""Work done after the request: mailing the traveller their seal."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from kordon.seals.models import Seal
from kordon.seals.qr import phone_png


@task()
def send_seal_email(seal_pk: int) -> str:
    """Mail the notice's contact the seal as a QR image; returns what happened, for the task log.

    Skips a seal that was withdrawn before the task ran (its successor has its own email) and a
    notice without an email address.
    """
    seal = Seal.objects.select_related("notice__crossing", "notice__direction__to_post").filter(pk=seal_pk).first()
    if seal is None or seal.revoked_at is not None:
        return "skipped: seal withdrawn"
    notice = seal.notice
    if not notice.contact_email:
        return "skipped: no email address"
    context = {"notice": notice, "seal": seal, "travellers": notice.travellers.all(),
               "post": notice.direction.to_post, "window": notice.arrival_window()}
    with translation.override(notice.language):  # the traveller's language, whoever caused the mail
        email = EmailMessage(
            subject=_("Crossing notice %(reference)s: your seal for %(crossing)s")
            % {"reference": notice.display_reference, "crossing": notice.crossing.name},
            body=render_to_string("seals/email.txt", context),
            to=[notice.contact_email],
        )
    email.attach(f"seal-{notice.display_reference}.png", phone_png(seal), "image/png")
    email.send()
    return "sent"
