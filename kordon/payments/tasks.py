"""Work done after the request: mailing receipts (queued only once the payment has committed)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from kordon.payments.models import Receipt


@task()
def email_receipt(receipt_id: int) -> None:
    """Mail a receipt to its notice's contact address, once (a retried task does not mail twice)."""
    receipt = Receipt.objects.select_related("notice").get(pk=receipt_id)
    if receipt.emailed_at is not None or not receipt.notice.contact_email:
        return
    context = {"receipt": receipt, "notice": receipt.notice, "base_url": settings.KORDON_BASE_URL}
    with translation.override(receipt.notice.language):  # the traveller's language, whoever took the money
        values = {"number": receipt.number, "reference": receipt.notice.display_reference}
        subject = (_("Refund receipt %(number)s for crossing notice %(reference)s") if receipt.kind == "refund"
                   else _("Receipt %(number)s for crossing notice %(reference)s")) % values
        send_mail(
            subject=subject, message=render_to_string("payments/receipt_email.txt", context),
            from_email=None, recipient_list=[receipt.notice.contact_email],
        )
    Receipt.objects.filter(pk=receipt_id).update(emailed_at=timezone.now())
