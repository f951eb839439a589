"""Who is too close to a case to handle it (R-25)."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.formats import date_format

from fairhearing.cases.models import Case, Party
from fairhearing.people.models import Affiliation, affiliation_hash, person_hash

from .models import BiasChallenge, Declaration, Recusal


def active_declarations(user: Any) -> QuerySet[Declaration]:
    return Declaration.objects.filter(user=user, withdrawn_at__isnull=True).select_related(
        "person", "branch"
    )


NAMED_BODIES = {Declaration.Kind.ORGANISATION, Declaration.Kind.GROUP}


def _touching(user: Any) -> tuple[set[int], set[int], set[str]]:
    people, branches, names = set(), set(), set()
    for declaration in active_declarations(user):
        if declaration.person_id:
            people.add(declaration.person_id)
        if declaration.branch_id:
            branches.add(declaration.branch_id)
        if declaration.kind in NAMED_BODIES:
            names.add(declaration.text.strip().lower())
    if getattr(user, "branch_id", None):
        branches.add(user.branch_id)
    return people, branches, names


def _group_hashes(names: set[str]) -> set[str]:
    """The affiliation lookup hashes of the groups and organisations declared: matched on
    the name normalised (case, Unicode forms and runs of spaces aside), as no shared group
    entity exists for a declaration and an affiliation to point to."""
    return {affiliation_hash(name) for name in names} - {""}


def _affiliated(groups: set[str]) -> QuerySet[Affiliation]:
    return Affiliation.objects.filter(name_hash__in=groups, ended_at__isnull=True)


def _party_condition(people: set[int], branches: set[int], names: set[str], prefix: str) -> Q:
    condition = Q(**{f"{prefix}_id__in": people}) | Q(**{f"{prefix}__branch_id__in": branches})
    if names:  # names are encrypted: matched by their keyed hash (same as iexact, and more)
        hashes = {person_hash("full_name", name) for name in names}
        condition |= Q(**{f"{prefix}__full_name_hash__in": hashes - {""}})
    return condition


def cases_without_conflict(user: Any, cases: QuerySet[Case]) -> QuerySet[Case]:
    """`cases` less those a declaration (or the user's own branch) touches, and those the
    user stepped aside from or was removed from on a challenge."""

    cases = cases.exclude(Exists(Recusal.objects.filter(case=OuterRef("pk"), user=user))).exclude(
        Exists(
            BiasChallenge.objects.filter(
                case=OuterRef("pk"), challenged=user, decision=BiasChallenge.Decision.UPHELD
            )
        )
    )
    people, branches, names = _touching(user)
    if not (people or branches or names):
        return cases
    touched_party = Party.objects.filter(
        _party_condition(people, branches, names, "person"), case=OuterRef("pk")
    )
    cases = cases.exclude(_party_condition(people, branches, names, "respondent")).exclude(
        Exists(touched_party)
    )
    if groups := _group_hashes(names):
        # A respondent or complainant who belongs to a group the user declared an interest
        # in: still subqueries of the same statement, so a list stays one query.
        affiliated = _affiliated(groups)
        cases = cases.exclude(
            Exists(affiliated.filter(person_id=OuterRef("respondent_id")))
        ).exclude(
            Exists(
                Party.objects.filter(
                    case=OuterRef("pk"),
                    role=Party.Role.COMPLAINANT,
                    person__in=affiliated.values("person_id"),
                )
            )
        )
    return cases


def conflicts_for(user: Any, case: Case) -> list[str]:
    """Why this user must not handle this case, as phrases (empty when there is no conflict)."""
    reasons = []
    parties = [("the respondent", case.respondent)] + [
        (f"a {p.get_role_display().lower()}", p.person)
        for p in case.parties.select_related("person__branch")
    ]
    user_branch = getattr(user, "branch_id", None)
    declarations = list(active_declarations(user))
    for label, person in parties:
        for declaration in declarations:
            if declaration.person_id == person.pk:
                reasons.append(f"declared an interest in {label}, {person.full_name}")
            elif declaration.branch_id and declaration.branch_id == person.branch_id:
                reasons.append(
                    f"declared an interest in {declaration.branch}, the branch of {label}"
                )
            elif (
                declaration.kind in {Declaration.Kind.ORGANISATION, Declaration.Kind.GROUP}
                and declaration.text.strip().lower() == person.full_name.strip().lower()
            ):
                reasons.append(f"declared an interest in {label}, {person.full_name}")
        if user_branch and user_branch == person.branch_id:
            reasons.append(f"belongs to the same branch as {label}")
    reasons += _affiliation_conflicts(declarations, case)
    return reasons


def _affiliation_conflicts(declarations: list[Declaration], case: Case) -> list[str]:
    """A declared interest in a group or organisation that the respondent or a complainant
    belongs to (or works for), as phrases."""
    declared = {affiliation_hash(d.text): d.text for d in declarations if d.kind in NAMED_BODIES}
    declared.pop("", None)
    if not declared:
        return []
    labels = {case.respondent_id: "the respondent"} | {
        p.person_id: "a complainant" for p in case.parties.filter(role=Party.Role.COMPLAINANT)
    }
    reasons = []
    for affiliation in (
        _affiliated(set(declared))
        .filter(person_id__in=labels)
        .select_related("person")
        .order_by("pk")
    ):
        joined = (
            "works for it" if affiliation.kind == Affiliation.Kind.EMPLOYER else "belongs to it"
        )
        reasons.append(
            f"declared an interest in {declared[affiliation.name_hash]}, and "
            f"{labels[affiliation.person_id]}, {affiliation.person.full_name}, {joined} "
            f"({affiliation.get_kind_display().lower()}, on record from "
            f"{date_format(affiliation.source_date, 'j F Y')})"
        )
    return reasons


def case_parties(case: Case) -> list[tuple[int, str]]:
    """The respondent and the other parties, as (person id, label)."""
    people = [(case.respondent_id, f"{case.respondent.full_name} (respondent)")]
    people += [
        (p.person_id, f"{p.person.full_name} ({p.get_role_display().lower()})")
        for p in case.parties.select_related("person")
    ]
    return people


def excluded_from_case(case: Case) -> set[int]:
    """Users who stepped aside or whose challenge was upheld: never back on this case."""
    recused = set(Recusal.objects.filter(case=case).values_list("user_id", flat=True))
    removed = set(
        BiasChallenge.objects.filter(case=case, decision=BiasChallenge.Decision.UPHELD).values_list(
            "challenged_id", flat=True
        )
    )
    return recused | removed
