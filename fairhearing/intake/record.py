"""Recording what complaints become: the complaint, and a case for each person it names (or
the case it joins, where the same post about the same person is already open).

Every front door records through here: the public forms, staff recording one received by
post or phone, the API (at once or queued), anonymous reports and dossiers. One complaint or
a batch, each is planned (`intake/plan.py`) and then written with a few statements of each
kind and one ledger append: the records and ledger events are those recording each in turn
would write, in the same order (intake/tests/test_bulk.py and dossiers/tests/test_bulk.py
compare a batch with its complaints one by one).
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fairhearing.cases.models import Allegation, Case, Complaint, Party
from fairhearing.cases.services import (
    case_parts_insert,
    cases_insert,
    complaints_insert,
    references_take,
)
from fairhearing.core.errors import CaseError
from fairhearing.deadlines.services import deadline_opened_payload, stage_deadlines_open_many
from fairhearing.evidence.services import (
    evidence_added_payload,
    evidence_posts_insert,
    post_item,
)
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append_many
from fairhearing.linking.models import Fingerprint, Grouping
from fairhearing.linking.services import Print, fingerprints_record_many, groupings_insert, permille
from fairhearing.organisations.models import Organisation
from fairhearing.people.models import Person
from fairhearing.people.services import PersonDetails, contact_filled_payload

from .details import AllegationDetails, Capture, Incoming, allegation_from_details
from .plan import Planned, complaints_plan

Events = list[tuple[EventKind, int | None, dict[str, Any] | None]]


def complaint_received_payload(complaint: Complaint, *, respondents: int) -> dict[str, Any]:
    """The COMPLAINT_RECEIVED event's payload (also written by the benchmark generator: one
    definition, so the two cannot drift)."""
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


def acknowledgement_sent_payload(complaint: Complaint, cases: list[Case]) -> dict[str, Any]:
    return {"complaint": complaint.pk, "channel": "email", "cases": [case.pk for case in cases]}


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
    capture: Capture | None = None,
) -> Complaint:
    """Record what arrived and open one case per person it is about (R-01, R-07), or refuse
    it (`CaseError` or `ValidationError`) having written nothing.

    The complainant is described (and found or created), or a known person (a dossier's
    sending organisation, the same for every row). `reference` is the complaint's, when it was
    taken on acceptance (a queued submission); otherwise the next is taken here."""
    incoming = Incoming(
        actor=actor,
        received_at=received_at or timezone.now(),
        channel=channel,
        complainant=complainant,
        respondents=respondents,
        allegation=allegation,
        summary=summary,
        reference=reference or "",
        capture=capture,
    )
    recorded, refused = complaints_record(organisation, [incoming])
    if refused:
        raise refused[0]
    return recorded[0].recorded()[0]


def complaints_record(
    organisation: Organisation, incoming: list[Incoming]
) -> tuple[list[Planned], dict[int, CaseError | ValidationError]]:
    """Record each complaint in turn, in the caller's transaction: the plans recorded, in
    order (`Planned.recorded()`: each complaint with its cases, opened or joined), and by
    position why the others were refused, having written nothing for them."""
    planned, refused = complaints_plan(organisation, incoming)
    if planned:
        complaints_apply(organisation, planned)
    return planned, refused


def _references(
    organisation: Organisation, counter: str, kind: str, arrivals: list[dt.datetime]
) -> list[str]:
    """A reference each, in turn, each with its own arrival's year (as taken one by one)."""
    references: list[str] = []
    start = 0
    while start < len(arrivals):
        end = start
        while end < len(arrivals) and arrivals[end].year == arrivals[start].year:
            end += 1
        references += references_take(organisation, counter, arrivals[start], kind, end - start)
        start = end
    return references


def _append_in_order(events: list[tuple[Any, Events]]) -> list[Any]:
    """Append (actor, events) groups in order, one append per run of the same actor."""
    made: list[Any] = []
    run: Events = []
    actor: Any = None
    for who, group in events:
        if run and getattr(who, "pk", None) != getattr(actor, "pk", None):
            made += event_append_many(actor=actor, events=run)
            run = []
        actor = who
        run += group
    if run:
        made += event_append_many(actor=actor, events=run)
    return made


