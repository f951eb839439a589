"""Writes for duplicates and links: fingerprints, grouping a complaint into the case about the
same post, and links and merges that staff confirm (each reversible, each on the ledger)."""

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from fairhearing.cases.models import Case, Complaint, Party
from fairhearing.core.bulk import copy_rows, insert_many
from fairhearing.core.errors import CaseError
from fairhearing.deadlines.models import Deadline
from fairhearing.deadlines.services import deadline_resume, deadlines_pause_merged
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append

from . import minhash
from .models import Band, CaseLink, Fingerprint, Grouping

NEEDS_REASONS = "Give your reasons."
SAME_CASE = "A case cannot be linked to itself."
ALREADY_LINKED = "These cases are already linked or merged."
NOT_SAME_ORGANISATION = "Cases of different organisations cannot be linked."
MERGED_ELSEWHERE = "That case is already merged into another case."
CLOSED = "A closed case cannot be merged into another."
ALREADY_UNDONE = "This link has already been undone."
CANNOT_UNMERGE = "The merge cannot be undone: records made since depend on it."
MERGE_PAUSE = "Merged into case {reference}: its time limits run there."
UNMERGE_RESUME = "Merge into case {reference} undone."


def permille(score: float | None) -> int | None:
    """Scores go on the ledger as whole thousandths (its payloads hold no floats)."""
    return None if score is None else round(score * 1000)


@dataclass(frozen=True)
class Print:
    """A text (and a post's key) that can identify a post, to remember for a case."""

    case: Case
    source: str
    source_id: int
    post_key: str = ""
    text: str = ""


def fingerprints_record_many(
    prints: list[Print], *, known_bands: dict[str, list[tuple[int, int]]] | None = None
) -> list[Fingerprint | None]:
    """Remember many texts at once (in the caller's transaction): one fingerprint each, or
    None for a text too short to compare and no post; each text's bands computed once
    (`known_bands`: texts whose bands the caller has already). The one way fingerprints are
    written, for one complaint or a chunk of a dossier."""
    computed = dict(known_bands or {})
    made: list[Fingerprint | None] = []
    bands_of: list[list[tuple[int, int]]] = []
    for item in prints:
        usable = minhash.usable(item.text)
        if not item.post_key and not usable:
            made.append(None)
            continue
        if usable and item.text not in computed:
            computed[item.text] = minhash.bands(minhash.shingles(item.text))
        made.append(
            Fingerprint(
                organisation_id=item.case.organisation_id,
                case=item.case,
                source=item.source,
                source_id=item.source_id,
                post_key=item.post_key,
                text=minhash.normalise(item.text) if usable else "",
            )
        )
        bands_of.append(computed[item.text] if usable else [])
    kept = [f for f in made if f is not None]
    insert_many(kept)
    bands_insert(
        [
            (f.pk, band, value)
            for f, bands in zip(kept, bands_of, strict=True)
            for band, value in bands
        ]
    )
    return made


def fingerprint_record(
    *, case: Case, source: str, source_id: int, post_key: str = "", text: str = ""
) -> Fingerprint | None:
    """Remember a text that can identify a post, for later lookups. None if nothing to keep."""
    (made,) = fingerprints_record_many(
        [Print(case=case, source=source, source_id=source_id, post_key=post_key, text=text)]
    )
    return made


def groupings_insert(groupings: list[Grouping]) -> None:
    """Complaints joined to the open cases about the same post, many at once (a dossier's
    chunk; in the caller's transaction, whose events record them)."""
    insert_many(groupings)


def bands_insert(rows: list[tuple[int, int, int]]) -> None:
    """Many bands in one statement, without a model instance each (sixteen per text)."""
    copy_rows(Band._meta.db_table, ["fingerprint_id", "band", "value"], rows)


def complaint_group(
    *, actor: Any, complaint: Complaint, case: Case, reason: str, score: float, text: str = ""
) -> Grouping:
    """Join a complaint to the existing case about the same post: one case, many complainants."""
    case.complaints.add(complaint)
    # Someone complaining again about the same post is already a party.
    if not case.parties.filter(person=complaint.complainant, role=Party.Role.COMPLAINANT).exists():
        Party.objects.create(
            case=case,
            person=complaint.complainant,
            role=Party.Role.COMPLAINANT,
            complaint=complaint,
        )
    grouping = Grouping.objects.create(complaint=complaint, case=case, reason=reason, score=score)
    fingerprint_record(
        case=case, source=Fingerprint.Source.COMPLAINT, source_id=complaint.pk, text=text
    )
    event_append(
        actor=actor,
        kind=EventKind.COMPLAINT_GROUPED,
        case_id=case.pk,
        payload={"complaint": complaint.pk, "reason": reason, "score_permille": permille(score)},
    )
    return grouping


def _check(case: Case, other: Case, reasons: str) -> None:
    if not reasons.strip():
        raise CaseError(NEEDS_REASONS)
    if case.pk == other.pk:
        raise CaseError(SAME_CASE)
    if case.organisation_id != other.organisation_id:
        raise CaseError(NOT_SAME_ORGANISATION)
    live = CaseLink.objects.filter(undone_at__isnull=True)
    if live.filter(case=case, other=other).exists() or live.filter(case=other, other=case).exists():
        raise CaseError(ALREADY_LINKED)


