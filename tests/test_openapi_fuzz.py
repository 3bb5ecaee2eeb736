"""Schemathesis sends generated requests for every operation in the OpenAPI document: none may
answer with a server error, whatever the body, path or query holds."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from kordon.wsgi import application
from tests.conftest import make_officer

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def officer_token(crossing):  # type: ignore[no-untyped-def]
    return make_officer(crossing.posts.get(code="kg-bordobo"), "fuzz")[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_makes_a_server_error(case, officer_token):  # type: ignore[no-untyped-def]
    case.call_and_validate(headers={"Authorization": f"Bearer {officer_token}"}, checks=[not_a_server_error])
