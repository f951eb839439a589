"""Reading a dossier file (CSV, XLSX or JSON) into numbered rows, and checking each row.

Whole-file problems (not a table, no header, missing columns) refuse the file with a reason.
Row problems (bad encoding, missing respondent, unknown category, a date in the future, a
repeat of an earlier row) reject that row only, each with its reasons.

A respondent cell may name several people, separated by ";" or on separate lines: the row
becomes one complaint with one case per person (R-04), as a complaint form naming two people
does. "and", "&", "+" and "/" are not read as separators, because they are also inside single
names ("Marks & Spencer", "Smith and Sons"): a name with one of them is rejected, asking for
";" between people, rather than guessed either way. A comma is read as part of one name
("Ashby, Rowan") unless both sides of it are names of more than one word, or there are two or
more of them: then it too is rejected as ambiguous.
"""

import csv
import datetime as dt
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from fairhearing.cases.models import AllegationType
from fairhearing.evidence.posts import post_key
from fairhearing.linking.minhash import normalise
from fairhearing.organisations.rulebook import RulebookSpec
from fairhearing.people.services import PersonDetails

COLUMNS = [
    "respondent_name",
    "respondent_membership_number",
    "respondent_branch",
    "category",
    "allegation_type",
    "conduct_date",
    "url",
    "author_handle",
    "posted_at",
    "post_text",
    "description",
    "their_reference",
]
REQUIRED = ["respondent_name", "category", "description"]
HELP = {
    "respondent_name": "Full name of the person complained about (required)",
    "respondent_membership_number": "Their membership number, if known",
    "respondent_branch": "Their branch, if known",
    "category": "One of the categories (required), e.g. bullying",
    "allegation_type": (
        "post, like, share, comment, follow, message, in_person or other (default post)"
    ),
    "conduct_date": "When it happened: YYYY-MM-DD",
    "url": "Link to the post",
    "author_handle": "The account that posted it",
    "posted_at": "When it was posted: YYYY-MM-DD or YYYY-MM-DDTHH:MM",
    "post_text": "The words of the post, exactly",
    "description": "What happened and why it breaks the rules (required)",
    "their_reference": "Your own reference for this row",
}
MAX_ROWS = 50_000
MAX_CELL = 20_000
# Bytes that were not UTF-8, as decoding with "surrogateescape" leaves them.
_UNDECODABLE = re.compile("[\udc80-\udcff]")

EMPTY = "The file is empty."
NOT_A_TABLE = (
    "The file is not a table of rows: upload a CSV file (UTF-8), an Excel workbook (.xlsx) or a"
    " JSON file, in the template's columns."
)
NO_ROWS = "The file has a header but no rows."
MISSING_COLUMNS = "The file lacks the column(s) {columns}. Download the template to see them."
TOO_MANY_ROWS = "The file has more than {limit} rows: split it into smaller dossiers."
BAD_JSON = "The JSON is not valid: {error}."
BAD_XLSX = "The spreadsheet cannot be read: {error}."
BAD_ENCODING = "Bad encoding: the row is not UTF-8 text (save the file as UTF-8)."
MISSING = "Missing {column}."
UNKNOWN_CATEGORY = "Unknown category {value!r}: use one of {choices}."
UNKNOWN_TYPE = "Unknown allegation_type {value!r}: use one of {choices}."
BAD_DATE = "{column} {value!r} is not a date like 2026-03-31."
FUTURE = "{column} is in the future."
BAD_URL = "url {value!r} is not a web address starting https://."
TOO_LONG = "{column} is longer than {limit} characters."
DUPLICATE_ROW = "Duplicate row: the same as row {number}."
MAX_RESPONDENTS = 10
# Between the people a respondent cell names.
RESPONDENT_SEPARATORS = re.compile(r"\s*[;\r\n]+\s*")
# Inside one name, these may join two people or be part of one name: never guessed.
_JOINS = re.compile(r"\s(and|&|\+)\s|&|/", re.IGNORECASE)
AMBIGUOUS_RESPONDENT = (
    "respondent_name {value!r} may name more than one person: put ';' between the people's"
    " names (a name that itself contains 'and', '&', '+' or '/' cannot be taken from a"
    " dossier; record that complaint on its own)."
)
AMBIGUOUS_COMMAS = (
    "respondent_name {value!r} may name more than one person: put ';' between the people's"
    " names (a single comma is read as 'Surname, Forename')."
)
TOO_MANY_RESPONDENTS = "respondent_name names more than {limit} people: split the row."
SAME_RESPONDENT_TWICE = "respondent_name names {name!r} twice."
RESPONDENTS_MISMATCH = (
    "respondent_name names {names} people but {column} gives {given}: give one for each, in"
    " the same order and separated by ';', or leave it empty."
)


