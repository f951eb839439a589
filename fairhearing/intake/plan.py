"""What complaints become, before anything is written: for each person a complaint names,
whether it joins an open case about the same post (or an earlier complaint's new case) or
opens one; and who the people are. One complaint, a queued batch or a dossier's chunk are
planned alike (`intake/record.py` writes the plan)."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from fairhearing.cases.models import Allegation, Case, Complaint
from fairhearing.core.errors import CaseError
from fairhearing.evidence.models import EvidenceItem
from fairhearing.evidence.posts import post_key
from fairhearing.linking.queries import Sought, duplicates_find
from fairhearing.organisations.models import Organisation
from fairhearing.people.models import Person
from fairhearing.people.services import people_find_or_create

from .details import Incoming, complaint_check


@dataclass
class Part(Sought):
    """One person a complaint names, where that part of the complaint goes (`Sought`), and
    what recording it makes."""

    person: Person | None = None  # the respondent of a new case
    filled: tuple[str, ...] = ()  # contact details the complaint filled in on a member on record
    case: Case | None = None  # the new case, if it opens one
    allegation: Allegation | None = None
    deadlines: list[Any] = field(default_factory=list)
    item: EvidenceItem | None = None  # the post, kept on the new case

    @property
    def opens(self) -> bool:
        return self.existing is None and self.earlier is None

    @property
    def goes_to(self) -> Case:
        """The case this part is recorded on: its new one, the open one it joins, or the one
        an earlier complaint of the batch opened."""
        case = self.case or self.existing
        if case is None and isinstance(self.earlier, Part):
            case = self.earlier.case
        assert case is not None, "recorded parts only"
        return case


@dataclass
class Planned:
    """One complaint, planned."""

    incoming: Incoming
    parts: list[Part]
    complainant: Person | None = None
    filled: tuple[str, ...] = ()  # contact details the complainant filled in on their record
    complaint: Complaint | None = None

    def cases(self) -> list[Case]:
        """The complaint's cases, as `complaint.cases` orders them: opened or joined."""
        found = {part.goes_to.pk: part.goes_to for part in self.parts}
        return [found[pk] for pk in sorted(found)]

    def joined(self) -> list[Case]:
        """The cases it joined, in the order it names their respondents."""
        return [part.goes_to for part in self.parts if not part.opens]

    def recorded(self) -> tuple[Complaint, list[Case]]:
        """The complaint, once recorded, with its cases."""
        assert self.complaint is not None, "recorded plans only"
        return self.complaint, self.cases()


def complaints_plan(
    organisation: Organisation, incoming: list[Incoming]
) -> tuple[list[Planned], dict[int, CaseError | ValidationError]]:
    """What each complaint becomes, in turn: its plan, or (by position) why it is refused.

    Checks each (`complaint_check`), finds where each person it names goes (one
    de-duplication, `linking.queries.duplicates_find`, against open cases and the batch's
    earlier complaints), then finds or makes the people, in the order recording one by one
    would: each complainant described, then the complaint's respondents who get a new case."""
    planned: list[Planned] = []
    refused: dict[int, CaseError | ValidationError] = {}
    for position, item in enumerate(incoming):
        try:
            complaint_check(
                organisation=organisation,
                channel=item.channel,
                complainant=item.complainant,
                respondents=item.respondents,
                allegation=item.allegation,
                summary=item.summary,
                capture=item.capture,
            )
        except (CaseError, ValidationError) as exc:
            refused[position] = exc
            continue
        key = post_key(item.allegation.url)
        captured = item.capture is not None and bool(item.capture.captured_text.strip())
        planned.append(
            Planned(
                incoming=item,
                parts=[
                    Part(
                        respondent=details,
                        key=key,
                        post_text=item.allegation.post_text,
                        complaint_index=len(planned),
                        captured=captured,
                    )
                    for details in item.respondents
                ],
            )
        )
    if not planned:
        return [], refused
    duplicates_find(organisation.pk, [part for plan in planned for part in plan.parts])

    wanted = []
    for plan in planned:
        if not isinstance(plan.incoming.complainant, Person):
            wanted.append(plan.incoming.complainant)
        wanted += [part.respondent for part in plan.parts if part.opens]
    # Each was checked above (`complaint_check`).
    found = iter(
        people_find_or_create(organisation_id=organisation.pk, details=wanted, check=False)
    )
    for plan in planned:
        if isinstance(plan.incoming.complainant, Person):
            plan.complainant = plan.incoming.complainant
        else:
            complainant = next(found)
            plan.complainant, plan.filled = complainant.person, complainant.filled
        for part in plan.parts:
            if part.opens:
                respondent = next(found)
                part.person, part.filled = respondent.person, respondent.filled
    return planned, refused
