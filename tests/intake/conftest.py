"""A local server speaking the WhatsApp Cloud API's wire format (Graph API), and Meta's webhook payloads."""

import hashlib
import hmac
import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlparse

import pytest
from django.test import Client

APP_SECRET = "test-app-secret"
PHONE_NUMBER_ID = "106540352242922"
TRAVELLER = "31612345678"


class GraphApi:
    """What the fake Graph API holds (media by id) and what it was sent (messages)."""

    def __init__(self) -> None:
        self.media: dict[str, tuple[bytes, str]] = {}
        self.sent: list[dict[str, Any]] = []
        self.base = ""

    def texts(self) -> list[str]:
        return [m["text"]["body"] for m in self.sent if m.get("type") == "text"]


def _handler(graph: GraphApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _json(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorized(self) -> bool:
            if self.headers.get("Authorization") != "Bearer test-token":
                self._json(401, {"error": {"message": "Invalid OAuth access token.", "type": "OAuthException",
                                           "code": 190}})
                return False
            return True

        def do_GET(self) -> None:
            if not self._authorized():
                return
            parts = self.path.strip("/").split("/")
            if parts[-2:-1] == ["download"] and parts[-1] in graph.media:
                content, mime = graph.media[parts[-1]]
                self.send_response(200)
                self.send_header("Content-Type", mime)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
            elif parts[-1] in graph.media:
                content, mime = graph.media[parts[-1]]
                self._json(200, {"messaging_product": "whatsapp", "url": f"{graph.base}/download/{parts[-1]}",
                                 "mime_type": mime, "sha256": hashlib.sha256(content).hexdigest(),
                                 "file_size": str(len(content)), "id": parts[-1]})
            else:
                self._json(400, {"error": {"message": "Unsupported get request.", "type": "GraphMethodException",
                                           "code": 100}})

        def do_POST(self) -> None:
            if not self._authorized():
                return
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path.endswith(f"/{PHONE_NUMBER_ID}/messages"):
                message = json.loads(body)
                graph.sent.append(message)
                self._json(200, {"messaging_product": "whatsapp",
                                 "contacts": [{"input": message["to"], "wa_id": message["to"]}],
                                 "messages": [{"id": f"wamid.out{len(graph.sent)}"}]})
            elif self.path.endswith(f"/{PHONE_NUMBER_ID}/media"):
                self._json(200, {"id": f"{len(graph.media) + 9000}"})
            else:
                self._json(404, {"error": {"message": "Unknown path", "code": 100}})

    return Handler


@pytest.fixture
def graph_api(settings: Any) -> Iterator[GraphApi]:
    graph = GraphApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(graph))
    graph.base = f"http://127.0.0.1:{server.server_address[1]}/v21.0"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.KORDON_WHATSAPP_API_URL = graph.base
    settings.KORDON_WHATSAPP_TOKEN = "test-token"
    settings.KORDON_WHATSAPP_PHONE_NUMBER_ID = PHONE_NUMBER_ID
    settings.KORDON_WHATSAPP_APP_SECRET = APP_SECRET
    settings.KORDON_WHATSAPP_VERIFY_TOKEN = "test-verify-token"
    try:
        yield graph
    finally:
        server.shutdown()


def envelope(*messages: dict[str, Any], name: str = "Anna Eriksson", sender: str = TRAVELLER) -> dict[str, Any]:
    """A delivery exactly as Meta sends it: entry → changes → value with metadata, contacts, messages."""
    return {"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{
        "value": {"messaging_product": "whatsapp",
                  "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
                  "contacts": [{"profile": {"name": name}, "wa_id": sender}],
                  "messages": list(messages)},
        "field": "messages"}]}]}


_counter = iter(range(1, 10_000))


def text(body: str, sender: str = TRAVELLER) -> dict[str, Any]:
    return {"from": sender, "id": f"wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQz{next(_counter):06d}",
            "timestamp": str(int(time.time())), "type": "text", "text": {"body": body}}


def image(graph: GraphApi, content: bytes, caption: str = "", sender: str = TRAVELLER) -> dict[str, Any]:
    media_id = f"{1003383421387256 + len(graph.media)}"
    graph.media[media_id] = (content, "image/jpeg")
    item = {"mime_type": "image/jpeg", "sha256": hashlib.sha256(content).hexdigest(), "id": media_id}
    if caption:
        item["caption"] = caption
    return {"from": sender, "id": f"wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQz{next(_counter):06d}",
            "timestamp": str(int(time.time())), "type": "image", "image": item}


def signed(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliver(client: Client, payload: dict[str, Any], *, signature: str | None = None) -> Any:
    body = json.dumps(payload).encode()
    headers = {"HTTP_X_HUB_SIGNATURE_256": signature if signature is not None else signed(body)}
    return client.post("/api/v1/intake/whatsapp", body, content_type="application/json", **headers)


FORM_LINK = re.compile(r"\S*/intake/form/[^/\s]+/")


def form_link_in(answer: str) -> str:
    """The prefilled form's link in an answer, as a path the test client can open."""
    found = FORM_LINK.search(answer)
    assert found, f"no link to the prefilled form in: {answer}"
    return urlparse(found.group(0)).path


def submitted(response: Any) -> dict[str, Any]:
    """What a browser sends when the form on `response` is submitted unchanged with its "file" button."""
    data: dict[str, Any] = {"action": "file"}
    for form in [response.context["form"], *response.context["formset"].forms]:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            data[bound.html_name] = "on" if value is True else value.isoformat() if hasattr(value, "isoformat") \
                else value
    management = response.context["formset"].management_form
    for bound in management:
        data[bound.html_name] = bound.value()
    return data
