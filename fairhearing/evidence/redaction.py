"""Who may read what in a bundle: the audiences, and the redaction of a complainant whose
identity protection is recorded (their name and email address), for the respondent's bundle
and the respondent's portal. Apart from the PDF rendering (bundle.py), so that the pages that
only need these do not load reportlab and pypdf into every web worker."""

import re
from dataclasses import dataclass
from typing import Any

from fairhearing.cases.models import Case, Party

PANEL = "panel"
RESPONDENT = "respondent"
AUDIENCES = (PANEL, RESPONDENT)
WITHHELD = "Complainant (identity withheld)"
REDACTED = "[redacted]"


@dataclass(frozen=True)
class Redactor:
    names: tuple[str, ...]
    person_ids: frozenset[int]

    def text(self, value: str) -> str:
        for name in self.names:
            value = re.sub(re.escape(name), REDACTED, value, flags=re.IGNORECASE)
        return value

    def person(self, person: Any) -> str:
        if person is None:
            return ""
        return WITHHELD if person.pk in self.person_ids else person.full_name


def redactor_for(case: Case, audience: str) -> Redactor:
    if audience != RESPONDENT:
        return Redactor(names=(), person_ids=frozenset())
    protected = [
        p.person
        for p in case.parties.select_related("person").filter(
            role=Party.Role.COMPLAINANT, identity_protected=True
        )
    ]
    names = {n for p in protected for n in (p.full_name.strip(), p.email.strip()) if len(n) > 2}
    return Redactor(
        names=tuple(sorted(names, key=len, reverse=True)),
        person_ids=frozenset(p.pk for p in protected),
    )
