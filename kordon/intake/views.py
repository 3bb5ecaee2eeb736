"""Headquarters' page of intake conversations: the stuck ones, taking one over, answering by hand."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kordon.intake import services
from kordon.intake.models import Conversation
from kordon.notifications.channels import Undelivered

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