@transaction.atomic
def case_link(
    *, actor: Any, case: Case, other: Case, reasons: str, score: float | None = None
) -> CaseLink:
    """Record that two cases are related (same respondent, similar evidence): both stay open."""
    _check(case, other, reasons)
    link = CaseLink.objects.create(
        kind=CaseLink.Kind.LINK,
        case=case,
        other=other,
        score=score,
        reasons=reasons.strip(),
        created_by=actor,
    )
    for one, two in ((case, other), (other, case)):
        event_append(
            actor=actor,
            kind=EventKind.CASES_LINKED,
            case_id=one.pk,
            payload={
                "link": link.pk,
                "other": two.pk,
                "score_permille": permille(score),
                "reasons_sha256": content_hash(reasons),
            },
        )
    return link


@transaction.atomic
def case_merge(
    *, actor: Any, case: Case, other: Case, reasons: str, score: float | None = None
) -> CaseLink:
    """Merge `other` into `case`: `other`'s complaints and complainants join `case`, its time
    limits pause, and it is shown as merged. Every record of `other` is kept; `case_unlink`
    undoes exactly what was moved."""
    _check(case, other, reasons)
    if other.is_closed:
        raise CaseError(CLOSED)
    live_merges = CaseLink.objects.filter(kind=CaseLink.Kind.MERGE, undone_at__isnull=True)
    if live_merges.filter(other=other).exists() or live_merges.filter(other=case).exists():
        raise CaseError(MERGED_ELSEWHERE)
    already = set(case.complaints.values_list("pk", flat=True))
    complaints = [pk for pk in other.complaints.values_list("pk", flat=True) if pk not in already]
    case.complaints.add(*complaints)
    present = set(case.parties.values_list("person_id", flat=True))
    parties = []
    for party in other.parties.filter(role=Party.Role.COMPLAINANT).order_by("pk"):
        if party.person_id in present:
            continue
        present.add(party.person_id)
        parties.append(
            Party.objects.create(
                case=case,
                person_id=party.person_id,
                role=Party.Role.COMPLAINANT,
                complaint_id=party.complaint_id,
                identity_protected=party.identity_protected,
                protection_reason=party.protection_reason,
            ).pk
        )
    paused = deadlines_pause_merged(
        actor=actor, case=other, reasons=MERGE_PAUSE.format(reference=case.reference)
    )
    try:
        link = CaseLink.objects.create(
            kind=CaseLink.Kind.MERGE,
            case=case,
            other=other,
            score=score,
            reasons=reasons.strip(),
            created_by=actor,
            moved={"complaints": complaints, "parties": parties, "paused_deadlines": paused},
        )
    except IntegrityError as exc:  # a concurrent merge of the same case won
        raise CaseError(MERGED_ELSEWHERE) from exc
    for one, two, role in ((case, other, "kept"), (other, case, "merged")):
        event_append(
            actor=actor,
            kind=EventKind.CASES_MERGED,
            case_id=one.pk,
            payload={
                "link": link.pk,
                "other": two.pk,
                "role": role,
                "score_permille": permille(score),
                "moved": link.moved,
                "reasons_sha256": content_hash(reasons),
            },
        )
    return link


@transaction.atomic
def case_unlink(*, actor: Any, link: CaseLink, reasons: str) -> CaseLink:
    """Undo a link, or a merge (removing exactly what the merge moved and restarting the
    merged case's time limits). The link row stays, marked undone."""
    if not reasons.strip():
        raise CaseError(NEEDS_REASONS)
    link = CaseLink.objects.select_for_update().get(pk=link.pk)
    if link.undone_at is not None:
        raise CaseError(ALREADY_UNDONE)
    if link.kind == CaseLink.Kind.MERGE:
        link.case.complaints.remove(*link.moved.get("complaints", []))
        try:
            with transaction.atomic():
                Party.objects.filter(pk__in=link.moved.get("parties", [])).delete()
        except ProtectedError as exc:
            raise CaseError(CANNOT_UNMERGE) from exc
        for deadline in Deadline.objects.filter(
            pk__in=link.moved.get("paused_deadlines", []), status=Deadline.Status.PAUSED
        ):
            deadline_resume(
                actor=actor,
                deadline=deadline,
                reasons=UNMERGE_RESUME.format(reference=link.case.reference),
            )
    link.undone_at, link.undone_by, link.undo_reasons = timezone.now(), actor, reasons.strip()
    link.save(update_fields=["undone_at", "undone_by", "undo_reasons"])
    kind = (
        EventKind.CASES_UNMERGED if link.kind == CaseLink.Kind.MERGE else EventKind.CASES_UNLINKED
    )
    for one, two in ((link.case_id, link.other_id), (link.other_id, link.case_id)):
        event_append(
            actor=actor,
            kind=kind,
            case_id=one,
            payload={"link": link.pk, "other": two, "reasons_sha256": content_hash(reasons)},
        )
    return link
