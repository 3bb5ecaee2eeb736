"""Schemathesis sends generated requests for every operation in the OpenAPI document, with an
officer's, a supervisor's and a traveller's token, and runs all its checks: no server error, every
status and header and body as documented, schema-invalid data refused, schema-valid data accepted
or refused by a documented domain rule."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import load_all_checks
from schemathesis.config import ChecksConfig, PositiveDataAcceptanceConfig, SchemathesisConfig
from werkzeug.test import Client as WsgiClient

from kordon.posts.models import Role
from tests.conftest import make_officer

# The same application gunicorn serves, without kordon.wsgi's start-up checks (they need the
# database, which the suite opens only inside tests).
application = get_wsgi_application()
config = SchemathesisConfig()
# Schema-valid data may still be refused by a documented rule of the domain (`lead_time`: the date
# is too soon; `document_expired`; a future birth date): 422 and 400 `invalid` say which.
config.projects.default.checks = ChecksConfig(positive_data_acceptance=PositiveDataAcceptanceConfig(
    expected_statuses=["2xx", "400", "401", "403", "404", "409", "422", "429"]))
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=config)
load_all_checks()


@contextmanager
def connection_kept_across_requests() -> Iterator[None]:
    """A WSGI server's request closes Django's connection at its start and end (`close_old_connections`);
    inside the test's transaction that closes it for good on PostgreSQL (SQLite's in-memory test
    database ignores the close). Django's test client stands the handler aside the same way, and
    connects it again after each of its own requests: so this is done around each call, after every
    fixture (a fixture that files through the test client would otherwise connect it back)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["officer", "supervisor", "traveller"])
def token(request, crossing, file_notice):  # type: ignore[no-untyped-def]
    if request.param == "traveller":
        return file_notice()["access_token"]
    role = Role.SUPERVISOR if request.param == "supervisor" else Role.OFFICER
    return make_officer(crossing.posts.get(code="kg-bordobo"), f"fuzz-{request.param}", role)[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_documented(case, token):  # type: ignore[no-untyped-def]
    # identity: the WSGI client does not undo gzip, which a real HTTP client would
    with connection_kept_across_requests():
        case.call_and_validate(headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"})


@pytest.mark.django_db
def test_the_tests_connection_survives_wsgi_calls_after_the_test_client(api, crossing):  # type: ignore[no-untyped-def]
    """What kept the fuzzing off PostgreSQL: a test-client request (as a fixture makes) connected
    `close_old_connections` again, and the next WSGI call closed the test's connection (503)."""
    assert api.get("/crossings").status_code == 200
    wsgi = WsgiClient(application)
    with connection_kept_across_requests():
        answers = [wsgi.get("/api/v1/crossings").status_code for _ in range(2)]
    assert answers == [200, 200] and api.get("/crossings").status_code == 200


@pytest.mark.django_db
def test_the_openapi_document_declares_errors_and_the_bearer_token(client):  # type: ignore[no-untyped-def]
    document = client.get("/api/v1/openapi.json").json()
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    filing = document["paths"]["/api/v1/notices"]["post"]
    assert {"400", "409", "422", "429", "503"} <= filing["responses"].keys()
    assert filing["security"] == [{"bearer": []}, {}]


@pytest.mark.django_db
def test_the_api_docs_page_loads_nothing_from_a_cdn(client):  # type: ignore[no-untyped-def]
    page = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in page and "cdn." not in page
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "kordon API"
