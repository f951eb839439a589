"""What a complaint becomes: the complaint, and a case for each person it names (or the case
it joins, where the same post about the same person is already open), recorded one by one.

Every front door records through here: the public forms, staff recording one received by
post or phone, the API (at once or queued), anonymous reports and dossiers; the fast paths
(`intake/bulk.py`, `dossiers/bulk.py`) write the same rows and events in bulk, and their tests
compare the two.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from fairhearing.cases.models import Allegation, Case, Complaint, Party
from fairhearing.cases.services import NEEDS_RESPONDENT, UNKNOWN_CATEGORY, reference_take
from fairhearing.core.errors import CaseError
from fairhearing.deadlines.services import deadlines_follow_stage
from fairhearing.evidence.posts import post_key
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.linking.models import Fingerprint
from fairhearing.linking.queries import same_post_case
from fairhearing.linking.services import complaint_group, fingerprint_record
from fairhearing.organisations.models import Organisation
from fairhearing.people.models import Person
from fairhearing.people.services import PersonDetails, person_find_or_create, person_from_details


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


def complaint_received_payload(complaint: Complaint, *, respondents: int) -> dict[str, Any]:
    """The COMPLAINT_RECEIVED event's payload (also written by the dossier fast path and the
    benchmark generator: one definition, so the three cannot drift)."""
    return {
        "complaint": complaint.pk,
        "reference": complaint.reference,
        "channel": complaint.channel,
        "respondents": respondents,
        "summary_sha256": content_hash(complaint.summary),
    }


def case_opened_payload(
    case: Case, *, complaint: Complaint, allegation: Allegation
) -> dict[str, Any]:
    """The CASE_OPENED event's payload, for a case at its first stage."""
    return {
        "complaint": complaint.pk,
        "reference": case.reference,
        "respondent": case.respondent_id,
        "allegation": allegation.pk,
        "allegation_type": allegation.allegation_type,
        "category": allegation.category,
        "rulebook": case.rulebook_id,
        "rulebook_version": case.rulebook.version,
        "stage": case.rulebook.spec.first_stage,
    }


@transaction.atomic
def complaint_record(
    *,
    actor: Any,
    organisation: Organisation,
    channel: str,
    complainant: PersonDetails | Person,
    respondents: list[PersonDetails],
    allegation: AllegationDetails,
    summary: str,
    received_at: dt.datetime | None = None,
    reference: str | None = None,
) -> Complaint:
    """Record what arrived and open one case per person it is about (R-01, R-07).

    The complainant is described (and found or created), or a known person (a dossier's
    sending organisation, the same for every row). `reference` is the complaint's, when it was
    taken on acceptance (a queued submission); otherwise the next is taken here."""
    if not respondents:
        raise CaseError(NEEDS_RESPONDENT)
    rulebook = organisation.current_rulebook()
    spec = rulebook.spec
    if allegation.category not in spec.categories:
        raise CaseError(UNKNOWN_CATEGORY)
    at = received_at or timezone.now()
    complainant_person = (
        complainant
        if isinstance(complainant, Person)
        else person_find_or_create(actor=actor, organisation=organisation, details=complainant)
    )
    complaint = Complaint(
        organisation=organisation,
        reference=reference or reference_take(organisation, "next_complaint_number", at, "C"),
        received_at=at,
        channel=channel,
        complainant=complainant_person,
        summary=summary,
        recorded_by=actor,
    )
    # Field checks only: the related rows were just found or made, and the database enforces
    # the reference's uniqueness (each would otherwise cost a query).
    complaint.full_clean(exclude=["organisation", "complainant", "recorded_by", "reference"])
    complaint.save()
    complaint.received_event = event_append(
        actor=actor,
        kind=EventKind.COMPLAINT_RECEIVED,
        payload=complaint_received_payload(complaint, respondents=len(respondents)),
    )

    key = post_key(allegation.url)
    for details in respondents:
        # The same post about the same person, already open: one case, many complainants.
        found = (
            same_post_case(
                organisation=organisation,
                respondent=details,
                post_key=key,
                post_text=allegation.post_text,
            )
            if key or allegation.post_text
            else None
        )
        if found is not None:
            existing, reason, score = found
            complaint_group(
                actor=actor,
                complaint=complaint,
                case=existing,
                reason=reason,
                score=score,
                text=allegation.description,
            )
            continue
        respondent = person_find_or_create(actor=actor, organisation=organisation, details=details)
        case = Case.objects.create(
            organisation=organisation,
            reference=reference_take(organisation, "next_case_number", at, ""),
            rulebook=rulebook,
            respondent=respondent,
            category=allegation.category,
            stage=spec.first_stage,
            stage_entered_at=at,
            opened_at=at,
        )
        case.complaints.add(complaint)
        Party.objects.create(
            case=case, person=complainant_person, role=Party.Role.COMPLAINANT, complaint=complaint
        )
        recorded = allegation_from_details(allegation, case=case)
        recorded.full_clean(exclude=["case"])
        recorded.save()
        event_append(
            actor=actor,
            kind=EventKind.CASE_OPENED,
            case_id=case.pk,
            payload=case_opened_payload(case, complaint=complaint, allegation=recorded),
        )
        fingerprint_record(
            case=case,
            source=Fingerprint.Source.ALLEGATION,
            source_id=recorded.pk,
            post_key=key,
            # The post's own words when captured (a dossier's descriptions are often the same
            # boilerplate on every row), else the complainant's account.
            text=allegation.post_text or allegation.description,
        )
        deadlines_follow_stage(actor=actor, case=case, at=at)
    return complaint


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
    )


def complaint_check(
    *,
    organisation: Organisation,
    channel: str,
    complainant: PersonDetails,
    respondents: list[PersonDetails],
    allegation: AllegationDetails,
    summary: str,
) -> None:
    """What `complaint_record` would refuse, checked without writing (`CaseError` or Django's
    `ValidationError`): a queued complaint is accepted only if it can be recorded as sent.
    The same objects and field checks as recording, built by the same helpers."""
    if not respondents:
        raise CaseError(NEEDS_RESPONDENT)
    if allegation.category not in organisation.current_rulebook_spec().categories:
        raise CaseError(UNKNOWN_CATEGORY)
    for details in [complainant, *respondents]:
        person_from_details(organisation=organisation, details=details).full_clean(
            exclude=["organisation", "branch"], validate_unique=False, validate_constraints=False
        )
    Complaint(organisation=organisation, channel=channel, summary=summary).full_clean(
        exclude=["organisation", "complainant", "recorded_by", "reference"],
        validate_unique=False,
    )
    allegation_from_details(allegation).full_clean(exclude=["case"], validate_unique=False)


def acknowledgement_sent_payload(complaint: Complaint, cases: list[Case]) -> dict[str, Any]:
    return {"complaint": complaint.pk, "channel": "email", "cases": [case.pk for case in cases]}
