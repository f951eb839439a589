"""The row report (CSV, to send back to the dossier's sender) and the blank templates.

Every cell that a spreadsheet would read as a formula (starting =, +, -, @, tab or carriage
return) is prefixed with an apostrophe, so a hostile cell in a dossier can never run in the
spreadsheet of whoever opens the report.
"""

import csv
import io
from collections.abc import Iterable

from .models import Dossier
from .queries import dossier_rows, row_outcome
from .read import COLUMNS, HELP

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# `outcome` says in words what `case` and `duplicate_of` list: "2 cases opened: FH-… (A), …".
REPORT_COLUMNS = ["row", "status", "outcome", "case", "duplicate_of", "reasons", *COLUMNS]


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def report_rows(dossier: Dossier) -> Iterable[list[str]]:
    for row in dossier_rows(dossier):
        outcome = row_outcome(row)
        cases = [case for case, _ in outcome.opened + outcome.joined] if outcome else []
        yield [
            str(row.number),
            row.status,
            outcome.words if outcome else "",
            ", ".join(case.reference for case in cases),
            row.duplicate_of.reference if row.duplicate_of else "",
            " ".join(row.reasons),
            *[row.data.get(c, "") for c in COLUMNS],
        ]


def report_csv(dossier: Dossier) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REPORT_COLUMNS)
    for line in report_rows(dossier):
        writer.writerow([neutralise(cell) for cell in line])
    return out.getvalue()


def template_csv() -> str:
    out = io.StringIO()
    csv.writer(out).writerow(COLUMNS)
    return out.getvalue()


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Complaints"
    sheet.append(COLUMNS)
    help_sheet = book.create_sheet("Help")
    help_sheet.append(["column", "what to put in it"])
    for column in COLUMNS:
        help_sheet.append([column, HELP[column]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
