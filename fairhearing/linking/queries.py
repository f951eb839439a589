"""Finding the same post and related cases: the reads intake, dossiers and the pages share."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from fairhearing.cases.models import Case
from fairhearing.organisations.models import Organisation
from fairhearing.people.models import Person
from fairhearing.people.services import PersonDetails

from . import minhash
from .models import Band, CaseLink, Fingerprint

# Near-identical: the same post's words, give or take punctuation, a signature or a typo.
SAME_TEXT = 0.9
# Worth a look by staff.
SUGGEST = 0.5
CANDIDATE_LIMIT = 50


@dataclass(frozen=True)
class Match:
    fingerprint: Fingerprint
    score: float


@dataclass(frozen=True)
class Suggestion:
    case: Case
    score: float
    reasons: tuple[str, ...]


def name_key(value: str) -> str:
    """A name as compared: case and spacing aside."""
    return " ".join(value.casefold().split())


def respondent_matches(person: Person | PersonDetails, details: PersonDetails) -> bool:
    """The case's respondent is the person described: same membership number when both have
    one, otherwise the same name (case and spacing aside)."""
    number = details.membership_number.strip()
    theirs = person.membership_number.strip()
    if number and theirs:
        return number == theirs
    return name_key(person.full_name) == name_key(details.full_name)


def merged_away() -> Exists:
    return Exists(
        CaseLink.objects.filter(
            other=OuterRef("case"), kind=CaseLink.Kind.MERGE, undone_at__isnull=True
        )
    )


def _candidates(
    organisation_id: int,
    bands: list[tuple[int, int]],
    sources: Iterable[str] | None,
    min_hits: int,
) -> list[int]:
    """Fingerprint ids sharing at least `min_hits` bands, most shared first: one query on the
    (band, value) index. Plain SQL: the ORM's cost of building sixteen OR-ed filters was
    larger than the query's."""
    band_table, print_table = Band._meta.db_table, Fingerprint._meta.db_table
    matches = " OR ".join(["(b.band = %s AND b.value = %s)"] * len(bands))
    params: list[Any] = [x for pair in bands for x in pair] + [organisation_id]
    source_filter = ""
    if sources is not None:
        chosen = list(sources)
        source_filter = f" AND f.source IN ({', '.join(['%s'] * len(chosen))})"
        params += chosen
    params += [min_hits, CANDIDATE_LIMIT]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT b.fingerprint_id FROM {band_table} b"  # noqa: S608 - no outside text
            f" JOIN {print_table} f ON f.id = b.fingerprint_id"
            f" WHERE ({matches}) AND f.organisation_id = %s{source_filter}"
            " GROUP BY b.fingerprint_id HAVING COUNT(*) >= %s"
            " ORDER BY COUNT(*) DESC, b.fingerprint_id LIMIT %s",
            params,
        )
        return [row[0] for row in cursor.fetchall()]


def similar(
    organisation: Organisation,
    text: str,
    *,
    sources: Iterable[str] | None = None,
    threshold: float = SUGGEST,
    within: QuerySet[Fingerprint] | None = None,
) -> list[Match]:
    """Fingerprints whose text is at least `threshold` similar (exact Jaccard), best first.

    LSH gives the candidates: fingerprints sharing at least one band (two when looking for
    near-identical text), ranked by how many bands they share, the best CANDIDATE_LIMIT kept.
    One indexed query whatever the number of cases; exact Jaccard then confirms each."""
    if not minhash.usable(text):
        return []
    parts = minhash.shingles(text)
    # Texts with similarity s share a band with probability s**ROWS: at 0.9 that is 0.43, so
    # a true near-duplicate shares about 7 of 16 bands, and two is a safe floor.
    min_hits = 2 if threshold >= 0.8 else 1
    ranked = _candidates(organisation.pk, minhash.bands(parts), sources, min_hits)
    if not ranked:
        return []
    queryset = within if within is not None else Fingerprint.objects.all()
    found = []
    for fingerprint in queryset.filter(pk__in=ranked).select_related("case"):
        score = minhash.jaccard(parts, minhash.shingles(fingerprint.text))
        if score >= threshold:
            found.append(Match(fingerprint, round(score, 3)))
    return sorted(found, key=lambda m: (-m.score, m.fingerprint.pk))


