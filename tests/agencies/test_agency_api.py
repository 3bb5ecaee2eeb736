"""Agency tokens: an agency files, reads, changes and pays its own notices and sees nobody else's."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from kordon.agencies import services
from kordon.agencies.models import AgencyNotice, Token
from kordon.audit.models import AuditEvent
from kordon.audit.services import SYSTEM
from kordon.notices.models import Notice
from kordon.tokens import hash_token
from tests.agencies.conftest import passport
from tests.conftest import error_codes, kg_today, notice_body

pytestmark = pytest.mark.django_db


def test_createagency_prints_a_working_token_as_the_last_line(api, crossing):
    out = StringIO()
    call_command("createagency", "Alay Adventures", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    stored = Token.objects.get(agency__name="Alay Adventures")
    assert stored.token_hash == hash_token(token) and token not in str(Token.objects.values().first())
    assert sorted(stored.scopes) == ["file", "pay", "read"]
    response = api.post("/notices", notice_body(), token)
    assert response.status_code == 201
    assert AgencyNotice.objects.get(notice__reference=response.json()["reference"]).agency.name == "Alay Adventures"


def test_createagency_refuses_a_second_agency_of_the_same_name(crossing):
    call_command("createagency", "Alay Adventures", stdout=StringIO())
    with pytest.raises(Exception, match="exists already"):
        call_command("createagency", "alay adventures", stdout=StringIO())


def test_the_agency_reads_amends_and_cancels_its_notice_without_the_access_token(api, agency_a, agency_files,
                                                                                 seal_authority):
    _, token = agency_a
    notice = agency_files(token)
    assert "access_token" in notice  # the traveller still gets their own link
    ref = notice["reference"]
    assert api.get(f"/notices/{ref}", token).json()["reference"] == ref
    new = (kg_today() + timedelta(days=9)).isoformat()
    amended = api.post(f"/notices/{ref}/amend", {"expected_date": new}, token)
    assert amended.status_code == 200 and amended.json()["expected_date"] == new
    assert api.get(f"/notices/{ref}/seal", token).status_code == 200
    cancelled = api.post(f"/notices/{ref}/cancel", token=token)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    actions = AuditEvent.objects.filter(notice_reference=ref, actor="agency Pamir Tours (token default)")
    assert {"notice.filed", "notice.amended", "notice.cancelled"} <= set(actions.values_list("action", flat=True))


def test_the_agency_starts_paying_its_notice(api, agency_a, agency_files, sandbox):
    _, token = agency_a
    ref = agency_files(token)["reference"]
    response = api.post(f"/notices/{ref}/payments", {"provider": "sandbox"}, token)
    assert response.status_code == 201, response.content
    assert api.get(f"/notices/{ref}/payments", token).json()["payments"][0]["provider"] == "sandbox"


def test_another_agency_and_strangers_get_404_for_everything(api, agency_a, agency_b, agency_files, sandbox):
    ref = agency_files(agency_a[1])["reference"]
    new = {"expected_date": (kg_today() + timedelta(days=9)).isoformat()}
    for token in [agency_b[1], None, "not-a-token"]:
        for response in [
            api.get(f"/notices/{ref}", token),
            api.get(f"/notices/{ref}/seal", token),
            api.get(f"/notices/{ref}/payments", token),
            api.post(f"/notices/{ref}/amend", new, token),
            api.post(f"/notices/{ref}/cancel", token=token),
            api.post(f"/notices/{ref}/payments", {"provider": "sandbox"}, token),
        ]:
            assert response.status_code == 404 and error_codes(response) == [(None, "not_found")], response.content
    assert Notice.objects.get(reference=ref).status == "accepted"


def test_the_list_holds_only_the_agencys_own_notices_filtered(api, agency_a, agency_b, agency_files, file_notice):
    first = agency_files(agency_a[1], 1)
    later = (kg_today() + timedelta(days=8)).isoformat()
    second = agency_files(agency_a[1], 2, expected_date=later)
    theirs = agency_files(agency_b[1], 3)
    file_notice()  # a traveller's own notice
    listed = api.get("/agency/notices", agency_a[1]).json()
    assert [n["reference"] for n in listed["notices"]] == [second["reference"], first["reference"]]
    assert [n["reference"] for n in api.get("/agency/notices", agency_b[1]).json()["notices"]] == [theirs["reference"]]
    by_date = api.get("/agency/notices", agency_a[1], expected_date=later).json()["notices"]
    assert [n["reference"] for n in by_date] == [second["reference"]]
    api.post(f"/notices/{first['reference']}/cancel", token=agency_a[1])
    cancelled = api.get("/agency/notices", agency_a[1], status="cancelled").json()["notices"]
    assert [n["reference"] for n in cancelled] == [first["reference"]]


def test_the_list_refuses_strangers_and_bad_filters(api, agency_a):
    for token in [None, "not-a-token"]:
        response = api.get("/agency/notices", token)
        assert response.status_code == 401 and error_codes(response) == [(None, "unauthorized")]
    assert api.get("/agency/notices", agency_a[1], status="lost").status_code == 400
    assert api.get("/agency/notices", agency_a[1], expected_date="tomorrow").status_code == 400


def test_scopes_are_enforced(api, agency_a, agency_files, sandbox):
    agency, full = agency_a
    ref = agency_files(full)["reference"]
    reader = services.issue_token(agency, "reader", ["read"], SYSTEM).raw
    payer = services.issue_token(agency, "payer", ["pay"], SYSTEM).raw
    filer = services.issue_token(agency, "filer", ["file"], SYSTEM).raw
    new = {"expected_date": (kg_today() + timedelta(days=9)).isoformat()}

    assert api.get(f"/notices/{ref}", reader).status_code == 200
    assert api.get("/agency/notices", reader).status_code == 200
    for response in [api.post("/notices", notice_body(travellers=[passport(7)]), reader),
                     api.post(f"/notices/{ref}/amend", new, reader),
                     api.post(f"/notices/{ref}/cancel", token=reader),
                     api.post(f"/notices/{ref}/payments", {"provider": "sandbox"}, reader),
                     api.get(f"/notices/{ref}", payer),
                     api.get("/agency/notices", filer),
                     api.post(f"/notices/{ref}/payments", {"provider": "sandbox"}, filer)]:
        assert response.status_code == 403 and error_codes(response) == [(None, "forbidden")], response.content
    assert api.post(f"/notices/{ref}/payments", {"provider": "sandbox"}, payer).status_code == 201
    assert api.post(f"/notices/{ref}/amend", new, filer).status_code == 200
    assert api.post("/notices", notice_body(travellers=[passport(8)]), filer).status_code == 201
    assert Notice.objects.count() == 2


def test_a_revoked_token_is_refused_at_once(api, agency_a, agency_files):
    agency, full = agency_a
    second = services.issue_token(agency, "second", ["file", "read"], SYSTEM)
    ref = agency_files(second.raw)["reference"]
    assert api.get(f"/notices/{ref}", second.raw).status_code == 200
    services.revoke_token(second.token, SYSTEM)
    assert api.get(f"/notices/{ref}", second.raw).status_code == 404
    assert api.get("/agency/notices", second.raw).status_code == 401
    filed = api.post("/notices", notice_body(travellers=[passport(5)]), second.raw)
    assert filed.status_code == 401 and error_codes(filed) == [(None, "unauthorized")]
    assert Notice.objects.count() == 1
    assert api.get(f"/notices/{ref}", full).status_code == 200  # the agency's other tokens still work
    assert AuditEvent.objects.filter(action="agency.token_revoked").count() == 1


def test_tokens_are_named_once_per_agency_and_scoped_known(agency_a):
    agency, _ = agency_a
    with pytest.raises(services.Refused) as dup:
        services.issue_token(agency, "default", ["read"], SYSTEM)
    assert dup.value.problems[0].code == "duplicate"
    with pytest.raises(services.Refused) as bad:
        services.issue_token(agency, "x", ["admin"], SYSTEM)
    assert bad.value.problems[0].code == "invalid"


def test_last_use_is_noted(api, agency_a):
    agency, token = agency_a
    assert Token.objects.get(agency=agency).last_used_at is None
    api.get("/agency/notices", token)
    assert Token.objects.get(agency=agency).last_used_at is not None


def test_an_idempotency_key_replayed_by_another_agency_is_refused(api, agency_a, agency_b):
    body = notice_body(travellers=[passport(4)])
    key = {"HTTP_IDEMPOTENCY_KEY": "tour-2026-11-01"}
    assert api.post("/notices", body, agency_a[1], **key).status_code == 201
    assert api.post("/notices", body, agency_a[1], **key).status_code == 200
    replay = api.post("/notices", body, agency_b[1], **key)
    assert replay.status_code == 409 and error_codes(replay) == [("idempotency_key", "idempotency_conflict")]


@pytest.fixture
def limits(settings):
    settings.RATELIMIT_ENABLE = True
    settings.KORDON_RATE_LIMITS = {"file_notice": "1/h", "agency_file_token": "3/m", "agency_file_client": "5/m"}
    cache.clear()
    yield settings
    cache.clear()


def test_filing_is_paced_per_token_and_per_client(api, agency_a, limits):
    agency, token = agency_a
    other = services.issue_token(agency, "other", ["file"], SYSTEM).raw
    codes = [api.post("/notices", notice_body(travellers=[passport(n)]), token).status_code for n in range(4)]
    assert codes == [201, 201, 201, 429]  # the token's pace, not the travellers' (1/h)
    codes = [api.post("/notices", notice_body(travellers=[passport(10 + n)]), other).status_code for n in range(3)]
    assert codes == [201, 201, 429]  # the address's pace across tokens: 5 a minute
    third = services.issue_token(agency, "third", ["file"], SYSTEM).raw
    elsewhere = api.post("/notices", notice_body(travellers=[passport(20)]), third, REMOTE_ADDR="203.0.113.7")
    assert elsewhere.status_code == 201
