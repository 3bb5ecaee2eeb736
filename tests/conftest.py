"""Shared fixtures: the Kyzyl-Art crossing, officers with tokens, a JSON client, notice factories."""

import email
import email.message
import email.policy
import json
import socket
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kordon.crossings.demo import load_kyzyl_art
from kordon.crossings.models import Crossing, Post
from kordon.posts.auth import forget_officers
from kordon.posts.models import Officer, Role
from kordon.tokens import hash_token


@pytest.fixture(autouse=True)
def _no_remembered_officers() -> Iterator[None]:
    """Each test starts with an empty officer cache: its officers are new rows with reused tokens."""
    forget_officers()
    yield
    forget_officers()


@pytest.fixture
def crossing(db: None) -> Crossing:
    return load_kyzyl_art(holidays=False)  # tests file "in six days", whatever day that is


@pytest.fixture
def kg_post(crossing: Crossing) -> Post:
    return Post.objects.get(code="kg-bordobo")


@pytest.fixture
def tj_post(crossing: Crossing) -> Post:
    return Post.objects.get(code="tj-kyzyl-art")


def make_officer(post: Post, username: str, role: str = Role.OFFICER, password: str | None = None) -> tuple[Officer, str]:
    user = get_user_model().objects.create_user(username, password=password)
    token = f"token-{username}"
    return Officer.objects.create(user=user, post=post, role=role, token_hash=hash_token(token)), token


@pytest.fixture
def officer(kg_post: Post) -> tuple[Officer, str]:
    return make_officer(kg_post, "aibek", password="correct-horse-9")


@pytest.fixture
def supervisor(kg_post: Post) -> tuple[Officer, str]:
    return make_officer(kg_post, "nurlan", Role.SUPERVISOR, password="correct-horse-9")


@pytest.fixture
def tj_officer(tj_post: Post) -> tuple[Officer, str]:
    return make_officer(tj_post, "farrukh")


class Api:
    """A JSON client for /api/v1 that sends a bearer token when given one."""

    def __init__(self) -> None:
        self.client = Client()

    def _headers(self, token: str | None) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path: str, token: str | None = None, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, **self._headers(token))

    def post(self, path: str, body: Any = None, token: str | None = None, **extra: Any) -> Any:
        data = json.dumps(body) if body is not None else ""
        return self.client.post(f"/api/v1{path}", data, content_type="application/json",
                                **self._headers(token), **extra)


@pytest.fixture
def api() -> Api:
    return Api()


def kg_today() -> date:
    return Post.objects.get(code="kg-bordobo").local_today()


def traveller(**overrides: Any) -> dict[str, Any]:
    data = {
        "surname": "Eriksson", "given_names": "Anna Maria", "nationality": "NLD", "sex": "F",
        "date_of_birth": "1980-01-31", "document_number": "NX4HK2LP1", "document_expiry": "2031-01-01",
    }
    return data | overrides


def notice_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "crossing": "kyzyl-art", "direction": "TJ-KG",
        "expected_date": (kg_today() + timedelta(days=6)).isoformat(),
        "contact": {"email": "anna@example.org", "phone": "+31 6 1234 5678"},
        "travellers": [traveller()],
        "vehicle": None,
    }
    return body | overrides


@pytest.fixture
def file_notice(api: Api, crossing: Crossing) -> Callable[..., dict[str, Any]]:
    """File a notice through the API and return its JSON (with the access token)."""

    def file(**overrides: Any) -> dict[str, Any]:
        response = api.post("/notices", notice_body(**overrides))
        assert response.status_code == 201, response.content
        return dict(response.json())

    return file


def open_link(client: Client, notice: dict[str, Any], language: str = "") -> str:
    """Open the traveller's link as a browser does: the answer keeps the token in the client's cookies
    and sends it on (303) to the notice's token-free page, whose path this returns."""
    prefix = f"/{language}" if language else ""
    response = client.get(f"{prefix}/notices/{notice['reference']}/{notice['access_token']}/")
    assert response.status_code == 303, response
    assert notice["access_token"] not in response["Location"]
    return str(response["Location"])


def error_codes(response: Any) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


class SmtpInbox:
    """What a local SMTP server received, parsed: `messages[0]["Subject"]`, `.get_content()`."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpInbox]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1; Django's mail goes to it over SMTP while the test runs."""
    from aiosmtpd.controller import Controller

    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD, settings.EMAIL_USE_TLS = "", "", False
    try:
        yield inbox
    finally:
        controller.stop()
