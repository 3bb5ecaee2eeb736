"""Agencies with tokens, and filing through them."""

from collections.abc import Callable
from typing import Any

import pytest

from kordon.agencies import services
from kordon.agencies.models import Agency
from kordon.audit.services import SYSTEM
from tests.conftest import Api, notice_body, traveller
from tests.seals.conftest import seal_authority, seal_key_passphrase  # noqa: F401 -- fixtures


def make_agency(name: str) -> tuple[Agency, str]:
    agency, issued = services.create_agency(name, SYSTEM)
    return agency, issued.raw


@pytest.fixture
def agency_a(crossing: Any) -> tuple[Agency, str]:
    return make_agency("Pamir Tours")


@pytest.fixture
def agency_b(crossing: Any) -> tuple[Agency, str]:
    return make_agency("Silk Road Travel")


NAMES = ["Anna", "Lars", "Mira", "Jonas", "Ilse", "Pieter", "Sofie", "Daan", "Emma", "Bram", "Lotte", "Sem"]


def passport(n: int) -> dict[str, Any]:
    return traveller(document_number=f"AG{n:07d}", surname="Tourist", given_names=NAMES[n % len(NAMES)])


@pytest.fixture
def agency_files(api: Api) -> Callable[..., dict[str, Any]]:
    """File a notice with an agency token; return its JSON."""

    def file(token: str, n: int = 1, **overrides: Any) -> dict[str, Any]:
        response = api.post("/notices", notice_body(travellers=[passport(n)], **overrides), token)
        assert response.status_code == 201, response.content
        return dict(response.json())

    return file


@pytest.fixture
def sandbox(settings: Any, crossing: Any) -> None:
    settings.KORDON_SANDBOX_PAYMENTS = True
    crossing.payment_providers = "cash,stripe,bank_transfer,sandbox"
    crossing.save()
