"""The whole hand-over: exit with one permit kept, between the posts, overdue, one alert, entry ends it."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from kordon.audit.models import AuditEvent
from kordon.posts import services
from kordon.posts.models import Journey
from kordon.posts.tasks import alert_overdue_parties
from tests.conftest import make_officer, traveller

pytestmark = pytest.mark.django_db


def test_exit_to_overdue_alert_to_entry(api, file_notice, kg_post, tj_post, smtp_server, time_machine, client):
    notice = file_notice(travellers=[traveller()])
    tj = make_officer(tj_post, "farrukh")[1]
    kg = make_officer(kg_post, "aibek", password="correct-horse-9")[1]
    boss, _ = make_officer(kg_post, "nurlan", "supervisor", password="correct-horse-9")
    boss.user.email = "nurlan@post.example"
    boss.user.save()
    make_officer(kg_post, "bolot", "supervisor")  # no email: alerted in the console only
    time_machine.move_to(f"{notice['expected_date']}T09:00:00+05:00", tick=False)

    # The Tajik post takes back the GBAO permit; the personal permit is not handed back.
    exit = api.post("/posts/tj-kyzyl-art/exits", {"reference": notice["reference"], "document_number": "NX4HK2LP1",
                                                  "permits_returned": ["gbao"]}, tj)
    assert exit.status_code == 201 and exit.json()["permits_outstanding"] == ["personal"]

    time_machine.shift(timedelta(hours=2))
    road = api.get("/posts/kg-bordobo/between-posts", kg).json()["entries"]
    assert [(e["document_number"], e["overdue"]) for e in road] == [("NX4HK2LP1", False)]
    assert services.alert_overdue() == 0 and smtp_server.messages == []

    time_machine.shift(timedelta(hours=4, minutes=1))  # 6 h 1 min after the exit: overdue
    assert api.get("/posts/kg-bordobo/between-posts", kg).json()["entries"][0]["overdue"] is True
    out = StringIO()
    call_command("overdue", "--now", stdout=out)
    assert "Parties alerted: 1." in out.getvalue()
    alert_overdue_parties.enqueue()  # the scheduled task runs again: nothing new
    call_command("overdue", "--now", stdout=StringIO())
    assert len(smtp_server.messages) == 1
    mail = smtp_server.messages[0]
    assert mail["To"] == "nurlan@post.example" and notice["display_reference"] in mail["Subject"]
    assert "ERIKSSON" in mail.get_content()
    assert AuditEvent.objects.filter(action="journey.overdue").count() == 1

    client.login(username="nurlan", password="correct-horse-9")
    page = client.get("/post/between/").content.decode()
    assert f'data-testid="overdue-{notice["reference"]}"' in page
    assert f'data-testid="alert-{notice["reference"]}"' in client.get("/post/").content.decode()

    stamp = api.post("/posts/kg-bordobo/stamps", {"reference": notice["reference"], "document_number": "NX4HK2LP1"},
                     kg)
    assert stamp.status_code == 201
    journey = Journey.objects.get()
    assert journey.ended_at is not None and journey.alerted_at is not None
    assert api.get("/posts/kg-bordobo/between-posts", kg).json()["entries"] == []
    assert f'data-testid="overdue-{notice["reference"]}"' not in client.get("/post/between/").content.decode()
    assert f'data-testid="alert-{notice["reference"]}"' not in client.get("/post/").content.decode()


def test_several_workers_alert_a_party_once(file_notice, tj_post, time_machine):
    from kordon.notices.models import Traveller

    notice = file_notice(travellers=[traveller()])
    officer = make_officer(tj_post, "farrukh")[0]
    time_machine.move_to(f"{notice['expected_date']}T09:00:00+05:00", tick=False)
    services.register_exit(officer, tj_post, Traveller.objects.get(), permits_returned=[])
    time_machine.shift(timedelta(hours=7))
    journey = Journey.objects.get()
    now = journey.due_by + timedelta(minutes=1)
    # Two workers that both listed the party before either claimed it: only the first claim wins.
    assert services._alert_once(journey.pk, now) is True
    assert services._alert_once(journey.pk, now) is False
    assert AuditEvent.objects.filter(action="journey.overdue").count() == 1
