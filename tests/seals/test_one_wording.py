"""A forged or revoked seal is worded one way: on the command line, over the API, at the console
and on a post's device offline (whose texts the page carries)."""

import html
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from kordon.seals import verdicts


def _offline_text(key: str) -> str:
    page = render_to_string("posts/_offline_text.html")
    found = re.search(rf'<span data-t="{key}">(.*?)</span>', page, re.S)
    assert found, key
    return html.unescape(found.group(1))


@pytest.mark.parametrize("language", ["en", "ru", "ky", "tg"])
@pytest.mark.parametrize("reason", ["bad_signature", "seal_revoked"])
def test_the_device_offline_says_what_the_server_says(reason: str, language: str) -> None:
    with translation.override(language):
        assert _offline_text(f"seal_{reason}") == verdicts.say(reason)


def test_a_reason_the_table_lacks_is_an_error_not_a_blank() -> None:
    with pytest.raises(KeyError):
        verdicts.say("no_such_reason")
