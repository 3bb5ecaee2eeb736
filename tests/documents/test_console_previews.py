"""The officer console shows each traveller's passport copy and the party's vehicle photo as small
previews beside the list entry, with the full size one click away."""

from __future__ import annotations

import io
import re
from typing import Any

from django.test import Client
from PIL import Image

from kordon.documents.models import Document
from kordon.documents.services import THUMB_PX
from tests.documents import samples
from tests.documents.conftest import api_upload


def console_client() -> Client:
    client = Client()
    assert client.login(username="aibek", password="correct-horse-9")
    return client


def test_the_days_list_shows_a_thumbnail_per_traveller_linking_to_full_size(
    party: dict[str, Any], officer: Any
) -> None:
    api_upload(party, samples.noisy_jpeg((1600, 1200), 90))
    api_upload(party, samples.noisy_jpeg((1600, 1200), 90), kind="vehicle_photo")
    passport = Document.objects.get(kind="passport")
    photo = Document.objects.get(kind="vehicle_photo")
    page = console_client().get("/post/", {"date": party["expected_date"]}).content.decode()

    assert f'href="/documents/{passport.pk}/"' in page and f'src="/documents/{passport.pk}/?variant=thumb"' in page
    assert page.count(f'src="/documents/{photo.pk}/?variant=thumb"') == 2  # beside each traveller of the party
    assert 'loading="lazy"' in page and 'width="56" height="56"' in page
    second = party["travellers"][1]["id"]
    assert f'data-testid="no-documents-{second}"' not in page  # the vehicle photo is shown for them


def test_search_results_show_the_thumbnails_too(party: dict[str, Any], officer: Any) -> None:
    api_upload(party, samples.jpeg())
    passport = Document.objects.get()
    page = console_client().get("/post/search/", {"q": "NX4HK2LP1"}).content.decode()
    assert f'src="/documents/{passport.pk}/?variant=thumb"' in page


def test_a_traveller_without_documents_is_marked(walker: dict[str, Any], officer: Any) -> None:
    page = console_client().get("/post/", {"date": walker["expected_date"]}).content.decode()
    assert f'data-testid="no-documents-{walker["travellers"][0]["id"]}"' in page


def test_a_thumbnail_is_a_few_kilobytes_and_the_full_size_is_there_on_demand(
    party: dict[str, Any], officer: Any
) -> None:
    api_upload(party, samples.noisy_jpeg((3000, 2000), 92))
    passport = Document.objects.get()
    client = console_client()
    thumb = client.get(f"/documents/{passport.pk}/", {"variant": "thumb"})
    full = client.get(f"/documents/{passport.pk}/")
    assert max(Image.open(io.BytesIO(thumb.content)).size) == THUMB_PX
    assert len(thumb.content) < 20_000 < len(full.content)
    assert Image.open(io.BytesIO(full.content)).size == (2000, 1333)


def test_the_list_costs_one_document_query_per_party(party: dict[str, Any], officer: Any,
                                                     django_assert_max_num_queries: Any) -> None:
    api_upload(party, samples.jpeg())
    client = console_client()
    client.get("/post/", {"date": party["expected_date"]})  # warm the session
    with django_assert_max_num_queries(30) as captured:
        client.get("/post/", {"date": party["expected_date"]})
    document_queries = [q for q in captured.captured_queries if re.search(r'FROM "documents_document"', q["sql"])]
    assert len(document_queries) == 1

