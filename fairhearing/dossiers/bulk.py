"""The fast path of a dossier import: a chunk of checked rows recorded with a few statements.

Row by row, each complaint costs about forty statements (complaint, case, party, allegation,
deadlines, capture, fingerprints, ledger events), which made a 10,000-row dossier take minutes.
Here a chunk is recorded with bulk inserts and one ledger append, and produces the same
records and the same ledger events, in the same order, as `complaint_record` followed by
`evidence_add_post` for each row (tests/test_bulk.py compares the two paths).

Duplicates are found for the whole chunk at once: against open cases in the database (same
post key, or captured text with Jaccard >= SAME_TEXT) and against the chunk's own earlier rows.
Rows the fast path does not handle (none today; kept for safety) fall back to the row path.

A row naming several respondents is one complaint and one plan per person: each person's case
is opened (or joined) in the order the row names them, as `complaint_record` does.
"""

from typing import Any

from django.utils import timezone

from fairhearing.cases.models import Allegation, Case, Channel, Complaint, Party
from fairhearing.cases.services import (
    case_parts_insert,
    cases_insert,
    complaints_insert,
    references_take,
)
from fairhearing.core.bulk import insert_many
from fairhearing.deadlines.services import (
    deadline_opened_payload,
    stage_deadlines_open_many,
)
from fairhearing.evidence.models import EvidenceItem, Kind, Source
from fairhearing.evidence.posts import platform_of, post_key
from fairhearing.evidence.services import capture_sha256, evidence_posts_insert
from fairhearing.intake.record import case_opened_payload, complaint_received_payload
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append_many
from fairhearing.linking import minhash
from fairhearing.linking.models import Fingerprint, Grouping
from fairhearing.linking.services import (
    Print,
    fingerprints_record_many,
    groupings_insert,
    permille,
)
from fairhearing.people.services import (
    contact_filled_payload,
)

from . import read
from .models import Dossier, DossierRow
from .plan import Plan, duplicates_find, people_find


