"""The shapes of the documents' answers (kordon.answers says how schemas and builders meet)."""

from kordon.answers import IsoMoment, Out


class SlotOut(Out):
    """A document the notice still needs: its kind, whose (passports) and what to call it."""

    kind: str
    traveller_id: int | None
    label: str


class DocumentOut(Out):
    id: str
    kind: str
    traveller_id: int | None
    content_type: str
    size: int
    width: int | None
    height: int | None
    pages: int | None
    uploaded_at: IsoMoment


class StoredDocumentOut(DocumentOut):
    missing: list[SlotOut]


class DocumentsOut(Out):
    documents: list[DocumentOut]
    missing: list[SlotOut]
