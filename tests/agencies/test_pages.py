"""The agency's pages: login, notices by date and status, unpaid, missing documents, export; filing a
group from a table or a CSV, row by row, nothing half-filed."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kordon.agencies.models import AgencyNotice, Group, Member
from kordon.agencies.sheets import COLUMNS, template_csv
from kordon.notices.models import Notice
from tests.agencies.conftest import NAMES
from tests.conftest import kg_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(agency_a):
    user = get_user_model().objects.create_user("gulnara", password="correct-horse-9")
    Member.objects.create(agency=agency_a[0], user=user)
    client = Client()
    client.force_login(user)
    return client


def day():
    return (kg_today() + timedelta(days=6)).isoformat()


def csv_rows(rows):
    lines = [",".join(COLUMNS)] + [",".join(r) for r in rows]
    return SimpleUploadedFile("tour.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def row(n, **changes):
    values = {"surname": "Tourist", "given_names": NAMES[n], "nationality": "NLD", "sex": "F",
              "date_of_birth": "1985-02-03", "document_number": f"AG{n:07d}", "document_expiry": "2033-01-01",
              "email": f"t{n}@example.org", "phone": ""} | changes
    return [values[c] for c in COLUMNS]


def form(rows=None, **extra):
    data = {"name": "Tour", "crossing": "kyzyl-art", "direction": "TJ-KG", "expected_date": day()} | extra
    for i, r in enumerate(rows or []):
        data |= {f"row-{i}-{c}": v for c, v in zip(COLUMNS, r, strict=True)}
    data["rows"] = str(len(rows or []))
    return data


def test_strangers_and_non_members_go_to_the_agency_login(client, crossing):
    assert client.get("/agency/")["Location"].startswith("/agency/login/")
    outsider = get_user_model().objects.create_user("someone", password="x")
    client.force_login(outsider)
    assert client.get("/agency/groups/new/")["Location"].startswith("/agency/login/")


def test_the_template_has_the_columns_and_an_example(member_client):
    response = member_client.get("/agency/groups/template.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode() == template_csv() and template_csv().startswith(",".join(COLUMNS))


def test_an_upload_with_bad_rows_names_row_and_column_and_files_nothing(member_client):
    upload = csv_rows([row(0), row(1, date_of_birth="1985-02-30"), row(2, nationality="XYZ"), row(3, sex="Q")])
    response = member_client.post("/agency/groups/new/", form(action="upload", file=upload))
    html = response.content.decode()
    assert response.status_code == 422
    assert "Row 2, date_of_birth" in html and "Row 3, nationality" in html and "Row 4, sex" in html
    assert 'id="id_row-1-date_of_birth"' in html and 'aria-invalid="true"' in html
    assert Notice.objects.count() == 0 and Group.objects.count() == 0


def test_a_good_upload_is_checked_but_not_filed_until_asked(member_client):
    response = member_client.post("/agency/groups/new/", form(action="upload", file=csv_rows([row(0), row(1)])))
    assert response.status_code == 200 and 'data-testid="checked"' in response.content.decode()
    assert Notice.objects.count() == 0


def test_the_table_files_every_row_or_none(member_client, agency_a):
    bad = member_client.post("/agency/groups/new/", form([row(0), row(1), row(2, document_expiry="2020-01-01")],
                                                         action="file"))
    assert bad.status_code == 422 and "Row 3, document_expiry" in bad.content.decode()
    assert Notice.objects.count() == 0 and Group.objects.count() == 0
    good = member_client.post("/agency/groups/new/", form([row(0), row(1), row(2)], action="file"))
    assert good.status_code == 302
    group = Group.objects.get()
    assert good["Location"] == f"/agency/groups/{group.pk}/"
    assert AgencyNotice.objects.filter(group=group, agency=agency_a[0]).count() == 3
    page = member_client.get(good["Location"]).content.decode()
    assert "3 notices" in page


def test_two_rows_of_one_passport_are_refused_together(member_client):
    response = member_client.post("/agency/groups/new/", form([row(0), row(0)], action="file"))
    assert response.status_code == 422 and Notice.objects.count() == 0


def test_the_notices_page_filters_and_exports(member_client, api, agency_a, agency_files):
    mine = agency_files(agency_a[1], 1)
    later = agency_files(agency_a[1], 2, expected_date=(kg_today() + timedelta(days=9)).isoformat())
    api.post(f"/notices/{later['reference']}/cancel", token=agency_a[1])
    page = member_client.get("/agency/", {"date": day()}).content.decode()
    assert Notice.objects.get(reference=mine["reference"]).display_reference in page
    assert Notice.objects.get(reference=later["reference"]).display_reference not in page
    unpaid = member_client.get("/agency/", {"show": "unpaid"}).content.decode()
    assert Notice.objects.get(reference=later["reference"]).display_reference not in unpaid  # cancelled
    missing = member_client.get("/agency/", {"show": "missing"}).content.decode()
    assert "No notices." in missing or Notice.objects.get(reference=mine["reference"]).display_reference in missing
    export = member_client.get("/agency/", {"status": "cancelled", "format": "csv"})
    lines = export.content.decode().splitlines()
    assert lines[0].startswith("reference,expected_date,status") and len(lines) == 2 and ",cancelled," in lines[1]


def test_another_agencys_group_and_seals_are_404(member_client, agency_b, api):
    from tests.agencies.conftest import passport
    from tests.conftest import notice_body

    theirs = api.post("/agency/groups", {"name": "Theirs", "notices": [notice_body(travellers=[passport(1)])]},
                      agency_b[1]).json()
    assert member_client.get(f"/agency/groups/{theirs['group']['id']}/").status_code == 404
    assert member_client.get(f"/agency/notices/{theirs['results'][0]['reference']}/seal.png").status_code == 404


def xlsx(rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("tour.xlsx", out.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_an_xlsx_upload_is_read_row_by_row_like_a_csv(member_client):
    from datetime import date

    good, dated = row(0), row(1)
    dated[COLUMNS.index("date_of_birth")] = date(1985, 2, 3)  # a real date cell, as spreadsheets store it
    response = member_client.post("/agency/groups/new/", form(action="upload", file=xlsx([good, dated,
                                                                                          row(2, sex="Q")])))
    html = response.content.decode()
    assert response.status_code == 422 and "Row 3, sex" in html and "Row 2," not in html
    assert 'value="1985-02-03"' in html and Notice.objects.count() == 0


def test_the_xlsx_template_reads_back_as_its_columns(member_client):
    from openpyxl import load_workbook

    response = member_client.get("/agency/groups/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == COLUMNS


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message(member_client):
    bogus = SimpleUploadedFile("tour.xlsx", b"PK\x03\x04 not really a zip", content_type="application/octet-stream")
    response = member_client.post("/agency/groups/new/", form(action="upload", file=bogus))
    assert response.status_code == 422 and "not a readable XLSX workbook" in response.content.decode()


def test_a_manager_issues_and_revokes_tokens_a_filer_may_not(member_client, agency_a, api):
    from kordon.agencies.models import Agency, Token

    assert member_client.get("/agency/tokens/").status_code == 403  # a filer
    Member.objects.filter(user__username="gulnara").update(role="manager")
    page = member_client.get("/agency/tokens/").content.decode()
    assert "default" in page and "Never" in page
    refused = member_client.post("/agency/tokens/", {"name": "default", "scopes": ["read"]})
    assert refused.status_code == 422 and "has a token with this name already" in refused.content.decode()
    issued = member_client.post("/agency/tokens/", {"name": "booking system", "scopes": ["read"]})
    html = issued.content.decode()
    assert issued.status_code == 200 and 'data-testid="raw-token"' in html
    raw = html.split('data-testid="raw-token">')[1].split("<")[0]
    assert api.get("/agency/notices", raw).status_code == 200
    token = Token.objects.get(name="booking system")
    assert token.scopes == ["read"] and token.last_used_at is not None
    member_client.post("/agency/tokens/", {"revoke": str(token.pk)})
    assert api.get("/agency/notices", raw).status_code == 401
    other = Token.objects.create(agency=Agency.objects.create(name="Other"), name="x", token_hash="0" * 64,
                                 scopes=["read"])
    assert member_client.post("/agency/tokens/", {"revoke": str(other.pk)}).status_code == 404
    assert Token.objects.get(pk=other.pk).revoked_at is None
