"""Documents on the web: the traveller sends and sees them from the notice's page; officers and
reviewers open them from the console. Every read is recorded (see responses.py)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kordon.audit.services import TRAVELLER, Actor
from kordon.documents import services
from kordon.documents.models import Document, DocumentKind
from kordon.documents.responses import document_response
from kordon.notices import views as notice_pages
from kordon.notices.access import traveller_page
from kordon.notices.links import notice_page
from kordon.notices.models import Notice
from kordon.problems import Refused
from kordon.statuses import status_of


def _variant(request: HttpRequest) -> services.Variant:
    variant = request.GET.get("variant", "full")
    return variant if variant in services.VARIANTS else "full"


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
@traveller_page
def upload(request: HttpRequest, notice: Notice) -> HttpResponse:
    """Receive one document from the notice's page: a plain form post, or the page's script (JSON)."""
    kind = request.POST.get("kind", "")
    try:
        document = services.store_document(notice, kind=kind, upload=request.FILES.get("file"), actor=TRAVELLER,
                                           traveller_id=request.POST.get("traveller_id"))
    except Refused as refused:
        return _refused(request, notice, refused)
    label = DocumentKind(kind).label
    messages.success(request, _("Received: %(document)s. Thank you.") % {"document": label.lower()})
    page = notice_page(notice.reference) + "#documents"
    if _wants_json(request):
        return JsonResponse({"document": services.document_json(document), "redirect": page}, status=201)
    return HttpResponseRedirect(page)


def _refused(request: HttpRequest, notice: Notice, refused: Refused) -> HttpResponse:
    """The script gets the errors as JSON; a plain form gets the notice's page again, with the
    message beside the form the file came from (the status template's documents panel shows it)."""
    if _wants_json(request):
        return JsonResponse(refused.body(), status=status_of(refused))
    slot = request.POST.get("kind", "")
    if slot == DocumentKind.PASSPORT:
        slot = f"{slot}-{request.POST.get('traveller_id', '')}"
    request.document_refusal = (slot, [p.message for p in refused.problems])  # type: ignore[attr-defined]
    response = notice_pages.status(request, notice.reference)
    response.status_code = status_of(refused)
    return response


@require_GET
@traveller_page
def traveller_document(request: HttpRequest, notice: Notice, pk: uuid.UUID) -> HttpResponse:
    document = Document.objects.filter(notice=notice, pk=pk).select_related("notice").first()
    if document is None:
        raise Http404("No such document")
    return document_response(request, document, TRAVELLER, _variant(request))


@require_GET
@login_required
def console_document(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """For officers of the notice's posts and staff allowed to view documents; 404 for anyone else."""
    document = Document.objects.filter(pk=pk).select_related("notice__direction").first()
    if document is None or not services.can_view(request.user, document):
        raise Http404("No such document")
    return document_response(request, document, Actor.of_user(request.user), _variant(request))
