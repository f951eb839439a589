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

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone

from fairhearing.cases.models import Allegation, Case, Channel, Complaint, Party
from fairhearing.cases.services import references_take
from fairhearing.core.bulk import insert_many
from fairhearing.deadlines.services import (
    calendar_for,
    deadline_opened_payload,
    stage_deadlines_new,
)
from fairhearing.evidence.models import EvidenceItem, Kind, Source
from fairhearing.evidence.posts import platform_of, post_key
from fairhearing.evidence.services import capture_sha256
from fairhearing.intake.record import case_opened_payload, complaint_received_payload
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append_many
from fairhearing.linking import minhash
from fairhearing.linking.models import Band, CaseLink, Fingerprint, Grouping
from fairhearing.linking.queries import SAME_TEXT, name_key, respondent_matches
from fairhearing.linking.services import bands_insert, permille
from fairhearing.people.models import Person
from fairhearing.people.services import (
    PersonDetails,
    contact_filled_payload,
    people_find_or_create,
)

from . import read
from .models import Dossier, DossierRow


@dataclass
class Plan:
    """One person a row names, and where their part of the row goes."""

    row: read.Row
    respondent: PersonDetails
    key: str
    post_text: str
    parts: set[str] = field(default_factory=set)
    bands: list[tuple[int, int]] = field(default_factory=list)
    # Where it goes: an existing case (grouped) or a new one.
    existing: Case | None = None
    earlier: "Plan | None" = None
    reason: str = ""
    score: float = 0.0
    case: Case | None = None
    complaint: Complaint | None = None
    respondent_person: Person | None = None
    filled: tuple[str, ...] = ()  # contact details the row filled in on a member on record
    allegation: Allegation | None = None
    deadlines: list[Any] = field(default_factory=list)
    capture: EvidenceItem | None = None


def _open_fingerprints(organisation_id: int) -> Any:
    merged = CaseLink.objects.filter(kind=CaseLink.Kind.MERGE, undone_at__isnull=True)
    return Fingerprint.objects.filter(
        organisation_id=organisation_id, case__closed_at__isnull=True
    ).exclude(case__in=merged.values("other"))


def _text_candidates(organisation_id: int, plans: list[Plan]) -> dict[int, list[Fingerprint]]:
    """For each plan (by index), the open-case evidence fingerprints sharing two or more bands
    with its text: one query for the whole chunk."""
    wanted = {(b, v) for p in plans for b, v in p.bands}
    if not wanted:
        return {}
    band_table, print_table = Band._meta.db_table, Fingerprint._meta.db_table
    values = sorted({v for _, v in wanted})
    found: dict[tuple[int, int], set[int]] = defaultdict(set)
    query = (
        f"SELECT b.band, b.value, b.fingerprint_id FROM {band_table} b"  # noqa: S608
        f" JOIN {print_table} f ON f.id = b.fingerprint_id"
        " WHERE b.value {match} AND f.organisation_id = %s AND f.source = %s"
    )
    # PostgreSQL takes the chunk's values as one array; SQLite as a list, within its limit on
    # parameters per statement.
    step = len(values) if connection.vendor == "postgresql" else 800
    with connection.cursor() as cursor:
        for start in range(0, len(values), step):
            chunk = values[start : start + step]
            params: list[Any]
            if connection.vendor == "postgresql":
                match, params = "= ANY(%s)", [chunk]
            else:
                match, params = f"IN ({', '.join(['%s'] * len(chunk))})", list(chunk)
            cursor.execute(
                query.format(match=match),
                [*params, organisation_id, Fingerprint.Source.EVIDENCE],
            )
            for band, value, fingerprint_id in cursor.fetchall():
                if (band, value) in wanted:
                    found[(band, value)].add(fingerprint_id)
    per_plan: dict[int, list[int]] = {}
    for index, plan in enumerate(plans):
        hits: dict[int, int] = defaultdict(int)
        for pair in plan.bands:
            for fingerprint_id in found.get(pair, ()):
                hits[fingerprint_id] += 1
        per_plan[index] = [fid for fid, n in hits.items() if n >= 2]
    ids = {fid for fids in per_plan.values() for fid in fids}
    prints = {
        f.pk: f
        for f in _open_fingerprints(organisation_id)
        .filter(pk__in=ids)
        .select_related("case__respondent")
    }
    return {i: [prints[f] for f in fids if f in prints] for i, fids in per_plan.items()}


