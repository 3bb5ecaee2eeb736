"""Schemathesis sends generated requests for every operation in the OpenAPI document: none may
answer with a server error, whatever the body, path or query holds."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from kordon.wsgi import application
from tests.conftest import make_officer

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def connection_kept_across_requests():  # type: ignore[no-untyped-def]
    """The WSGI app closes the database connection after each request; inside the test's transaction
    that closes it for good on PostgreSQL. Django's test client stands the handler aside the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def officer_token(crossing):  # type: ignore[no-untyped-def]
    return make_officer(crossing.posts.get(code="kg-bordobo"), "fuzz")[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_makes_a_server_error(case, officer_token):  # type: ignore[no-untyped-def]
    case.call_and_validate(headers={"Authorization": f"Bearer {officer_token}"}, checks=[not_a_server_error])


@pytest.mark.django_db
def test_the_api_docs_page_loads_nothing_from_a_cdn(client):  # type: ignore[no-untyped-def]
    page = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in page and "cdn." not in page
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "kordon API"
