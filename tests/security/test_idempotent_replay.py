"""Replaying a filing (same Idempotency-Key and body) returns the notice but never a token."""

import pytest

from tests.conftest import notice_body

pytestmark = pytest.mark.django_db


def test_a_replay_mints_no_token_and_keeps_the_travellers(api, crossing):
    first = api.post("/notices", notice_body(), HTTP_IDEMPOTENCY_KEY="guessable-1")
    token, ref = first.json()["access_token"], first.json()["reference"]
    assert api.post(f"/notices/{ref}/cancel", token=token).status_code == 200
    replay = api.post("/notices", notice_body(), HTTP_IDEMPOTENCY_KEY="guessable-1")
    assert replay.status_code == 200
    assert replay.json()["access_token"] is None
    assert replay.json()["status"] == "cancelled"
    assert api.get(f"/notices/{ref}", token).status_code == 200  # the traveller's token still works