def _filled(person: Person | None, filled: tuple[str, ...]) -> Events:
    """The event of contact details an entry filled in on a person on record, if any."""
    if not filled or person is None:
        return []
    return [(EventKind.CONTACT_DETAILS_FILLED, None, contact_filled_payload(person, filled))]


def complaints_apply(organisation: Organisation, planned: list[Planned]) -> None:
    """Write the plans, in the caller's transaction: complaints, new cases, their parties,
    allegations, joins, time limits, captured posts and fingerprints, then the ledger events
    in the order recording each complaint in turn appends them."""
    rulebook = organisation.current_rulebook()
    spec = rulebook.spec
    now = timezone.now()

    unnumbered = [p.incoming.received_at for p in planned if not p.incoming.reference]
    numbers = iter(_references(organisation, "next_complaint_number", "C", unnumbered))
    for plan in planned:
        item = plan.incoming
        plan.complaint = Complaint(
            organisation=organisation,
            reference=item.reference or next(numbers),
            received_at=item.received_at,
            channel=item.channel,
            complainant=plan.complainant,
            summary=item.summary,
            recorded_by=item.actor,
        )
    complaints_insert([p.complaint for p in planned if p.complaint is not None])

    opening = [(plan, part) for plan in planned for part in plan.parts if part.opens]
    arrivals = [plan.incoming.received_at for plan, _ in opening]
    case_numbers = iter(_references(organisation, "next_case_number", "", arrivals))
    for plan, part in opening:
        at = plan.incoming.received_at
        part.case = Case(
            organisation=organisation,
            reference=next(case_numbers),
            rulebook=rulebook,
            respondent=part.person,
            category=plan.incoming.allegation.category,
            stage=spec.first_stage,
            stage_entered_at=at,
            opened_at=at,
        )
    cases_insert([part.goes_to for _, part in opening])

    _parts_insert(planned)

    made = iter(
        stage_deadlines_open_many(
            [(part.goes_to, plan.incoming.received_at) for plan, part in opening]
        )
    )
    for _, part in opening:
        part.deadlines = next(made)

    items = []
    for plan, part in opening:
        capture = plan.incoming.capture
        if capture is None:
            continue
        part.item = post_item(
            case=part.goes_to,
            number=1,
            url=capture.url,
            author_handle=capture.author_handle,
            posted_at=capture.posted_at,
            captured_text=capture.captured_text,
            captured_at=now,
            description=capture.description,
            source=capture.source,
            actor=plan.incoming.actor,
            person=plan.complainant,
        )
        part.item.full_clean(
            exclude=["case", "blob", "added_by", "added_by_person"], validate_constraints=False
        )
        items.append(part.item)
    evidence_posts_insert(items)

    _prints_record(planned)

    groups = [(plan.incoming.actor, _events(plan)) for plan in planned]
    appended = iter(_append_in_order(groups))
    for plan, (_, events) in zip(planned, groups, strict=True):
        for kind, _, _ in events:
            event = next(appended)
            if kind == EventKind.COMPLAINT_RECEIVED:
                plan.recorded()[0].received_event = event