def _find_duplicates(organisation_id: int, plans: list[Plan]) -> None:
    keys = {p.key for p in plans if p.key}
    by_key: dict[str, list[Fingerprint]] = defaultdict(list)
    if keys:
        for fingerprint in (
            _open_fingerprints(organisation_id)
            .filter(post_key__in=keys)
            .select_related("case__respondent")
        ):
            by_key[fingerprint.post_key].append(fingerprint)
    texts = _text_candidates(organisation_id, plans)
    by_number: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    for index, plan in enumerate(plans):
        for fingerprint in by_key.get(plan.key, []):
            if respondent_matches(fingerprint.case.respondent, plan.respondent):
                plan.existing, plan.reason, plan.score = fingerprint.case, "same_url", 1.0
                break
        if plan.existing is None and plan.parts:
            best: tuple[float, int, Case] | None = None
            for fingerprint in texts.get(index, []):
                score = minhash.jaccard(plan.parts, minhash.shingles(fingerprint.text))
                if score >= SAME_TEXT and respondent_matches(
                    fingerprint.case.respondent, plan.respondent
                ):
                    candidate = (-score, fingerprint.pk, fingerprint.case)
                    best = min(best, candidate, key=lambda c: c[:2]) if best else candidate
            if best is not None:
                plan.existing, plan.reason, plan.score = best[2], "same_text", round(-best[0], 3)
        if plan.existing is not None:
            continue
        # The chunk's own earlier rows (their cases do not exist yet), found through an index
        # by membership number and by name: comparing each row with every earlier one grew
        # with the square of the chunk.
        number, name = (
            plan.respondent.membership_number.strip(),
            name_key(plan.respondent.full_name),
        )
        candidates = sorted(
            set(by_number.get(number, []) if number else []) | set(by_name.get(name, []))
        )
        for position in candidates:
            earlier = plans[position]
            if not respondent_matches(earlier.respondent, plan.respondent):
                continue
            if plan.key and plan.key == earlier.key:
                plan.earlier, plan.reason, plan.score = earlier, "same_url", 1.0
                break
            if plan.parts and earlier.parts:
                score = minhash.jaccard(plan.parts, earlier.parts)
                if score >= SAME_TEXT:
                    plan.earlier, plan.reason, plan.score = earlier, "same_text", round(score, 3)
                    break
        if plan.earlier is None:  # a new case: later rows of the chunk may join it
            if number:
                by_number.setdefault(number, []).append(index)
            by_name.setdefault(name, []).append(index)


def _people(organisation_id: int, plans: list[Plan]) -> None:
    """Each new case's respondent: the member with that membership number, or a new person."""
    people = people_find_or_create(
        organisation_id=organisation_id, details=[p.respondent for p in plans]
    )
    for plan, found in zip(plans, people, strict=True):
        plan.respondent_person, plan.filled = found.person, found.filled


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
    _find_duplicates(organisation.pk, plans)
    fresh = [p for p in plans if p.existing is None and p.earlier is None]
    _people(organisation.pk, fresh)

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
    insert_many(complaints)
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
    insert_many([p.case for p in fresh if p.case is not None])
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
    insert_many(links)
    insert_many(parties)
    insert_many(allegations)
    insert_many(groupings)

    deadlines = []
    calendar = calendar_for(fresh[0].case) if fresh else None  # type: ignore[arg-type]
    for plan in fresh:
        assert plan.case is not None and calendar is not None
        plan.deadlines = stage_deadlines_new(plan.case, now, calendar)
        deadlines += plan.deadlines

    insert_many(deadlines)

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
    insert_many(items)

    prints: list[Fingerprint] = []
    print_bands: list[list[tuple[int, int]]] = []

    computed: dict[str, list[tuple[int, int]]] = {p.post_text: p.bands for p in plans if p.bands}

    def fingerprint(case: Case, source: str, source_id: int, key: str, text: str) -> None:
        usable = minhash.usable(text)
        if not key and not usable:
            return
        if usable and text not in computed:
            computed[text] = minhash.bands(minhash.shingles(text))
        prints.append(
            Fingerprint(
                organisation=organisation,
                case=case,
                source=source,
                source_id=source_id,
                post_key=key,
                text=minhash.normalise(text) if usable else "",
            )
        )
        print_bands.append(computed[text] if usable else [])

    for plan in plans:
        case = plan.case or plan.existing
        assert case is not None and plan.complaint is not None
        if plan.case is None:
            fingerprint(
                case,
                Fingerprint.Source.COMPLAINT,
                plan.complaint.pk,
                "",
                plan.row.data["description"],
            )
            continue
        opened = plan.allegation
        assert opened is not None
        fingerprint(
            case,
            Fingerprint.Source.ALLEGATION,
            opened.pk,
            plan.key,
            plan.post_text or plan.row.data["description"],
        )
        if plan.capture is not None:
            fingerprint(
                case,
                Fingerprint.Source.EVIDENCE,
                plan.capture.pk,
                plan.capture.post_key,
                plan.capture.captured_text,
            )
    insert_many(prints)
    bands_insert(
        [(f.pk, b, v) for f, bands in zip(prints, print_bands, strict=True) for b, v in bands]
    )

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