class DossierUnreadable(ValueError):
    pass


@dataclass
class Row:
    number: int
    data: dict[str, str]
    errors: list[str] = field(default_factory=list)
    conduct_date: dt.date | None = None
    posted_at: dt.datetime | None = None
    category: str = ""
    allegation_type: str = ""
    # The people the row is about, in the order the cell names them: one case each.
    respondents: list[PersonDetails] = field(default_factory=list)


def detect_format(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"[", b"{"):
        return "json"
    return "csv"


def _header(value: Any) -> str:
    return str(value or "").strip().lower().replace(" ", "_").replace("-", "_")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(header: list[Any], body: list[list[Any]]) -> list[Row]:
    names = [_header(h) for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise DossierUnreadable(MISSING_COLUMNS.format(columns=", ".join(missing)))
    rows = []
    for number, values in enumerate(body, start=1):
        if not any(_cell(v) for v in values):
            continue  # blank lines are not rows
        data = {
            name: _cell(values[i]) if i < len(values) else ""
            for i, name in enumerate(names)
            if name in COLUMNS
        }
        row = Row(number=number, data=data)
        if any(_UNDECODABLE.search(v) for v in data.values()):
            row.errors.append(BAD_ENCODING)
            row.data = {k: v.encode("utf-8", "replace").decode() for k, v in data.items()}
        rows.append(row)
    if not rows:
        raise DossierUnreadable(NO_ROWS)
    if len(rows) > MAX_ROWS:
        raise DossierUnreadable(TOO_MANY_ROWS.format(limit=MAX_ROWS))
    return rows


def _looks_binary(data: bytes) -> bool:
    """An image, a program, a PDF or any file with NUL bytes: not text a CSV could be."""
    head = data[:8192]
    return b"\x00" in head or head.startswith((b"\x89PNG", b"%PDF", b"\xff\xd8\xff", b"GIF8"))


def _csv(data: bytes) -> list[Row]:
    if _looks_binary(data):
        raise DossierUnreadable(NOT_A_TABLE)
    text = data.decode("utf-8-sig", errors="surrogateescape")
    lines = list(csv.reader(io.StringIO(text, newline="")))
    if not lines or not any(lines[0]):
        raise DossierUnreadable(NOT_A_TABLE)
    return _table(lines[0], lines[1:])


def _xlsx(data: bytes) -> list[Row]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DossierUnreadable(BAD_XLSX.format(error=exc)) from exc
    sheet = book.worksheets[0]
    lines = [list(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    if not lines:
        raise DossierUnreadable(NO_ROWS)
    return _table(lines[0], lines[1:])


def _json(data: bytes) -> list[Row]:
    try:
        loaded = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DossierUnreadable(BAD_JSON.format(error=exc)) from exc
    if isinstance(loaded, dict):
        loaded = loaded.get("rows")
    if not isinstance(loaded, list) or not all(isinstance(r, dict) for r in loaded):
        raise DossierUnreadable(NOT_A_TABLE)
    header: list[str] = []
    for item in loaded:
        header += [k for k in item if k not in header]
    return _table(header, [[item.get(k) for k in header] for item in loaded])


def read(data: bytes) -> tuple[str, list[Row]]:
    """(format, rows): every row numbered from 1, with its data as text."""
    if not data.strip():
        raise DossierUnreadable(EMPTY)
    kind = detect_format(data)
    reader = {"csv": _csv, "xlsx": _xlsx, "json": _json}[kind]
    return kind, reader(data)


def _date(row: Row, column: str, *, with_time: bool) -> Any:
    value = row.data.get(column, "")
    if not value:
        return None
    parsed: Any = None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y") + (
        ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M") if with_time else ()
    ):
        try:
            parsed = dt.datetime.strptime(value[:16], fmt)
            break
        except ValueError:
            continue
    if parsed is None:
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            row.errors.append(BAD_DATE.format(column=column, value=value[:40]))
            return None
    if with_time:
        aware = parsed if parsed.tzinfo else timezone.make_aware(parsed)
        if aware > timezone.now():
            row.errors.append(FUTURE.format(column=column))
        return aware
    if parsed.date() > timezone.localdate():
        row.errors.append(FUTURE.format(column=column))
    return parsed.date()


def _split(value: str) -> list[str]:
    return [part for part in RESPONDENT_SEPARATORS.split(value.strip()) if part]


def respondents_of(row: Row) -> list[PersonDetails]:
    """The people the row's respondent cell names (one case each), or [] with the row's
    errors saying why it cannot be split safely. A membership number or a branch is given
    for each person in the same order, or one branch for all of them."""
    d = row.data
    names = _split(d.get("respondent_name", ""))
    if not names:
        return []
    errors = []
    for name in names:
        if _JOINS.search(name):
            errors.append(AMBIGUOUS_RESPONDENT.format(value=name[:80]))
        elif name.count(",") > 1 or (
            name.count(",") == 1 and all(" " in side.strip() for side in name.split(","))
        ):
            errors.append(AMBIGUOUS_COMMAS.format(value=name[:80]))
    if len(names) > MAX_RESPONDENTS:
        errors.append(TOO_MANY_RESPONDENTS.format(limit=MAX_RESPONDENTS))
    seen: set[str] = set()
    for name in names:
        if normalise(name) in seen:
            errors.append(SAME_RESPONDENT_TWICE.format(name=name[:80]))
        seen.add(normalise(name))
    numbers = _split(d.get("respondent_membership_number", ""))
    branches = _split(d.get("respondent_branch", ""))
    if numbers and len(numbers) != len(names):
        errors.append(
            RESPONDENTS_MISMATCH.format(
                names=len(names), column="respondent_membership_number", given=len(numbers)
            )
        )
    if len(branches) > 1 and len(branches) != len(names):
        errors.append(
            RESPONDENTS_MISMATCH.format(
                names=len(names), column="respondent_branch", given=len(branches)
            )
        )
    if errors:
        row.errors += errors
        return []
    if len(branches) == 1:
        branches = branches * len(names)
    return [
        PersonDetails(
            full_name=name,
            membership_number=numbers[i] if numbers else "",
            branch_name=branches[i] if branches else "",
        )
        for i, name in enumerate(names)
    ]


def check(rows: list[Row], spec: RulebookSpec) -> None:
    """Fill each row's errors and parsed values; later repeats of a row are rejected."""
    by_label = {label.casefold(): key for key, label in spec.categories.items()}
    types = {t.value for t in AllegationType}
    seen: dict[tuple[str, ...], int] = {}
    for row in rows:
        if row.errors:  # bad encoding: nothing else in it can be trusted
            continue
        d = row.data
        for column in REQUIRED:
            if not d.get(column):
                row.errors.append(MISSING.format(column=column))
        row.respondents = respondents_of(row)
        if d.get("respondent_name") and not row.respondents and not row.errors:
            row.errors.append(MISSING.format(column="respondent_name"))  # only separators
        for column, value in d.items():
            if len(value) > MAX_CELL:
                row.errors.append(TOO_LONG.format(column=column, limit=MAX_CELL))
        category = d.get("category", "").strip()
        if category:
            key = category.casefold() if category.casefold() in spec.categories else None
            key = key or by_label.get(category.casefold())
            if key is None:
                row.errors.append(
                    UNKNOWN_CATEGORY.format(value=category, choices=", ".join(spec.categories))
                )
            row.category = key or ""
        kind = (d.get("allegation_type") or "post").strip().lower()
        if kind not in types:
            row.errors.append(UNKNOWN_TYPE.format(value=kind, choices=", ".join(sorted(types))))
        row.allegation_type = kind
        url = d.get("url", "")
        if url and not url.lower().startswith(("http://", "https://")):
            row.errors.append(BAD_URL.format(value=url[:80]))
        row.conduct_date = _date(row, "conduct_date", with_time=False)
        row.posted_at = _date(row, "posted_at", with_time=True)
        identity = (
            d.get("respondent_membership_number") or normalise(d.get("respondent_name", "")),
            post_key(url) if url else normalise(d.get("post_text", "") or d.get("description", "")),
        )
        if identity in seen:
            row.errors.append(DUPLICATE_ROW.format(number=seen[identity]))
        elif not row.errors:
            seen[identity] = row.number
