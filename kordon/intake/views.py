"""Headquarters' page of intake conversations: the stuck ones, taking one over, answering by hand."""

from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kordon.intake import conversation as conversations
from kordon.intake import prefill, services
from kordon.intake.models import Conversation, State
from kordon.notices import views as notice_views
from kordon.notices.forms import NoticeForm, TravellerFormSet
from kordon.notices.models import Notice
from kordon.notifications.channels import Undelivered
from kordon.tokens import hash_token

STAFF = "intake.change_conversation"


@permission_required(STAFF)
def stuck(request: HttpRequest) -> HttpResponse:
    conversations = services.stuck_conversations().order_by("updated_at").prefetch_related("messages")[:200]
    return render(request, "intake/stuck.html", {"conversations": conversations})


@require_POST
@permission_required(STAFF)
def take_over(request: HttpRequest, pk: int) -> HttpResponse:
    services.take_over(get_object_or_404(Conversation, pk=pk), request.user)  # type: ignore[arg-type]
    return HttpResponseRedirect(reverse("intake:stuck") + f"#conversation-{pk}")


@require_POST
@permission_required(STAFF)
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_object_or_404(Conversation, pk=pk)
    text = request.POST.get("text", "").strip()
    error = ""
    if not text:
        error = "Write the answer first."
    else:
        try:
            services.answer(conversation, request.user, text)  # type: ignore[arg-type]
        except (Undelivered, ValueError) as exc:
            error = f"Not sent: {exc}"
    if error:
        conversations = services.stuck_conversations().order_by("updated_at")[:200]
        return render(request, "intake/stuck.html", {"conversations": conversations, "error": error,
                                                      "error_pk": pk}, status=422)
    return HttpResponseRedirect(reverse("intake:stuck") + f"#conversation-{pk}")


def prefilled_form(request: HttpRequest, token: str) -> HttpResponse:
    """The notice form filled in from a conversation's draft (the link in the answer); the traveller
    reviews it and files it here, as on the ordinary form. Nothing is filed by opening it."""
    try:
        conv = prefill.conversation_of(token)
    except prefill.LinkInvalid:
        return render(request, "intake/form_link_invalid.html", {"hours": prefill.FORM_LINK_HOURS}, status=410)
    if conv.state == State.FILED and conv.notice is not None:
        return render(request, "notices/filed_already.html", {"notice": conv.notice})
    if request.method != "POST":
        values, travellers = prefill.initial(conv)
        formset = TravellerFormSet(initial=travellers or None)
        return render(request, "notices/file.html", {"form": NoticeForm(initial=values), "formset": formset,
                                                     "quiet": True, "removed": None})
    with transaction.atomic():  # the draft is marked filed in the filing's own transaction
        response = notice_views.file_notice(request)
        key = request.POST.get("idempotency_key", "")
        notice = Notice.objects.filter(idempotency_key_hash=hash_token(f"form:{key}")).first() if key else None
        if 300 <= response.status_code < 400 and notice is not None:
            conversations.filed_on_form(conv, notice)
    return response
