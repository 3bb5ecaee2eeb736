"""The reviewer's desk at headquarters: the queue, one notice with its documents, the decision."""

from typing import Any

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kordon.audit.services import Actor
from kordon.documents.models import Document
from kordon.problems import Refused
from kordon.review import rules, services
from kordon.review.models import Review

REASONS = {
    rules.DOCUMENT_EXPIRING: gettext_lazy("The document expires soon after the crossing"),
    rules.NO_MRZ: gettext_lazy("No MRZ given"),
    rules.MRZ_NAME: gettext_lazy("The name is not exactly the MRZ's transliteration"),
    rules.LARGE_PARTY: gettext_lazy("A large party"),
    rules.NATIONALITY: gettext_lazy("A nationality to look at"),
    rules.HELD: gettext_lazy("Held by headquarters"),
}

reviewer_required = permission_required("review.change_review", raise_exception=True)


def reasons_text(review: Review) -> list[dict[str, Any]]:
    travellers = list(review.notice.travellers.all())
    shown = []
    for reason in review.reasons:
        position = reason.get("traveller")
        who = travellers[position].full_name if isinstance(position, int) and position < len(travellers) else ""
        shown.append({"label": REASONS.get(reason.get("code", ""), reason.get("code", "")), "who": who,
                      "detail": reason.get("detail", ""), "code": reason.get("code", "")})
    return shown


@never_cache
@staff_member_required
@reviewer_required
def queue(request: HttpRequest) -> HttpResponse:
    reviews = services.queue().prefetch_related("notice__travellers")[:200]
    waiting = [{"review": r, "reasons": reasons_text(r)} for r in reviews]
    return render(request, "review/queue.html", {"waiting": waiting, "times": services.times()})


@never_cache
@staff_member_required
@reviewer_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        review = services.open_review(pk, Actor.of_user(request.user))
    except Refused:
        raise Http404("No such review") from None
    documents = Document.objects.filter(notice=review.notice).select_related("traveller").order_by("uploaded_at")
    return render(request, "review/detail.html", {
        "review": review, "notice": review.notice, "reasons": reasons_text(review),
        "travellers": review.notice.travellers.all(), "documents": documents})


@require_POST
@staff_member_required
@reviewer_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    review = Review.objects.filter(pk=pk).first()
    if review is None:
        raise Http404("No such review")
    actor, note = Actor.of_user(request.user), request.POST.get("reason", "")[:2000]
    try:
        if request.POST.get("decision") == "accept":
            services.accept(review, actor, note)
            messages.success(request, _("Notice %(reference)s accepted: it is on the entry list and its seal is "
                                        "issued.") % {"reference": review.notice.display_reference})
        else:
            services.refuse(review, actor, note)
            messages.success(request, _("Notice %(reference)s refused; the traveller is told why.")
                             % {"reference": review.notice.display_reference})
    except Refused as refused:
        messages.error(request, " ".join(p.message for p in refused.problems))
        return HttpResponseRedirect(reverse("review:detail", args=[pk]))
    return HttpResponseRedirect(reverse("review:queue"))
