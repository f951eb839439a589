"""What arrives: a complaint as its sender describes it (`Incoming`), and the checks it must
pass before anything is written (`complaint_check`)."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from fairhearing.cases.models import Allegation, Case, Complaint
from fairhearing.cases.services import NEEDS_RESPONDENT, UNKNOWN_CATEGORY
from fairhearing.core.errors import CaseError
from fairhearing.evidence.services import POSTED_IN_FUTURE, EvidenceRefused
from fairhearing.organisations.models import Organisation
from fairhearing.people.models import Person
from fairhearing.people.services import PersonDetails, person_from_details


@dataclass(frozen=True)
class AllegationDetails:
    allegation_type: str
    category: str
    description: str
    conduct_date: dt.date | None = None
    url: str = ""
    conduct_rule_refs: list[str] = field(default_factory=list)
    # The words of the post complained about, if captured: finds the same post reported again.
    post_text: str = ""
    # The account that did it online (posted, shared, replied, liked, followed).
    acting_account: str = ""


@dataclass(frozen=True)
class Capture:
    """The post a complaint names, as its sender gave it, kept as evidence (added by the
    complainant) on each case the complaint opens: a link from a form, or a dossier row's
    capture with the post's words."""

    url: str
    description: str
    source: str
    author_handle: str = ""
    posted_at: dt.datetime | None = None
    captured_text: str = ""


@dataclass(frozen=True)
class Incoming:
    """A complaint to record: from a form or staff (its reference taken as it is recorded), a
    queued submission (its reference taken on acceptance) or a dossier's row (its complainant
    the sending organisation, a person on record)."""

    actor: Any
    received_at: dt.datetime
    channel: str
    complainant: PersonDetails | Person
    respondents: list[PersonDetails]
    allegation: AllegationDetails
    summary: str
    reference: str = ""
    capture: Capture | None = None


def allegation_from_details(details: AllegationDetails, *, case: Case | None = None) -> Allegation:
    """The allegation `details` describe, not saved."""
    return Allegation(
        case=case,
        allegation_type=details.allegation_type,
        category=details.category,
        description=details.description,
        conduct_date=details.conduct_date,
        url=details.url,
        conduct_rule_refs=list(details.conduct_rule_refs),
        acting_account=details.acting_account.strip().lstrip("@")[:100],
    )


def complaint_check(
    *,
    organisation: Organisation,
    channel: str,
    complainant: PersonDetails | Person,
    respondents: list[PersonDetails],
    allegation: AllegationDetails,
    summary: str,
    capture: Capture | None = None,
) -> None:
    """What recording would refuse, checked without writing (`CaseError` or Django's
    `ValidationError`): a queued complaint is accepted only if it can be recorded as sent,
    and recording checks each complaint this way before it writes any."""
    if not respondents:
        raise CaseError(NEEDS_RESPONDENT)
    if allegation.category not in organisation.current_rulebook_spec().categories:
        raise CaseError(UNKNOWN_CATEGORY)
    described = [complainant] if isinstance(complainant, PersonDetails) else []
    for details in [*described, *respondents]:
        person_from_details(organisation=organisation, details=details).full_clean(
            exclude=["organisation", "branch"], validate_unique=False, validate_constraints=False
        )
    Complaint(organisation=organisation, channel=channel, summary=summary).full_clean(
        exclude=["organisation", "complainant", "recorded_by", "reference"],
        validate_unique=False,
    )
    allegation_from_details(allegation).full_clean(exclude=["case"], validate_unique=False)
    posted_at = capture.posted_at if capture is not None else None
    if posted_at is not None and posted_at > timezone.now():
        raise EvidenceRefused(POSTED_IN_FUTURE)