def import_chunk(dossier: Dossier, rows: list[read.Row], actor: Any) -> None:
    """Record a chunk of rows in the caller's transaction: rejected rows as such, the others as
    complaints, cases (or joined to the case about the same post) and captures."""
    organisation = dossier.organisation
    rulebook = organisation.current_rulebook()
    spec = rulebook.spec
    now = timezone.now()
    records = {r.number: DossierRow(dossier=dossier, number=r.number, data=r.data) for r in rows}
    for row in rows:
        if row.errors:
            records[row.number].status = DossierRow.Status.REJECTED
            records[row.number].reasons = row.errors
    accepted = [row for row in rows if not row.errors]
    plans: list[Plan] = []
    by_row: dict[int, list[Plan]] = {}
    for row in accepted:
        text = row.data.get("post_text", "")
        key = post_key(row.data.get("url", ""))
        parts = minhash.shingles(text) if minhash.usable(text) else set()
        by_row[row.number] = [
            Plan(row=row, respondent=respondent, key=key, post_text=text, parts=parts)
            for respondent in row.respondents
        ]
        plans += by_row[row.number]
    banded = [p for p in plans if p.parts]
    for plan, bands in zip(banded, minhash.bands_many([p.parts for p in banded]), strict=True):
        plan.bands = bands
    duplicates_find(organisation.pk, plans)
    fresh = [p for p in plans if p.existing is None and p.earlier is None]
    people_find(organisation.pk, fresh)

    complaint_refs = references_take(organisation, "next_complaint_number", now, "C", len(accepted))
    case_refs = references_take(organisation, "next_case_number", now, "", len(fresh))
    complaints = []
    for row, reference in zip(accepted, complaint_refs, strict=True):
        complaint = Complaint(
            organisation=organisation,
            reference=reference,
            received_at=now,
            channel=Channel.DOSSIER,
            complainant=dossier.source,
            summary=row.data["description"],
            recorded_by=actor,
        )
        complaint.full_clean(exclude=["organisation", "complainant", "recorded_by", "reference"])
        complaints.append(complaint)
        for plan in by_row[row.number]:
            plan.complaint = complaint
    complaints_insert(complaints)
    for plan, reference in zip(fresh, case_refs, strict=True):
        plan.case = Case(
            organisation=organisation,
            reference=reference,
            rulebook=rulebook,
            respondent=plan.respondent_person,
            category=plan.row.category,
            stage=spec.first_stage,
            stage_entered_at=now,
            opened_at=now,
        )
    cases_insert([p.case for p in fresh if p.case is not None])
    for plan in plans:
        if plan.earlier is not None:
            plan.existing = plan.earlier.case

    through = Case.complaints.through
    links, parties, allegations, groupings = [], [], [], []
    complainants = set(
        Party.objects.filter(
            case__in=[p.existing for p in plans if p.existing],
            person=dossier.source,
            role=Party.Role.COMPLAINANT,
        ).values_list("case_id", flat=True)
    )
    for plan in plans:
        case = plan.case or plan.existing
        assert case is not None and plan.complaint is not None
        links.append(through(case_id=case.pk, complaint_id=plan.complaint.pk))
        if case.pk not in complainants:
            complainants.add(case.pk)
            parties.append(
                Party(
                    case=case,
                    person=dossier.source,
                    role=Party.Role.COMPLAINANT,
                    complaint=plan.complaint,
                )
            )
        d = plan.row.data
        if plan.case is not None:
            allegation = Allegation(
                case=case,
                allegation_type=plan.row.allegation_type,
                category=plan.row.category,
                description=d["description"],
                conduct_date=plan.row.conduct_date,
                url=d.get("url", ""),
            )
            allegation.full_clean(exclude=["case"])
            allegations.append(allegation)
            plan.allegation = allegation
        else:
            groupings.append(
                Grouping(complaint=plan.complaint, case=case, reason=plan.reason, score=plan.score)
            )
    case_parts_insert(links=links, parties=parties, allegations=allegations)
    groupings_insert(groupings)

    limits_of = stage_deadlines_open_many([(plan.case, now) for plan in fresh if plan.case])
    for plan, limits in zip(fresh, limits_of, strict=True):
        plan.deadlines = limits

    items = []
    for plan in fresh:
        d = plan.row.data
        if not (d.get("url") or d.get("post_text")):
            continue
        url, text = d.get("url", "").strip(), d.get("post_text", "").strip()
        platform = platform_of(url) or "other"
        handle = d.get("author_handle", "").strip().lstrip("@")
        item = EvidenceItem(
            case=plan.case,
            number=1,
            kind=Kind.POST,
            description=f"From dossier {dossier.pk}, row {plan.row.number}",
            url=url,
            post_key=post_key(url),
            platform=platform,
            author_handle=handle,
            posted_at=plan.row.posted_at,
            captured_text=text,
            captured_at=now,
            source=Source.DOSSIER,
            added_by=actor,
            added_by_person=dossier.source,
            sha256=capture_sha256(
                url=url,
                platform=platform,
                author_handle=handle,
                posted_at=plan.row.posted_at,
                captured_text=text,
                captured_at=now,
                screenshot_sha256=None,
            ),
        )
        item.full_clean(
            exclude=["case", "blob", "added_by", "added_by_person"], validate_constraints=False
        )
        plan.capture = item
        items.append(item)
    evidence_posts_insert(items)

    prints: list[Print] = []
    for plan in plans:
        case = plan.case or plan.existing
        assert case is not None and plan.complaint is not None
        if plan.case is None:
            prints.append(
                Print(
                    case=case,
                    source=Fingerprint.Source.COMPLAINT,
                    source_id=plan.complaint.pk,
                    text=plan.row.data["description"],
                )
            )
            continue
        opened = plan.allegation
        assert opened is not None
        prints.append(
            Print(
                case=case,
                source=Fingerprint.Source.ALLEGATION,
                source_id=opened.pk,
                post_key=plan.key,
                text=plan.post_text or plan.row.data["description"],
            )
        )
        if plan.capture is not None:
            prints.append(
                Print(
                    case=case,
                    source=Fingerprint.Source.EVIDENCE,
                    source_id=plan.capture.pk,
                    post_key=plan.capture.post_key,
                    text=plan.capture.captured_text,
                )
            )
    # The posts' bands were computed to look for duplicates: not again.
    fingerprints_record_many(prints, known_bands={p.post_text: p.bands for p in plans if p.bands})

    events: list[tuple[EventKind, int | None, dict[str, Any] | None]] = []
    for row, complaint in zip(accepted, complaints, strict=True):
        row_plans = by_row[row.number]
        events.append(
            (
                EventKind.COMPLAINT_RECEIVED,
                None,
                complaint_received_payload(complaint, respondents=len(row_plans)),
            )
        )
        events += _case_events(row_plans)
        record = records[row.number]
        record.complaint = complaint
        # As the row path decides: a duplicate only if no one it names got a new case.
        joined = [p.existing for p in row_plans if p.case is None]
        record.duplicate_of = joined[0] if joined else None
        record.status = (
            DossierRow.Status.DUPLICATE
            if len(joined) == len(row_plans)
            else DossierRow.Status.ACCEPTED
        )
    event_append_many(actor=actor, events=events)
    insert_many(list(records.values()))


def _case_events(plans: list[Plan]) -> list[tuple[EventKind, int | None, dict[str, Any] | None]]:
    """One row's events about its cases, in the row path's order: each person's case opened
    (with its time limits) or joined, in turn; then the captured post on each new case."""
    events: list[tuple[EventKind, int | None, dict[str, Any] | None]] = []
    for plan in plans:
        complaint = plan.complaint
        assert complaint is not None
        if plan.case is None:
            case = plan.existing
            assert case is not None
            events.append(
                (
                    EventKind.COMPLAINT_GROUPED,
                    case.pk,
                    {
                        "complaint": complaint.pk,
                        "reason": plan.reason,
                        "score_permille": permille(plan.score),
                    },
                )
            )
        else:
            case = plan.case
            opened = plan.allegation
            assert opened is not None and plan.respondent_person is not None
            if plan.filled:
                events.append(
                    (
                        EventKind.CONTACT_DETAILS_FILLED,
                        None,
                        contact_filled_payload(plan.respondent_person, plan.filled),
                    )
                )
            events.append(
                (
                    EventKind.CASE_OPENED,
                    case.pk,
                    case_opened_payload(case, complaint=complaint, allegation=opened),
                )
            )
            for deadline in plan.deadlines:
                events.append(
                    (EventKind.DEADLINE_OPENED, case.pk, deadline_opened_payload(deadline))
                )
    for plan in plans:
        capture = plan.capture
        if capture is not None:
            assert plan.case is not None
            events.append(
                (
                    EventKind.EVIDENCE_ADDED,
                    plan.case.pk,
                    {
                        "item": capture.pk,
                        "number": capture.number,
                        "kind": capture.kind,
                        "sha256": capture.sha256,
                        "blob": None,
                        "source": capture.source,
                        "person": capture.added_by_person_id,
                        "description_sha256": content_hash(capture.description),
                    },
                )
            )
    return events
