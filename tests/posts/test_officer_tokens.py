"""Officer tokens are remembered by a worker for a few seconds, never longer, and forged ones never."""

import pytest

from kordon.posts import auth
from kordon.posts.models import Officer

pytestmark = pytest.mark.django_db


def test_a_revoked_token_stops_working_once_the_cache_period_ends(api, officer, monkeypatch, settings):
    settings.KORDON_OFFICER_CACHE_SECONDS = 10
    clock = [1000.0]
    monkeypatch.setattr(auth.time, "monotonic", lambda: clock[0])
    assert api.get("/posts/kg-bordobo/entry-list", officer[1]).status_code == 200
    Officer.objects.filter(pk=officer[0].pk).update(token_hash=None)
    clock[0] += 9
    assert api.get("/posts/kg-bordobo/entry-list", officer[1]).status_code == 200
    clock[0] += 2
    assert api.get("/posts/kg-bordobo/entry-list", officer[1]).status_code == 401


def test_a_deactivated_officer_is_refused_at_once_without_the_cache(api, officer, settings):
    settings.KORDON_OFFICER_CACHE_SECONDS = 0
    assert api.get("/posts/kg-bordobo/entry-list", officer[1]).status_code == 200
    officer[0].user.is_active = False
    officer[0].user.save()
    assert api.get("/posts/kg-bordobo/entry-list", officer[1]).status_code == 401


def test_forged_tokens_are_not_remembered(api, officer):
    for attempt in range(5):
        assert api.get("/posts/kg-bordobo/entry-list", f"forged-{attempt}").status_code == 401
    assert len(auth._recent) == 0
