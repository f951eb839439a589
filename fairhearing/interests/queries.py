"""Who is too close to a case to handle it (R-25)."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from fairhearing.cases.models import Assignment, Case, Party
from fairhearing.people.models import person_hash

from .models import Declaration


def active_declarations(user: Any) -> QuerySet[Declaration]:
    return Declaration.objects.filter(user=user, withdrawn_at__isnull=True).select_related(
        "person", "branch"
    )


def _touching(user: Any) -> tuple[set[int], set[int], set[str]]:
    people, branches, names = set(), set(), set()
    for declaration in active_declarations(user):
        if declaration.person_id:
            people.add(declaration.person_id)
        if declaration.branch_id:
            branches.add(declaration.branch_id)
        if declaration.kind in {Declaration.Kind.ORGANISATION, Declaration.Kind.GROUP}:
            names.add(declaration.text.strip().lower())
    if getattr(user, "branch_id", None):
        branches.add(user.branch_id)
    return people, branches, names


def _party_condition(people: set[int], branches: set[int], names: set[str], prefix: str) -> Q:
    condition = Q(**{f"{prefix}_id__in": people}) | Q(**{f"{prefix}__branch_id__in": branches})
    if names:  # names are encrypted: matched by their keyed hash (same as iexact, and more)
        hashes = {person_hash("full_name", name) for name in names}
        condition |= Q(**{f"{prefix}__full_name_hash__in": hashes - {""}})
    return condition


def cases_without_conflict(user: Any, cases: QuerySet[Case]) -> QuerySet[Case]:
    """`cases` less those a declaration (or the user's own branch) touches, and those the
    user stepped aside from or was removed from on a challenge."""
    from .models import BiasChallenge, Recusal

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
    return cases.exclude(_party_condition(people, branches, names, "respondent")).exclude(
        Exists(touched_party)
    )


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
    return reasons


def user_on_case(user: Any, case: Case) -> bool:
    """On the case team, or on one of its sitting panels (affirmed or not)."""
    from fairhearing.cases.models import Assignment
    from fairhearing.panels.models import Seat

    return (
        Assignment.objects.filter(case=case, user=user, ended_at__isnull=True).exists()
        or Seat.objects.filter(
            panel__case=case, panel__dissolved_at__isnull=True, user=user, left_at__isnull=True
        ).exists()
    )


def team_and_panel_members(case: Case) -> list[tuple[int, str]]:
    """Who is on the case team or a sitting panel, as (user id, name), for a challenge."""
    from fairhearing.accounts.models import User
    from fairhearing.panels.models import Seat

    ids = set(
        Assignment.objects.filter(case=case, ended_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    ids |= set(
        Seat.objects.filter(
            panel__case=case, panel__dissolved_at__isnull=True, left_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    return [(u.pk, u.display_name) for u in User.objects.filter(pk__in=ids).order_by("first_name")]


def case_parties(case: Case) -> list[tuple[int, str]]:
    """The respondent and the other parties, as (person id, label)."""
    people = [(case.respondent_id, f"{case.respondent.full_name} (respondent)")]
    people += [
        (p.person_id, f"{p.person.full_name} ({p.get_role_display().lower()})")
        for p in case.parties.select_related("person")
    ]
    return people
