"""Who may read a document: the notice's traveller, officers of its two posts, reviewers and
administrators holding the permission; nobody else, not even to learn that it exists. Every read,
by anyone, is in the audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from kordon.audit.models import AuditEvent
from kordon.crossings.models import Crossing, Post
from kordon.documents.models import Document
from tests.conftest import make_officer, open_link
from tests.documents import samples
from tests.documents.conftest import api_read, api_upload


@pytest.fixture
def passport(party: dict[str, Any]) -> Document:
    response = api_upload(party, samples.jpeg((640, 480)))
    return Document.objects.get(pk=response.json()["id"])


@pytest.fixture
def other_crossing_officer(crossing: Crossing) -> tuple[Any, str]:
    irkeshtam = Crossing.objects.create(slug="irkeshtam", name="Irkeshtam")
    post = Post.objects.create(crossing=irkeshtam, code="kg-irkeshtam", name="Irkeshtam (Kyrgyz post)", country="KG",
                               timezone="Asia/Bishkek")
    return make_officer(post, "bakyt", password="correct-horse-9")


def reads() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="document.read").order_by("id"))


def logged_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def staff(username: str, *, may_view: bool, superuser: bool = False) -> Client:
    user = get_user_model().objects.create_user(username, is_staff=True, is_superuser=superuser)
    if may_view:
        user.user_permissions.add(Permission.objects.get(codename="view_document"))
    client = Client()
    client.force_login(user)
    return client


def console(client: Client, document: Document, variant: str = "full") -> Any:
    return client.get(f"/documents/{document.pk}/", {"variant": variant})


# --- through the API -------------------------------------------------------------------------


def test_the_traveller_reads_their_document_with_the_access_token(party: dict[str, Any], passport: Document) -> None:
    response = api_read(party, str(passport.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    [event] = reads()
    assert (event.actor, event.notice_reference, event.object_id) == (
        "traveller (access token)", party["reference"], str(passport.pk))
    assert event.data == {"kind": "passport", "variant": "full"}


@pytest.mark.parametrize("who", ["officer", "tj_officer"], ids=["receiving-post", "departing-post"])
def test_officers_of_both_posts_read_it_with_their_token(
    party: dict[str, Any], passport: Document, who: str, request: pytest.FixtureRequest
) -> None:
    officer, token = request.getfixturevalue(who)
    assert api_read(party, str(passport.pk), token=token).status_code == 200
    [event] = reads()
    assert event.actor == f"user {officer.user.username}" and event.actor_user_id == officer.user_id


def test_an_officer_of_another_crossing_gets_404(party: dict[str, Any], passport: Document,
                                                 other_crossing_officer: tuple[Any, str]) -> None:
    response = api_read(party, str(passport.pk), token=other_crossing_officer[1])
    assert response.status_code == 404 and response.json()["errors"][0]["code"] == "not_found"
    assert reads() == []


@pytest.mark.parametrize("token", ["", "not-a-token"], ids=["no-token", "wrong-token"])
def test_a_stranger_gets_404(party: dict[str, Any], passport: Document, token: str) -> None:
    response = Client().get(f"/api/v1/notices/{party['reference']}/documents/{passport.pk}",
                            **({"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}))
    assert response.status_code == 404
    assert reads() == []


def test_another_notices_token_does_not_open_this_notices_document(
    party: dict[str, Any], walker: dict[str, Any], passport: Document
) -> None:
    assert api_read(walker, str(passport.pk)).status_code == 404  # under the walker's own reference
    response = Client().get(f"/api/v1/notices/{party['reference']}/documents/{passport.pk}",
                            HTTP_AUTHORIZATION=f"Bearer {walker['access_token']}")
    assert response.status_code == 404
    assert api_read(party, "not-a-uuid").status_code == 404


def test_the_list_is_for_the_same_people_as_the_documents(party: dict[str, Any], passport: Document, officer,
                                                          other_crossing_officer: tuple[Any, str]) -> None:
    url = f"/api/v1/notices/{party['reference']}/documents"
    own = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {party['access_token']}")
    assert own.status_code == 200 and [d["id"] for d in own.json()["documents"]] == [str(passport.pk)]
    assert Client().get(url, HTTP_AUTHORIZATION=f"Bearer {officer[1]}").status_code == 200
    assert Client().get(url, HTTP_AUTHORIZATION=f"Bearer {other_crossing_officer[1]}").status_code == 404
    assert Client().get(url).status_code == 404


# --- through the pages -----------------------------------------------------------------------


def test_the_traveller_opens_their_document_from_the_notice_page(party: dict[str, Any], passport: Document) -> None:
    traveller = Client()
    base = open_link(traveller, party) + f"documents/{passport.pk}/"
    assert traveller.get(base).status_code == 200
    assert Client().get(base).status_code == 404  # another browser, without the link's cookie
    assert Client().get(f"/notices/{party['reference']}/wrong-token/documents/{passport.pk}/").status_code == 404
    assert [e.actor for e in reads()] == ["traveller (access token)"]


@pytest.mark.parametrize("who", ["officer", "tj_officer"], ids=["receiving-post", "departing-post"])
def test_officers_of_both_posts_open_it_in_the_console(
    passport: Document, who: str, request: pytest.FixtureRequest
) -> None:
    officer, _ = request.getfixturevalue(who)
    client = logged_in(officer.user.username)
    for variant in ("thumb", "preview", "full"):
        assert console(client, passport, variant).status_code == 200
    assert [(e.actor, e.data["variant"]) for e in reads()] == [
        (f"user {officer.user.username}", v) for v in ("thumb", "preview", "full")]


def test_an_officer_of_another_crossing_cannot_open_it_in_the_console(
    passport: Document, other_crossing_officer: tuple[Any, str]
) -> None:
    assert console(logged_in("bakyt"), passport).status_code == 404
    assert reads() == []


def test_someone_not_logged_in_is_sent_to_the_login_page(passport: Document) -> None:
    response = console(Client(), passport)
    assert response.status_code == 302 and response["Location"].startswith("/post/login/")
    assert reads() == []


def test_a_reviewer_with_the_view_permission_opens_any_document(passport: Document) -> None:
    response = console(staff("reviewer", may_view=True), passport)
    assert response.status_code == 200
    assert [e.actor for e in reads()] == ["user reviewer"]


def test_an_administrator_opens_any_document(passport: Document) -> None:
    assert console(staff("admin", may_view=False, superuser=True), passport).status_code == 200
    assert [e.actor for e in reads()] == ["user admin"]


def test_staff_without_the_permission_get_404(passport: Document) -> None:
    assert console(staff("clerk", may_view=False), passport).status_code == 404
    assert reads() == []


def test_the_permission_alone_is_not_enough_without_staff_status(passport: Document) -> None:
    user = get_user_model().objects.create_user("outsider")
    user.user_permissions.add(Permission.objects.get(codename="view_document"))
    client = Client()
    client.force_login(user)
    assert console(client, passport).status_code == 404


def test_the_admin_lists_documents_for_reviewers_without_reading_them(passport: Document) -> None:
    client = staff("reviewer", may_view=True)
    listing = client.get("/admin/documents/document/")
    assert listing.status_code == 200 and f"/documents/{passport.pk}/" in listing.content.decode()
    assert client.get(f"/admin/documents/document/{passport.pk}/change/").status_code == 200
    assert client.get("/admin/documents/document/add/").status_code == 403
    assert reads() == []  # showing the row is not reading the document


# --- every read is recorded ------------------------------------------------------------------


def test_every_read_is_one_audit_entry_naming_who_which_document_and_when(
    party: dict[str, Any], passport: Document, officer
) -> None:
    api_read(party, str(passport.pk))
    api_read(party, str(passport.pk), preview=1)
    api_read(party, str(passport.pk), token=officer[1])
    console(logged_in("aibek"), passport, "thumb")
    events = reads()
    assert [(e.actor, e.data["variant"]) for e in events] == [
        ("traveller (access token)", "full"), ("traveller (access token)", "preview"),
        ("user aibek", "full"), ("user aibek", "thumb")]
    assert all(e.object_type == "Document" and e.object_id == str(passport.pk) and e.at for e in events)


def test_revalidating_a_thumbnail_costs_no_body_and_is_still_a_recorded_read(passport: Document, officer) -> None:
    client = logged_in("aibek")
    first = console(client, passport, "thumb")
    assert first.status_code == 200 and first["Cache-Control"] == "private, no-cache"
    again = client.get(f"/documents/{passport.pk}/", {"variant": "thumb"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert [e.data for e in reads()] == [{"kind": "passport", "variant": "thumb"},
                                         {"kind": "passport", "variant": "thumb", "revalidated": True}]
