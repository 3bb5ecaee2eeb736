"""A group as a table: the CSV template, reading an upload, each row as a notice of one traveller.

The standard library's csv module reads it (a CSV is what every spreadsheet saves); errors name the
row and the column, with the filing rules' own messages.
"""

import csv
import io
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from kordon.crossings.models import Crossing
from kordon.days import parse_day
from kordon.notices.inputs import NoticeInput, TravellerInput
from kordon.problems import Problem

COLUMNS = ["surname", "given_names", "nationality", "sex", "date_of_birth", "document_number", "document_expiry",
           "email", "phone"]
MAX_ROWS = 500
EXAMPLE = ["Eriksson", "Anna Maria", "NLD", "F", "1980-01-31", "NX4HK2LP1", "2031-01-01", "anna@example.org", ""]


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(EXAMPLE)
    return out.getvalue()


def read_csv(raw: bytes) -> tuple[list[dict[str, str]], str]:
    """The rows of an uploaded CSV (by the template's column names), or an error to show."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], _("The file is not UTF-8 text. Save it from the spreadsheet as “CSV UTF-8”.")
    sample = text[:2048]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header and c not in ("email", "phone", "given_names")]
    if missing:
        return [], _("The file lacks the columns %(columns)s. Start from the template.") % {
            "columns": ", ".join(missing)}
    rows = []
    for raw_row in reader:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw_row.items() if isinstance(v, str)}
        if any(row.values()):
            rows.append({c: row.get(c, "") for c in COLUMNS})
    if len(rows) > MAX_ROWS:
        return [], _("A group holds at most %(count)d rows: split the file.") % {"count": MAX_ROWS}
    if not rows:
        return [], _("The file has no rows under its header.")
    return rows, ""


def row_input(crossing: Crossing, direction: str, expected: date, row: dict[str, str]) -> NoticeInput | list[Problem]:
    """A row as a notice of one traveller, or the problems of its cells that cannot even be read."""
    problems = []
    days = {}
    for column in ("date_of_birth", "document_expiry"):
        day = parse_day(row.get(column, ""))
        if day is None:
            problems.append(Problem(column, "invalid", _("Enter a date as YYYY-MM-DD.")))
        days[column] = day
    sex = row.get("sex", "").upper()
    if sex not in ("F", "M", "X"):
        problems.append(Problem("sex", "invalid", _("Write F, M or X, as in the passport.")))
    for column in ("surname", "nationality", "document_number"):
        if not row.get(column, "").strip():
            problems.append(Problem(column, "required", _("This field is required.")))
    if problems:
        return problems
    assert days["date_of_birth"] and days["document_expiry"]
    traveller = TravellerInput(
        surname=row["surname"], given_names=row.get("given_names", ""), nationality=row["nationality"], sex=sex,
        date_of_birth=days["date_of_birth"], document_number=row["document_number"],
        document_expiry=days["document_expiry"])
    return NoticeInput(crossing=crossing, direction=direction, expected_date=expected, travellers=[traveller],
                       email=row.get("email", ""), phone=row.get("phone", ""))


def column_of(problem: Problem) -> str | None:
    """The table's column a filing problem is about (None: the group's date, crossing or direction)."""
    field = problem.field or ""
    if field.startswith("travellers["):
        field = field.split(".", 1)[-1]
    if field in ("contact", "contact.email", "email"):
        return "email"
    if field == "contact.phone":
        return "phone"
    return field if field in COLUMNS else None