@dataclass
class Sought:
    """One person a new complaint names, and the post it is about: the case it belongs to, if
    one is open about the same post and person (`duplicates_find` fills in where it goes)."""

    respondent: PersonDetails
    key: str = ""  # the post's key (`evidence.posts.post_key`)
    post_text: str = ""  # the post's words, if captured
    # Which complaint of the batch names it, and whether its post's words are kept as evidence
    # on the case it opens (then a later complaint with the same words joins that case).
    complaint_index: int = 0
    captured: bool = False
    parts: set[str] = field(default_factory=set)
    bands: list[tuple[int, int]] = field(default_factory=list)
    # Where it goes: an open case, an earlier one of the batch (whose case does not exist
    # yet), or, if neither, a new case.
    existing: Case | None = None
    earlier: "Sought | None" = None
    reason: str = ""
    score: float = 0.0


def _open_fingerprints(organisation_id: int) -> QuerySet[Fingerprint]:
    return Fingerprint.objects.filter(
        organisation_id=organisation_id, case__closed_at__isnull=True
    ).exclude(merged_away())


def _text_candidates(organisation_id: int, sought: list[Sought]) -> dict[int, list[Fingerprint]]:
    """For each of `sought` (by index), the open-case evidence fingerprints sharing two or more
    bands with its text: one query for the whole batch. (Texts with similarity s share a band
    with probability s**ROWS: at 0.9 that is 0.43, so a true near-duplicate shares about 7 of
    16 bands, and two is a safe floor.)"""
    wanted = {(b, v) for s in sought for b, v in s.bands}
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
    # PostgreSQL takes the batch's values as one array; SQLite as a list, within its limit on
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
    per_item: dict[int, list[int]] = {}
    for index, item in enumerate(sought):
        hits: dict[int, int] = defaultdict(int)
        for pair in item.bands:
            for fingerprint_id in found.get(pair, ()):
                hits[fingerprint_id] += 1
        per_item[index] = [fid for fid, n in hits.items() if n >= 2]
    ids = {fid for fids in per_item.values() for fid in fids}
    prints = {
        f.pk: f
        for f in _open_fingerprints(organisation_id)
        .filter(pk__in=ids)
        .select_related("case__respondent")
    }
    return {i: [prints[f] for f in fids if f in prints] for i, fids in per_item.items()}


def duplicates_find(organisation_id: int, sought: list[Sought]) -> None:
    """Where each of `sought` goes, in turn (R-07): the open case about the same post (its key)
    or the same words (Jaccard >= SAME_TEXT with a captured post) and the same person; else
    an earlier one of the batch it repeats; else a new case. The one de-duplication: one
    complaint, a queued batch or a dossier's chunk, a few queries for all."""
    worded = [s for s in sought if s.post_text and minhash.usable(s.post_text)]
    for item in worded:
        item.parts = minhash.shingles(item.post_text)
    for item, bands in zip(worded, minhash.bands_many([s.parts for s in worded]), strict=True):
        item.bands = bands
    keys = {s.key for s in sought if s.key}
    by_key: dict[str, list[Fingerprint]] = defaultdict(list)
    if keys:
        for fingerprint in (
            _open_fingerprints(organisation_id)
            .filter(post_key__in=keys)
            .select_related("case__respondent")
            .order_by("pk")
        ):
            by_key[fingerprint.post_key].append(fingerprint)
    texts = _text_candidates(organisation_id, sought)
    by_number: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    for index, item in enumerate(sought):
        for fingerprint in by_key.get(item.key, []):
            if respondent_matches(fingerprint.case.respondent, item.respondent):
                item.existing, item.reason, item.score = fingerprint.case, "same_url", 1.0
                break
        if item.existing is None and item.parts:
            best: tuple[float, int, Case] | None = None
            for fingerprint in texts.get(index, []):
                score = minhash.jaccard(item.parts, minhash.shingles(fingerprint.text))
                if score >= SAME_TEXT and respondent_matches(
                    fingerprint.case.respondent, item.respondent
                ):
                    candidate = (-score, fingerprint.pk, fingerprint.case)
                    best = min(best, candidate, key=lambda c: c[:2]) if best else candidate
            if best is not None:
                item.existing, item.reason, item.score = best[2], "same_text", round(-best[0], 3)
        if item.existing is not None:
            continue
        # The batch's own earlier ones (their cases do not exist yet), found through an index
        # by membership number and by name: comparing each with every earlier one grew with
        # the square of the batch.
        number, name = (
            item.respondent.membership_number.strip(),
            name_key(item.respondent.full_name),
        )
        candidates = sorted(
            set(by_number.get(number, []) if number else []) | set(by_name.get(name, []))
        )
        for position in candidates:
            earlier = sought[position]
            if not respondent_matches(earlier.respondent, item.respondent):
                continue
            if item.key and item.key == earlier.key:
                item.earlier, item.reason, item.score = earlier, "same_url", 1.0
                break
            # The same words match a post kept as evidence, which an earlier complaint's case
            # has once that complaint is recorded (not one of the same complaint's own).
            if (
                item.parts
                and earlier.parts
                and earlier.captured
                and earlier.complaint_index != item.complaint_index
            ):
                score = minhash.jaccard(item.parts, earlier.parts)
                if score >= SAME_TEXT:
                    item.earlier, item.reason, item.score = earlier, "same_text", round(score, 3)
                    break
        if item.earlier is None:  # a new case: later ones of the batch may join it
            if number:
                by_number.setdefault(number, []).append(index)
            by_name.setdefault(name, []).append(index)


