"""Fictional data at scale for the benchmarks: `fairhearing bench generate --cases N`.

Cases follow the demo's paths (every stage and outcome, weighted like a party's published
figures: most complaints end at assessment, few reach a hearing, fewer an appeal), received
over four years, each with its complainant, respondent, allegation, stage changes, running time
limit and ledger events (about ten per case, a valid hash chain). Rows go in with bulk inserts
through the models (so field encoding, encrypted or not, is the models' own) by COPY on
PostgreSQL (`core/bulk.py`), ledger events likewise, a valid chain.
"""

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from fairhearing.cases.models import (
    Allegation,
    AllegationType,
    Case,
    Channel,
    Complaint,
    Party,
    StageChange,
)
from fairhearing.cases.services import references_take
from fairhearing.core.bulk import insert_many
from fairhearing.deadlines.models import Deadline
from fairhearing.demo.data import PATHS, STEP_DAYS, TEXTS
from fairhearing.intake.record import case_opened_payload, complaint_received_payload
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append_many
from fairhearing.organisations.models import Organisation
from fairhearing.people.models import Person, name_index_insert

BATCH = 2000
FIRST = [
    "Ada",
    "Bo",
    "Cy",
    "Di",
    "Ed",
    "Flo",
    "Gus",
    "Hal",
    "Ivy",
    "Jo",
    "Kit",
    "Lu",
    "Max",
    "Ned",
    "Ona",
    "Pip",
    "Quin",
    "Ros",
    "Sam",
    "Tess",
    "Uma",
    "Vic",
    "Wyn",
    "Xan",
    "Yas",
]
# Surnames made of two syllables (640 each, so 409,600 surnames): the first letters of a
# surname then narrow a search as in a real membership (benchmarks/case_list.py searches by
# part of a name), where a short list would give each surname to thousands of people.
ONSETS = ["b", "br", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "w"]
VOWELS = ["a", "e", "i", "o", "u"]
CODAS = ["", "n", "r", "l", "m", "s", "th", "ck"]


def _name(rng: random.Random) -> str:
    syllables = [rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(2)]
    return f"{rng.choice(FIRST)} {''.join(syllables).capitalize()}"


