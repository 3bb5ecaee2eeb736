"""Work done after the request: mailing a traveller their notice's link again."""

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_tasks import task

from kordon.audit.services import SYSTEM, record
from kordon.notices.links import notice_link
from kordon.notices.models import Notice
from kordon.tokens import hash_token, new_token


@task()
def send_notice_link(notice_pk: int, site_url: str) -> str:
    """Mail the notice's contact address a new link; the old link stops working.

    The token is made here, not in the request, so it is never stored in the task queue. The mail is
    sent inside the transaction that stores the new token's hash: if sending fails, the old link
    stays valid and nothing half-happened.
    """
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("crossing").filter(pk=notice_pk).first()
        if notice is None or not notice.contact_email:
            return "skipped: no email address"
        token = new_token()
        notice.access_token_hash = hash_token(token)
        notice.save(update_fields=["access_token_hash"])
        record(SYSTEM, "notice.link_sent", reference=notice.reference, obj=notice)
        context = {"notice": notice, "url": site_url.rstrip("/") + notice_link(notice.reference, token)}
        send_mail(
            subject=_("Crossing notice %(reference)s: your link") % {"reference": notice.display_reference},
            message=render_to_string("notices/link_email.txt", context),
            from_email=None, recipient_list=[notice.contact_email],
        )
    return "sent"
