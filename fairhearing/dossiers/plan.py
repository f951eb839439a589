"""What a chunk of dossier rows becomes, before anything is written: for each row, whether it
repeats an open case (the same post, or the same words, about the same person) and who the
people it names are (`import_chunk` in bulk.py then writes the plan)."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from fairhearing.cases.models import Allegation, Case, Complaint
from fairhearing.evidence.models import EvidenceItem
from fairhearing.linking import minhash
from fairhearing.linking.models import Band, CaseLink, Fingerprint
from fairhearing.linking.queries import SAME_TEXT, name_key, respondent_matches
from fairhearing.people.models import Person
from fairhearing.people.services import (
    PersonDetails,
    people_find_or_create,
)

from . import read


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


def duplicates_find(organisation_id: int, plans: list[Plan]) -> None:
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


def people_find(organisation_id: int, plans: list[Plan]) -> None:
    """Each new case's respondent: the member with that membership number, or a new person."""
    people = people_find_or_create(
        organisation_id=organisation_id, details=[p.respondent for p in plans]
    )
    for plan, found in zip(plans, people, strict=True):
        plan.respondent_person, plan.filled = found.person, found.filled
