"""Documents and personal data are kept only as long as the crossing says; what goes is recorded as
counts, never as content. `kordon retention` queues or runs it, lists it (--dry-run), reports (--report)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from kordon.audit.models import AuditEvent
from kordon.crossings.models import Crossing, Post
from kordon.documents import retention
from kordon.documents.models import Document
from kordon.documents.signals import personal_data_anonymized
from kordon.notices.models import Notice, Traveller, Vehicle
from kordon.posts.models import Refusal, Stamp
from tests.documents import samples
from tests.documents.conftest import api_upload, stored_files
from tests.seals.conftest import seal_authority, seal_key_passphrase  # noqa: F401 - fixtures


def with_documents(notice: dict[str, Any]) -> dict[str, Any]:
    for index in range(len(notice["travellers"])):
        assert api_upload(notice, samples.jpeg(), traveller=index).status_code == 201
    if notice["vehicle"]:
        assert api_upload(notice, samples.jpeg(), kind="vehicle_photo").status_code == 201
    return notice


def expected(notice: dict[str, Any]) -> date:
    return date.fromisoformat(notice["expected_date"])


def enter(notice: dict[str, Any], officer: Any, day: date) -> None:
    """Stamp every traveller of the party in at the receiving post on ``day``."""
    row = Notice.objects.get(reference=notice["reference"])
    for traveller in row.travellers.all():
        Stamp.objects.create(post=row.direction.to_post, notice=row, traveller=traveller, officer=officer,
                             local_date=day)
    row.status = "entered"
    row.save(update_fields=["status"])


def kinds_left() -> list[str]:
    return sorted(Document.objects.values_list("notice__reference", flat=True))


def test_documents_go_thirty_days_after_entry_and_not_before(
    party: dict[str, Any], officer: Any, document_dir: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with_documents(party)
    enter(party, officer[0], expected(party))
    assert retention.apply_retention(expected(party) + timedelta(days=29)).documents_deleted == {}
    assert Document.objects.count() == 3

    with django_capture_on_commit_callbacks(execute=True):  # stored objects go once the rows' deletion commits
        outcome = retention.apply_retention(expected(party) + timedelta(days=30))

    assert outcome.documents_deleted == {"passport": 2, "vehicle_photo": 1}
    assert Document.objects.count() == 0 and stored_files(document_dir) == []
    event = AuditEvent.objects.get(action="retention.documents_deleted")
    assert event.actor == "system"
    assert event.data == {"crossing": "kyzyl-art", "notices": 1, "documents": {"passport": 2, "vehicle_photo": 1}}


def test_documents_of_a_no_show_go_after_the_grace_period(walker: dict[str, Any]) -> None:
    with_documents(walker)
    # Kyzyl-Art lets a party arrive one day late; the 30 grace days count from that last day.
    last_arrival = expected(walker) + timedelta(days=1)
    assert retention.apply_retention(last_arrival + timedelta(days=29)).documents_deleted == {}
    assert retention.apply_retention(last_arrival + timedelta(days=30)).documents_deleted == {"passport": 1}


def test_a_crossing_sets_its_own_periods(walker: dict[str, Any], crossing: Crossing) -> None:
    with_documents(walker)
    Crossing.objects.filter(pk=crossing.pk).update(no_show_grace_days=2)
    assert retention.apply_retention(expected(walker) + timedelta(days=3)).documents_deleted == {"passport": 1}


def test_documents_of_notices_still_ahead_are_kept(party: dict[str, Any], walker: dict[str, Any]) -> None:
    with_documents(party)
    with_documents(walker)
    assert retention.apply_retention(expected(party)).documents_deleted == {}
    assert Document.objects.count() == 4


def test_personal_data_is_anonymized_later_and_statistics_stay(party: dict[str, Any], officer: Any, api: Any) -> None:
    with_documents(party)
    enter(party, officer[0], expected(party))
    assert retention.apply_retention(expected(party) + timedelta(days=364)).notices_anonymized == 0

    outcome = retention.apply_retention(expected(party) + timedelta(days=365))

    assert outcome.notices_anonymized == 1
    notice = Notice.objects.get(reference=party["reference"])
    assert (notice.contact_email, notice.contact_phone) == ("", "")
    assert notice.status == "entered" and str(notice.fee_total) == "30.00" and notice.stamps.count() == 2
    for traveller in Traveller.objects.filter(notice=notice):
        assert (traveller.surname, traveller.given_names, traveller.document_number, traveller.mrz) == (
            "ANONYMIZED", "", "", "")
        assert traveller.date_of_birth == date(1900, 1, 1) and traveller.nationality == "NLD"
    assert Vehicle.objects.get(notice=notice).plate == ""
    assert AuditEvent.objects.get(action="retention.personal_data_anonymized").data == {
        "crossing": "kyzyl-art", "notices": 1}
    body = api.get(f"/notices/{party['reference']}", token=officer[1]).json()  # still readable by the post
    assert body["travellers"][0]["surname"] == "ANONYMIZED"
    assert "Eriksson" not in str(list(AuditEvent.objects.values_list("data", flat=True)))


def test_other_apps_are_told_which_notices_were_anonymized(walker: dict[str, Any]) -> None:
    told: list[list[int]] = []

    def receiver(sender: Any, notice_ids: list[int], **kwargs: Any) -> None:
        told.append(notice_ids)

    personal_data_anonymized.connect(receiver)
    try:
        retention.apply_retention(expected(walker) + timedelta(days=400))
    finally:
        personal_data_anonymized.disconnect(receiver)
    assert told == [[Notice.objects.get(reference=walker["reference"]).pk]]


def test_administrators_set_the_periods_on_the_crossing(crossing: Crossing, admin_client: Any) -> None:
    page = admin_client.get(f"/admin/crossings/crossing/{crossing.pk}/change/").content.decode()
    for name in ("require_passport_copies", "require_vehicle_papers", "documents_keep_days_after_entry",
                 "no_show_grace_days", "personal_data_keep_days"):
        assert f'name="{name}"' in page


def test_anonymizing_takes_any_documents_still_held(walker: dict[str, Any], crossing: Crossing) -> None:
    with_documents(walker)
    Crossing.objects.filter(pk=crossing.pk).update(no_show_grace_days=400, personal_data_keep_days=10)
    outcome = retention.apply_retention(expected(walker) + timedelta(days=20))
    assert outcome.documents_deleted == {"passport": 1} and outcome.notices_anonymized == 1


def test_refusals_of_people_not_in_kordon_are_blanked_in_time(officer: Any, kg_post: Post) -> None:
    refusal = Refusal.objects.create(post=kg_post, officer=officer[0], reason="no visa", name="Ivan Petrov",
                                     document_number="P1234567")
    Refusal.objects.filter(pk=refusal.pk).update(at=timezone.now() - timedelta(days=400))
    assert retention.apply_retention().refusals_anonymized == 1
    refusal.refresh_from_db()
    assert (refusal.name, refusal.document_number, refusal.reason) == ("", "", "no visa")


def test_a_second_run_finds_nothing_more(party: dict[str, Any], officer: Any) -> None:
    with_documents(party)
    enter(party, officer[0], expected(party))
    day = expected(party) + timedelta(days=400)
    retention.apply_retention(day)
    again = retention.apply_retention(day)
    assert (again.documents_deleted, again.notices_anonymized) == ({}, 0)


# --- the command -----------------------------------------------------------------------------


def at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time().replace(hour=12), tzinfo=timezone.get_current_timezone())


def test_dry_run_lists_what_would_go_and_changes_nothing(
    party: dict[str, Any], walker: dict[str, Any], officer: Any, capsys: Any, time_machine: Any
) -> None:
    with_documents(party)
    with_documents(walker)
    enter(party, officer[0], expected(party))
    time_machine.move_to(at(expected(party) + timedelta(days=31)), tick=False)

    call_command("retention", "--dry-run")

    out = capsys.readouterr().out
    display = Notice.objects.get(reference=party["reference"]).display_reference
    assert f"kyzyl-art  {display}  delete documents (passport x2, vehicle_photo x1)  entered" in out
    assert "Nothing was changed (dry run)." in out
    assert Document.objects.count() == 4 and not AuditEvent.objects.filter(action__startswith="retention.").exists()


def test_report_shows_personal_data_held_per_crossing_and_the_oldest(
    party: dict[str, Any], walker: dict[str, Any], capsys: Any
) -> None:
    with_documents(party)
    [held] = retention.report()
    assert (held.crossing, held.notices, held.documents) == ("kyzyl-art", 2, 3)
    assert held.document_bytes == sum(Document.objects.values_list("size", flat=True))
    assert held.oldest_notice is not None and held.oldest_document is not None
    call_command("retention", "--report")
    out = capsys.readouterr().out
    assert "notices with personal data" in out and f"kyzyl-art  2  {timezone.now():%Y-%m-%d}  3" in out


def test_the_command_queues_the_task_for_the_worker(walker: dict[str, Any], capsys: Any, time_machine: Any,
                                                    django_capture_on_commit_callbacks: Any) -> None:
    with_documents(walker)
    time_machine.move_to(at(expected(walker) + timedelta(days=40)), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retention")  # the suite's task backend runs queued tasks at once
    assert "Queued retention task" in capsys.readouterr().out
    assert Document.objects.count() == 0


def test_now_runs_it_here_and_prints_the_counts(walker: dict[str, Any], capsys: Any, time_machine: Any) -> None:
    with_documents(walker)
    time_machine.move_to(at(expected(walker) + timedelta(days=40)), tick=False)
    call_command("retention", "--now")
    assert "Documents deleted: 1 (passport x1)" in capsys.readouterr().out


@pytest.mark.usefixtures("seal_authority")
def test_seals_and_payers_names_go_with_the_personal_data(party: dict[str, Any], officer: Any, api: Any) -> None:
    from kordon.payments.models import Payment, Receipt
    from kordon.seals.models import Seal

    assert api.get(f"/notices/{party['reference']}/seal", token=party["access_token"]).status_code == 200

    paid = api.post("/posts/kg-bordobo/payments", {"reference": party["reference"], "amount": "30.00",
                                                   "currency": "USD", "method": "cash", "idempotency_key": "r-1"},
                    token=officer[1])
    assert paid.status_code == 201, paid.content
    enter(party, officer[0], expected(party))
    notice = Notice.objects.get(reference=party["reference"])
    assert Seal.objects.filter(notice=notice).exists()
    assert Payment.objects.get(notice=notice).payer != ""

    retention.apply_retention(expected(party) + timedelta(days=365))

    assert not Seal.objects.filter(notice=notice).exists()
    assert Payment.objects.get(notice=notice).payer == "" and Receipt.objects.get(notice=notice).payer == ""
    assert str(Receipt.objects.get(notice=notice).amount) == "30.00"  # the accounts stay
