"""One way to answer with a document's bytes, for the API and the pages alike."""

from django.http import HttpRequest, HttpResponse

from kordon.audit.services import Actor
from kordon.documents import services
from kordon.documents.models import Document


def document_response(request: HttpRequest, document: Document, actor: Actor,
                      variant: services.Variant) -> HttpResponse:
    """The decrypted bytes with headers that keep them private; the read is recorded.

    Previews and thumbnails may be kept by the reader's own browser but must be revalidated each
    time (``no-cache`` with an ETag): the console on a slow link then gets a bodiless 304, and the
    look is still recorded. Full-size documents are never cached.
    """
    etag = f'"{document.pk}-{variant}"'  # stored documents never change: a new upload is a new id
    if variant != "full" and _matches(request.headers.get("If-None-Match", ""), etag):
        services.record_read(document, actor, variant, revalidated=True)
        response = HttpResponse(status=304)
    else:
        opened = services.read_document(document, actor, variant=variant)
        response = HttpResponse(opened.content, content_type=opened.content_type)
        extension = document.extension if variant == "full" else "jpg"
        response["Content-Disposition"] = f'inline; filename="{document.kind}.{extension}"'
        if opened.content_type.startswith("image/"):
            # Shown on its own, an image is inert; say so to browsers that would try anything else.
            # (PDFs are left to the browser's viewer, which a sandbox would block; they were checked
            # for scripts, actions and attachments on upload.)
            response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    if variant == "full":
        response["Cache-Control"] = "private, no-store"
    else:
        response["Cache-Control"] = "private, no-cache"
        response["ETag"] = etag
    return response


def _matches(if_none_match: str, etag: str) -> bool:
    # GZipMiddleware weakens the ETag of what it compresses, so the browser may send it back as W/"…".
    return etag in (tag.strip().removeprefix("W/") for tag in if_none_match.split(","))