def same_post_case(
    *, organisation: Organisation, respondent: PersonDetails, post_key: str, post_text: str = ""
) -> tuple[Case, str, float] | None:
    """The open case about this post and this person, if there is one: a new complaint about
    it joins that case instead of opening another (R-07). `duplicates_find` for one."""
    item = Sought(respondent=respondent, key=post_key, post_text=post_text)
    duplicates_find(organisation.pk, [item])
    return (item.existing, item.reason, item.score) if item.existing is not None else None


def links_of(case: Case) -> QuerySet[CaseLink]:
    return (
        CaseLink.objects.filter(Q(case=case) | Q(other=case))
        .select_related("case", "other", "created_by", "undone_by")
        .order_by("-created_at")
    )


def related_cases(case: Case, *, limit: int = 20) -> list[Suggestion]:
    """Cases staff might link or merge with this one, with a score and the reasons."""
    found: dict[int, tuple[float, set[str]]] = {}

    def note(other: Case, score: float, reason: str) -> None:
        best, reasons = found.get(other.pk, (0.0, set()))
        found[other.pk] = (max(best, score), reasons | {reason})

    respondent = case.respondent
    same_person = Q(respondent=respondent)
    # Encrypted: matched by keyed hash (the name's is case- and space-insensitive, like iexact).
    if respondent.membership_number_hash:
        same_person |= Q(respondent__membership_number_hash=respondent.membership_number_hash)
    elif respondent.full_name_hash:
        same_person |= Q(respondent__full_name_hash=respondent.full_name_hash)
    others = Case.objects.filter(organisation=case.organisation_id).exclude(pk=case.pk)
    by_pk: dict[int, Case] = {}
    for other in others.filter(same_person).select_related("respondent")[:limit]:
        by_pk[other.pk] = other
        note(other, 1.0, "same respondent")
    mine = list(Fingerprint.objects.filter(case=case))
    keys = {f.post_key for f in mine if f.post_key}
    if keys:
        for fingerprint in (
            Fingerprint.objects.filter(organisation=case.organisation_id, post_key__in=keys)
            .exclude(case=case)
            .select_related("case")[:limit]
        ):
            by_pk[fingerprint.case_id] = fingerprint.case
            note(fingerprint.case, 1.0, "same post")
    for fingerprint in mine:
        for match in similar(case.organisation, fingerprint.text):
            if match.fingerprint.case_id != case.pk:
                by_pk[match.fingerprint.case_id] = match.fingerprint.case
                note(match.fingerprint.case, match.score, "similar text")
    live = {
        pk
        for link in links_of(case).filter(undone_at__isnull=True)
        for pk in (link.case_id, link.other_id)
    }
    suggestions = [
        Suggestion(by_pk[pk], score, tuple(sorted(reasons)))
        for pk, (score, reasons) in found.items()
        if pk not in live
    ]
    return sorted(suggestions, key=lambda s: (-s.score, s.case.reference))[:limit]
