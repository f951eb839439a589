"""Finding the same post and related cases: the reads intake, dossiers and the pages share."""

from collections.abc import Iterable
from dataclasses import dataclass
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


def same_post_case(
    *, organisation: Organisation, respondent: PersonDetails, post_key: str, post_text: str = ""
) -> tuple[Case, str, float] | None:
    """The open case about this post and this person, if there is one: a new complaint about
    it joins that case instead of opening another (R-07)."""
    open_cases = Fingerprint.objects.filter(
        organisation=organisation, case__closed_at__isnull=True
    ).exclude(merged_away())
    if post_key:
        for fingerprint in open_cases.filter(post_key=post_key).select_related("case__respondent"):
            if respondent_matches(fingerprint.case.respondent, respondent):
                return fingerprint.case, "same_url", 1.0
    if post_text:
        for match in similar(
            organisation,
            post_text,
            sources=[Fingerprint.Source.EVIDENCE],
            threshold=SAME_TEXT,
            within=open_cases,
        ):
            case = match.fingerprint.case
            if respondent_matches(case.respondent, respondent):
                return case, "same_text", match.score
    return None


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
