"""The audit trail cannot be rewritten by the application, and officers' reads are in it."""

import os

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from kordon.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_sqlite_and_postgresql_refuse_update_and_delete_below_the_orm(file_notice):
    file_notice()
    assert AuditEvent.objects.filter(action="notice.filed").exists()
    for statement in ("UPDATE audit_auditevent SET actor = 'nobody'", "DELETE FROM audit_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEvent.objects.filter(action="notice.filed").count() == 1


def test_officers_reads_of_lists_searches_and_notices_are_recorded(api, client, officer, file_notice):
    notice = file_notice()
    token = officer[1]
    assert api.get("/posts/kg-bordobo/entry-list", token, date=notice["expected_date"]).status_code == 200
    assert api.get("/posts/kg-bordobo/search", token, q="NX4HK2LP1").status_code == 200
    assert api.get(f"/notices/{notice['reference']}", token).status_code == 200
    client.login(username="aibek", password="correct-horse-9")
    client.get("/post/", {"date": notice["expected_date"]})
    client.get("/post/search/", {"q": "Eriksson"})
    reads = list(AuditEvent.objects.filter(actor="user aibek").order_by("id").values_list("action", "data"))
    assert [action for action, _ in reads] == ["entry_list.read", "search", "notice.read", "entry_list.read", "search"]
    assert reads[1][1] == {"post": "kg-bordobo", "query": "NX4HK2LP1", "travellers": 1}
    api.get(f"/notices/{notice['reference']}", notice["access_token"])  # the traveller's own read is not recorded
    assert AuditEvent.objects.filter(action="notice.read").count() == 1


APP_ROLE = os.environ.get("KORDON_TEST_APP_ROLE", "kordon_ci_app")  # made by .ci/run


@pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_the_app_role_may_only_insert_into_the_audit_trail(file_notice):
    import psycopg

    file_notice()
    call_command("dbroles", APP_ROLE)
    s = connection.settings_dict
    with psycopg.connect(host=s["HOST"], port=s["PORT"], dbname=s["NAME"], user=APP_ROLE, password=APP_ROLE,
                         autocommit=True) as app:
        app.execute("INSERT INTO audit_auditevent (at, actor, action, notice_reference, object_type, object_id, data)"
                    " VALUES (now(), 'system', 'probe', '', '', '', '{}')")
        assert app.execute("SELECT count(*) FROM notices_notice").fetchone()[0] == 1  # it serves kordon
        app.execute("UPDATE notices_notice SET contact_phone = ''")
        for statement in ("UPDATE audit_auditevent SET actor = 'x'", "DELETE FROM audit_auditevent",
                          "TRUNCATE audit_auditevent", "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
                          "DROP TRIGGER audit_append_only ON audit_auditevent"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)
    assert AuditEvent.objects.filter(action="probe").count() == 1