def _parts_insert(planned: list[Planned]) -> None:
    """Each part on its case: the complaint joined to it, the complainant a party (once a
    case), and the allegation of a new case or the record of joining an open one."""
    joined = [part.goes_to.pk for plan in planned for part in plan.parts if not part.opens]
    complainants = set(
        Party.objects.filter(
            case_id__in=joined,
            person__in={p.complainant.pk for p in planned if p.complainant is not None},
            role=Party.Role.COMPLAINANT,
        ).values_list("case_id", "person_id")
        if joined
        else []
    )
    through = Case.complaints.through
    linked: set[tuple[int, int]] = set()
    links, parties, allegations, groupings = [], [], [], []
    for plan in planned:
        complaint, complainant = plan.complaint, plan.complainant
        assert complaint is not None and complainant is not None
        for part in plan.parts:
            case = part.goes_to
            if (case.pk, complaint.pk) not in linked:  # a complaint naming one person twice
                linked.add((case.pk, complaint.pk))
                links.append(through(case_id=case.pk, complaint_id=complaint.pk))
            if (case.pk, complainant.pk) not in complainants:
                complainants.add((case.pk, complainant.pk))
                parties.append(
                    Party(
                        case=case,
                        person=complainant,
                        role=Party.Role.COMPLAINANT,
                        complaint=complaint,
                    )
                )
            if part.opens:
                part.allegation = allegation_from_details(plan.incoming.allegation, case=case)
                allegations.append(part.allegation)
            else:
                groupings.append(
                    Grouping(complaint=complaint, case=case, reason=part.reason, score=part.score)
                )
    case_parts_insert(links=links, parties=parties, allegations=allegations)
    groupings_insert(groupings)


def _prints_record(planned: list[Planned]) -> None:
    """What can identify each post later, in the order recording each complaint in turn keeps
    them: each part's (the complaint's words where it joins a case; the post's own words
    where captured, else the complainant's account, where it opens one), then the captures."""
    prints: list[Print] = []
    for plan in planned:
        complaint, details = plan.complaint, plan.incoming.allegation
        assert complaint is not None
        for part in plan.parts:
            if not part.opens:
                prints.append(
                    Print(
                        case=part.goes_to,
                        source=Fingerprint.Source.COMPLAINT,
                        source_id=complaint.pk,
                        text=details.description,
                    )
                )
                continue
            assert part.allegation is not None
            prints.append(
                Print(
                    case=part.goes_to,
                    source=Fingerprint.Source.ALLEGATION,
                    source_id=part.allegation.pk,
                    post_key=part.key,
                    # The post's own words when captured (a dossier's descriptions are often
                    # the same boilerplate on every row), else the complainant's account.
                    text=details.post_text or details.description,
                )
            )
        prints += [
            Print(
                case=part.goes_to,
                source=Fingerprint.Source.EVIDENCE,
                source_id=part.item.pk,
                post_key=part.item.post_key,
                text=part.item.captured_text,
            )
            for part in plan.parts
            if part.item is not None
        ]
    # The posts' bands were computed to look for duplicates: not again.
    known = {part.post_text: part.bands for plan in planned for part in plan.parts if part.bands}
    fingerprints_record_many(prints, known_bands=known)


def _events(plan: Planned) -> Events:
    """One complaint's events, in the order recording it appends them: the complainant's
    details filled in, the complaint received, each person's case opened (with its time
    limits) or joined in turn, then the post kept on each new case."""
    complaint = plan.complaint
    assert complaint is not None
    events = _filled(plan.complainant, plan.filled)
    events.append(
        (
            EventKind.COMPLAINT_RECEIVED,
            None,
            complaint_received_payload(complaint, respondents=len(plan.parts)),
        )
    )
    for part in plan.parts:
        case = part.goes_to
        if not part.opens:
            events.append(
                (
                    EventKind.COMPLAINT_GROUPED,
                    case.pk,
                    {
                        "complaint": complaint.pk,
                        "reason": part.reason,
                        "score_permille": permille(part.score),
                    },
                )
            )
            continue
        assert part.allegation is not None
        events += _filled(part.person, part.filled)
        events.append(
            (
                EventKind.CASE_OPENED,
                case.pk,
                case_opened_payload(case, complaint=complaint, allegation=part.allegation),
            )
        )
        events += [
            (EventKind.DEADLINE_OPENED, case.pk, deadline_opened_payload(d)) for d in part.deadlines
        ]
    events += [
        (EventKind.EVIDENCE_ADDED, part.goes_to.pk, evidence_added_payload(part.item))
        for part in plan.parts
        if part.item is not None
    ]
    return events
