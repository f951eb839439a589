"""Words of the published statistics that are stored in English in each report's frozen
content (services.report_content, queries, confidence) and in the tracker, marked here for
the translation catalogues: the statistics page and the tracker translate them as they show
them (`content_in_language`). The rulebook's labels are marked with the rulebook's
(organisations/translations.py, intake/translations.py, surveys/translations.py); an
organisation's own labels are shown as its rulebook has them until its catalogue has them.
The CSV, JSON and PDF downloads stay in English, as published."""

import copy
import datetime as dt
from typing import Any

from django.utils.translation import gettext, gettext_noop

WORDS = [
    # services.TITLES: the tables' titles
    gettext_noop("Complaints received, by category as perceived"),
    gettext_noop("Complaints received, by stage now"),
    gettext_noop("Cases closed, by outcome"),
    gettext_noop("Cases closed, by who closed them"),
    gettext_noop("Appeals decided, by result"),
    gettext_noop("Cases closed, by category as perceived"),
    gettext_noop("Clock stops asked for, by what became of them"),
    gettext_noop("Clock stops ended, by how the clock restarted"),
    # services.report_content: rows and notes
    gettext_noop("Staff (no panel)"),
    gettext_noop("Panel"),
    gettext_noop("Met"),
    gettext_noop("Missed"),
    gettext_noop("not shown: fewer than 6 clock stops ended"),
    gettext_noop("not shown: fewer than 6 cases closed"),
    # queries: a value no longer in the rulebook, and the clock stops' rows
    gettext_noop("Not recorded"),
    gettext_noop("Clock stopped"),
    gettext_noop("Declined"),
    gettext_noop("Not decided"),
    # deadlines.models.ClockStop.Ending
    gettext_noop("Restarted by staff"),
    gettext_noop("Restarted on its date"),
    gettext_noop("Ended with the time limit"),
    # confidence.ROLE_TITLES
    gettext_noop("Complainants"),
    gettext_noop("Respondents"),
    # models.Recommendation.Status (the tracker)
    gettext_noop("Not started"),
    gettext_noop("In progress"),
    gettext_noop("Implemented"),
    gettext_noop("Not accepted, with reasons"),
]


def _said(text: str) -> str:
    """`text` in the reader's language where the catalogue has it (never the catalogue's
    header, which is what gettext gives for an empty string)."""
    return gettext(text) if text else text


def _rows(table: dict[str, Any]) -> None:
    for row in table.get("rows", []):
        row["label"] = _said(row["label"])


def content_in_language(content: dict[str, Any]) -> dict[str, Any]:
    """A copy of a report's published content with its words in the reader's language: the
    tables' titles and rows, the notes, the categories and outcomes, the survey's roles,
    statements and levels, and when the ledger head was signed. Numbers, periods and the
    ledger head itself are left as they are."""
    shown = copy.deepcopy(content)
    for table in shown.get("tables", []):
        table["title"] = _said(table["title"])
        _rows(table)
    for table in shown.get("limits", []):
        # Named by the rulebook's label for the limit (services.report_content).
        table["title"] = gettext("Time limit: %(name)s") % {"name": _said(table["name"])}
        _rows(table)
    for group in shown.get("survey_answers", []):
        group["role"] = _said(group["role"])
    for table in shown.get("survey_tables", []):
        table["role"], table["statement"] = _said(table["role"]), _said(table["statement"])
        table["title"] = gettext("Confidence survey, %(role)s: %(statement)s") % {
            "role": table["role"].lower(),
            "statement": table["statement"],
        }
        _rows(table)
    for key in ("time_to_outcome_days", "clock_stopped_days"):
        if isinstance(shown.get(key), dict) and shown[key].get("note"):
            shown[key]["note"] = _said(shown[key]["note"])
    for key, label in (("times_by_category", "category"), ("times_by_outcome", "outcome")):
        if key in shown:
            for row in shown[key]:
                row[label] = _said(row[label])
            shown[key].sort(key=lambda row, label=label: row[label].casefold())
    for flag in shown.get("parity", {}).get("flags", []):
        flag["category"] = _said(flag["category"])
    head = shown.get("ledger_head")
    if isinstance(head, dict) and head.get("timestamp"):
        # When the head was signed, for the page to give in the reader's words (the JSON
        # keeps the ISO timestamp it was published with).
        head["signed_at"] = dt.datetime.fromisoformat(head["timestamp"])
    return shown
