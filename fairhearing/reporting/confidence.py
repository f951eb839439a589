"""The confidence surveys' published tables (R-55; issue 23, item 4): for each role, how many
answered each statement at each level of agreement, with the same small-number and secondary
suppression as every published table (suppression.py).

The four statements' tables of one role split the same number (every answer answers all four),
so they are one group sharing that total. The roles are separate groups, and no total over the
roles is published: with it, a role's hidden total would be the difference of two shown ones.

A role's tables are published only where at least `MIN_FOR_TABLES` of its parties answered in
the quarter (its number of answers is published either way). Suppression keeps a small count
from being worked out; it does not stop a small group answering alike from telling how each
answered ("1-5" agreed, every other level 0) to someone who knows the few invited in the
quarter, as the case team may."""

from typing import Any

from fairhearing.surveys.models import QUESTIONS, Level, Role
from fairhearing.surveys.queries import Counts

from .suppression import WITHHELD, Group, Table, suppress

MIN_FOR_TABLES = 10
ROLE_TITLES = {Role.COMPLAINANT: "Complainants", Role.RESPONDENT: "Respondents"}


def survey_groups(counts: Counts) -> dict[str, Group]:
    """Each role's group of tables (raw, unsuppressed), by role, named `survey_<role>_<q>`."""
    return {
        role: Group(
            [
                Table(
                    f"survey_{role}_{question}",
                    {label: by_level.get(level, 0) for level, label in Level.choices},
                )
                for question, by_level in counts[role].items()
            ]
        )
        for role in Role.values
        if role in counts
    }


def survey_content(counts: Counts) -> dict[str, Any]:
    """What is published of a quarter's answers: each role's number of answers and its four
    tables, suppressed. Tables are in the shape of the other published ones, with the role and
    the statement beside, so the CSV and PDF list them as they do the rest."""
    answers, tables = [], []
    for role, group in survey_groups(counts).items():
        suppress(group)
        if group.total < MIN_FOR_TABLES:
            for table in group.tables:
                table.withheld = True
                table.shown = dict.fromkeys(table.counts, WITHHELD)
        title = ROLE_TITLES[Role(role)]
        answers.append({"role": title, "answers": group.total_shown, "name": f"survey_{role}"})
        for question, table in zip(QUESTIONS, group.tables, strict=True):
            tables.append(
                {
                    "name": table.name,
                    "title": f"Confidence survey, {title.lower()}: {QUESTIONS[question]}",
                    "role": title,
                    "statement": QUESTIONS[question],
                    "total": group.total_shown,
                    "withheld": table.withheld,
                    "rows": [
                        {"label": label, "shown": table.shown[label]} for label in table.counts
                    ],
                }
            )
    return {"survey_answers": answers, "survey_tables": tables}
