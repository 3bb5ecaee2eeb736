"""Work done after the request: mailing receipts (queued only once the payment has committed)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from kordon.payments.models import Receipt


@task()
def email_receipt(receipt_id: int) -> None:
    """Mail a receipt to its notice's contact address, once (a retried task does not mail twice)."""
    receipt = Receipt.objects.select_related("notice").get(pk=receipt_id)
    if receipt.emailed_at is not None or not receipt.notice.contact_email:
        return
    context = {"receipt": receipt, "notice": receipt.notice, "base_url": settings.KORDON_BASE_URL}
    kind = "Refund receipt" if receipt.kind == "refund" else "Receipt"
    send_mail(
        subject=f"{kind} {receipt.number} for crossing notice {receipt.notice.display_reference}",
        message=render_to_string("payments/receipt_email.txt", context),
        from_email=None, recipient_list=[receipt.notice.contact_email],
    )
    Receipt.objects.filter(pk=receipt_id).update(emailed_at=timezone.now())