def generate(
    *,
    organisation: Organisation,
    cases: int,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Add `cases` cases to the organisation; returns the number of ledger events written."""
    rng = random.Random(seed)
    rulebook = organisation.current_rulebook()
    spec = rulebook.spec
    transitions = spec.transitions
    weights = [w for w, _ in PATHS]
    categories = list(spec.categories)
    now = timezone.now()
    events_written = 0
    done = 0
    while done < cases:
        size = min(BATCH, cases - done)
        with transaction.atomic():
            events_written += _batch(
                organisation, rulebook, spec, transitions, weights, categories, rng, now, size
            )
        done += size
        if progress:
            progress(done, cases)
    return events_written


def _batch(
    organisation: Organisation,
    rulebook: Any,
    spec: Any,
    transitions: dict[str, Any],
    weights: list[int],
    categories: list[str],
    rng: random.Random,
    now: dt.datetime,
    size: int,
) -> int:
    plans = []
    for _ in range(size):
        _, path = rng.choices(PATHS, weights=weights)[0]
        received = now - dt.timedelta(days=rng.uniform(1, 4 * 365))
        steps, at, stage = [], received, spec.first_stage
        for key in path:
            at += dt.timedelta(days=STEP_DAYS.get(key, 5) * rng.uniform(0.5, 2.0))
            if at >= now:
                break
            transition = transitions[key]
            steps.append((transition, stage, at))
            stage = transition.target
        plans.append((received, steps, stage))

    made_people = [Person(organisation=organisation, full_name=_name(rng)) for _ in range(2 * size)]
    for person in made_people:
        person.refresh_hashes()  # insert_many does not call save(): the lookup hashes
    people = insert_many(made_people)
    name_index_insert(people)
    complainants, respondents = people[:size], people[size:]
    complaint_refs = references_take(organisation, "next_complaint_number", now, "C", size)
    case_refs = references_take(organisation, "next_case_number", now, "", size)
    complaints = insert_many(
        [
            Complaint(
                organisation=organisation,
                reference=reference,
                received_at=received,
                channel=rng.choice(
                    [Channel.WEB] * 6 + [Channel.EMAIL, Channel.POST, Channel.PHONE]
                ),
                complainant=person,
                summary=rng.choice(TEXTS),
            )
            for (received, _, _), reference, person in zip(
                plans, complaint_refs, complainants, strict=True
            )
        ]
    )
    made = []
    for (received, steps, stage), reference, person in zip(
        plans, case_refs, respondents, strict=True
    ):
        last = steps[-1] if steps else None
        outcome = last[0].outcome if last and last[0].closes else ""
        made.append(
            Case(
                organisation=organisation,
                reference=reference,
                rulebook=rulebook,
                respondent=person,
                category=rng.choice(categories),
                stage=stage,
                stage_entered_at=last[2] if last else received,
                opened_at=received,
                closed_at=last[2] if last and last[0].closes else None,
                outcome=outcome,
            )
        )
    cases = insert_many(made)
    insert_many(
        [
            Case.complaints.through(case_id=case.pk, complaint_id=complaint.pk)
            for case, complaint in zip(cases, complaints, strict=True)
        ]
    )
    insert_many(
        [
            Party(
                case=case,
                person=complaint.complainant,
                role=Party.Role.COMPLAINANT,
                complaint=complaint,
            )
            for case, complaint in zip(cases, complaints, strict=True)
        ]
    )
    allegations = insert_many(
        [
            Allegation(
                case=case,
                allegation_type=rng.choice(AllegationType.values),
                category=case.category,
                description=rng.choice(TEXTS),
            )
            for case in cases
        ]
    )
    changes, deadlines = [], []
    for case, (_, steps, _) in zip(cases, plans, strict=True):
        for transition, source, at in steps:
            changes.append(
                StageChange(
                    case=case,
                    transition=transition.key,
                    from_stage=source,
                    to_stage=transition.target,
                    at=at,
                    reasons="Generated for the benchmarks.",
                    rule_applied="Procedure",
                    outcome=transition.outcome if transition.closes else "",
                )
            )
        if not case.closed_at:
            for limit in spec.limits_for_stage(case.stage):
                deadlines.append(
                    Deadline(
                        case=case,
                        kind=limit.kind,
                        label=limit.label,
                        binds=limit.binds,
                        working_days=limit.working_days,
                        started_at=case.stage_entered_at,
                        due_at=case.stage_entered_at + dt.timedelta(days=limit.working_days * 1.4),
                    )
                )
    insert_many(changes)
    created = insert_many(deadlines)
    by_case: dict[int, list[Any]] = {}
    for change in changes:
        by_case.setdefault(change.case_id, []).append(change)
    limits: dict[int, list[Deadline]] = {}
    for deadline in created:
        limits.setdefault(deadline.case_id, []).append(deadline)
    events: list[tuple[EventKind, int | None, dict[str, Any] | None]] = []
    for case, complaint, allegation in zip(cases, complaints, allegations, strict=True):
        events.append(
            (
                EventKind.COMPLAINT_RECEIVED,
                None,
                complaint_received_payload(complaint, respondents=1),
            )
        )
        events.append(
            (
                EventKind.CASE_OPENED,
                case.pk,
                case_opened_payload(case, complaint=complaint, allegation=allegation),
            )
        )
        for change in by_case.get(case.pk, []):
            events.append(
                (
                    EventKind.CASE_TRANSITIONED,
                    case.pk,
                    {
                        "stage_change": change.pk,
                        "transition": change.transition,
                        "from": change.from_stage,
                        "to": change.to_stage,
                        "outcome": change.outcome,
                        "reasons_sha256": content_hash(change.reasons),
                    },
                )
            )
            events.append((EventKind.DEADLINE_MET, case.pk, {"kind": "stage", "met": True}))
        for deadline in limits.get(case.pk, []):
            events.append(
                (
                    EventKind.DEADLINE_OPENED,
                    case.pk,
                    {
                        "deadline": deadline.pk,
                        "kind": deadline.kind,
                        "working_days": deadline.working_days,
                        "due_at": deadline.due_at.isoformat(),
                    },
                )
            )
    event_append_many(actor=None, events=events)
    return len(events)
