"""The WhatsApp Cloud API (Meta's Graph API) as kordon uses it: send text, templates and images, fetch media.

Requests go to KORDON_WHATSAPP_API_URL (Meta's Graph API by default; the tests run a local server
speaking its wire format) with the bearer token KORDON_WHATSAPP_TOKEN. Errors come back as
CloudApiError with Meta's error code: 131047 means the 24-hour window is closed (send a template).
"""

from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings

TIMEOUT = (5, 30)  # seconds to connect, to read: a reply must not hold a worker for long
WINDOW_CLOSED = 131047  # "Re-engagement message": more than 24 hours since the person last wrote


class CloudApiError(Exception):
    """The Cloud API refused or could not be reached; `retry` says whether trying later may help."""

    def __init__(self, message: str, *, code: int | None = None, retry: bool = True) -> None:
        super().__init__(message)
        self.code = code
        self.retry = retry


@dataclass(frozen=True)
class Media:
    content: bytes
    mime_type: str
    sha256: str


def _url(path: str) -> str:
    return f"{settings.KORDON_WHATSAPP_API_URL.rstrip('/')}/{path.lstrip('/')}"


def _headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {settings.KORDON_WHATSAPP_TOKEN}"}


def _answer(response: requests.Response) -> dict[str, Any]:
    try:
        body: dict[str, Any] = response.json()
    except ValueError:
        body = {}
    if response.ok:
        return body
    error = body.get("error") or {}
    code = error.get("code")
    # 4xx other than rate limits will fail the same way again; 5xx and 429 may pass later.
    retry = response.status_code >= 500 or response.status_code == 429 or code in (4, 80007, 130429)
    raise CloudApiError(f"{response.status_code}: {error.get('message') or response.text[:200]}",
                        code=code, retry=retry)


def _post(path: str, **kwargs: Any) -> dict[str, Any]:
    try:
        return _answer(requests.post(_url(path), headers=_headers(), timeout=TIMEOUT, **kwargs))
    except requests.RequestException as exc:
        raise CloudApiError(f"The Cloud API cannot be reached: {exc}") from exc


def _message(to: str, kind: str, content: dict[str, Any]) -> str:
    body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": kind, kind: content}
    answer = _post(f"{settings.KORDON_WHATSAPP_PHONE_NUMBER_ID}/messages", json=body)
    return str(answer["messages"][0]["id"])


def send_text(to: str, text: str) -> str:
    """Send free text (only within 24 hours of the person's last message); return the message id."""
    return _message(to, "text", {"preview_url": False, "body": text[:4096]})


def send_template(to: str, name: str, language: str, parameters: list[str]) -> str:
    """Send an approved template, the only message allowed outside the 24-hour window."""
    content = {"name": name, "language": {"policy": "deterministic", "code": language},
               "components": [{"type": "body", "parameters": [{"type": "text", "text": p} for p in parameters]}]}
    return _message(to, "template", content)


def send_image(to: str, content: bytes, mime_type: str, caption: str) -> str:
    """Upload an image (e.g. the seal) and send it; return the message id."""
    uploaded = _post(f"{settings.KORDON_WHATSAPP_PHONE_NUMBER_ID}/media",
                     data={"messaging_product": "whatsapp", "type": mime_type},
                     files={"file": ("image.png", content, mime_type)})
    return _message(to, "image", {"id": uploaded["id"], "caption": caption[:1024]})


def fetch_media(media_id: str, max_bytes: int) -> Media:
    """Download a message's media now: its id lives days, the download URL only minutes."""
    try:
        info = _answer(requests.get(_url(media_id), headers=_headers(), timeout=TIMEOUT))
        if int(info.get("file_size") or 0) > max_bytes:
            raise CloudApiError(f"The file is larger than {max_bytes} bytes.", retry=False)
        with requests.get(info["url"], headers=_headers(), timeout=TIMEOUT, stream=True) as response:
            if not response.ok:
                raise CloudApiError(f"{response.status_code} downloading media {media_id}")
            content = b""
            for chunk in response.iter_content(65536):
                content += chunk
                if len(content) > max_bytes:
                    raise CloudApiError(f"The file is larger than {max_bytes} bytes.", retry=False)
    except requests.RequestException as exc:
        raise CloudApiError(f"The media {media_id} cannot be fetched: {exc}") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise CloudApiError(f"The Cloud API answered about media {media_id} without a URL.", retry=False) from exc
    return Media(content, str(info.get("mime_type", "")), str(info.get("sha256", "")))
