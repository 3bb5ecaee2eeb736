"""A group as a table: the templates, reading an upload, each row as a notice of one traveller.

CSV through the standard library's csv module, XLSX through openpyxl (read-only, values only, no
formulas evaluated); errors name the row and the column, with the filing rules' own messages.
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


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "travellers"
    sheet.append(COLUMNS)
    sheet.append(EXAMPLE)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_upload(name: str, raw: bytes) -> tuple[list[dict[str, str]], str]:
    """The rows of an uploaded CSV or XLSX file (told apart by content: an XLSX is a zip)."""
    if raw[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx"):
        return read_xlsx(raw)
    return read_csv(raw)


def read_xlsx(raw: bytes) -> tuple[list[dict[str, str]], str]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        return [], _("The file is not a readable XLSX workbook. Save it again, or as “CSV UTF-8”.")
    sheet = book.worksheets[0]
    table = [["" if v is None else (v.date().isoformat() if hasattr(v, "date") and not isinstance(v, str)
                                     else str(v)).strip() for v in row]
             for row in sheet.iter_rows(max_row=MAX_ROWS + 2, values_only=True)]
    book.close()
    if not table:
        return [], _("The file has no rows under its header.")
    return _rows([h.lower() for h in table[0]], table[1:])


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
    table = list(csv.reader(io.StringIO(text), dialect=dialect))
    if not table:
        return [], _("The file has no rows under its header.")
    return _rows([h.strip().lower() for h in table[0]], table[1:])


def _rows(header: list[str], body: list[list[str]]) -> tuple[list[dict[str, str]], str]:
    missing = [c for c in COLUMNS if c not in header and c not in ("email", "phone", "given_names")]
    if missing:
        return [], _("The file lacks the columns %(columns)s. Start from the template.") % {
            "columns": ", ".join(missing)}
    rows = []
    for cells in body:
        row = {header[i]: (cells[i] or "").strip() for i in range(min(len(header), len(cells)))}
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
