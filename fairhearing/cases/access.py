"""The only way a view or the API reaches a case: need-to-know, by construction (R-30).

`POLICY` is the one declared table of who may do what; `tests/test_access_matrix.py` checks
every route against it. A refusal looks exactly like a case that does not exist (404), and
is recorded in the interference register and on the ledger.
"""

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from fairhearing.accounts.models import CASEWORK_ROLES, Role
from fairhearing.interests.queries import cases_without_conflict
from fairhearing.oversight.services import access_attempt_record
from fairhearing.panels.models import Seat

from .models import Assignment, Case
from .queries import search_named

Action = Literal["view", "act"]
Relation = Literal["assigned", "unassigned", "seated", "any"]

NOT_FOUND = "No case with that reference is open to you."
NO_CASES_FOR_ROLE = "Your role does not give access to individual cases."
NO_ASSIGNING_FOR_ROLE = "Your role does not let you assign cases."

# role -> relation to the case -> actions that relation allows.
#   assigned:   on the case team now
#   unassigned: the case has no team yet (the triage queue)
#   seated:     sitting on one of the case's panels, after affirming no conflict
#   any:        whatever the relation
POLICY: dict[str, dict[Relation, frozenset[Action]]] = {
    Role.CASE_OFFICER: {
        "assigned": frozenset({"view", "act"}),
        "unassigned": frozenset({"view", "act"}),
    },
    Role.INVESTIGATOR: {"assigned": frozenset({"view", "act"})},
    Role.PANEL_MEMBER: {"seated": frozenset({"view"})},
    Role.OVERSIGHT: {"any": frozenset({"view"})},
    Role.GOVERNING_BODY: {},
    Role.ADMINISTRATOR: {},
}
# Oversight reads everything; everyone else is kept off cases they are close to.
CONFLICT_EXEMPT = frozenset({Role.OVERSIGHT})


class CaseNotFound(Http404):
    pass


def _active_assignments(user: Any) -> QuerySet[Assignment]:
    return Assignment.objects.filter(case=OuterRef("pk"), user=user, ended_at__isnull=True)


def _affirmed_seats(user: Any) -> Any:

    return Seat.objects.filter(
        panel__case=OuterRef("pk"),
        panel__dissolved_at__isnull=True,
        user=user,
        left_at__isnull=True,
        affirmed_at__isnull=False,
    )


def _relation_filter(user: Any, relation: Relation) -> Q:
    if relation == "assigned":
        return Q(Exists(_active_assignments(user)))
    if relation == "unassigned":
        return ~Q(Exists(Assignment.objects.filter(case=OuterRef("pk"), ended_at__isnull=True)))
    if relation == "seated":
        return Q(Exists(_affirmed_seats(user)))
    return Q(pk__isnull=False)  # any case of the organisation


def cases_visible_to(user: Any, action: Action = "view") -> QuerySet[Case]:
    """Every case this user may take `action` on: the same rule as `case_for`, in SQL."""

    if not user.is_authenticated or user.organisation_id is None:
        return Case.objects.none()
    relations = [rel for rel, actions in POLICY.get(user.role, {}).items() if action in actions]
    if not relations:
        return Case.objects.none()
    condition = Q(pk__in=[])
    for relation in relations:
        condition |= _relation_filter(user, relation)
    cases = Case.objects.filter(condition, organisation_id=user.organisation_id)
    if user.role not in CONFLICT_EXEMPT:
        cases = cases_without_conflict(user, cases)
    return cases


def _allowed(user: Any, case: Case, action: Action) -> bool:
    return cases_visible_to(user, action).filter(pk=case.pk).exists()


def case_for(
    user: Any, reference: str, *, action: Action = "view", request: HttpRequest | None = None
) -> Case:
    """The case, if this user may take this action on it; otherwise record and refuse (404)."""

    case = Case.objects.select_related("rulebook", "respondent").filter(reference=reference).first()
    if case is None or not _allowed(user, case, action):
        access_attempt_record(
            user=user, reference=reference, action=action, case=case, request=request
        )
        raise CaseNotFound(NOT_FOUND)
    return case


def cases_for(
    user: Any, references: list[str], *, action: Action = "act", request: HttpRequest | None = None
) -> tuple[list[Case], list[str]]:
    """`case_for` for many references at once (a bulk action): the cases this user may take
    `action` on, in the order named, and the references refused, each recorded as `case_for`
    records one. A reference named twice counts once."""

    named = list(dict.fromkeys(reference.strip() for reference in references if reference.strip()))
    found = {
        case.reference: case
        for case in cases_visible_to(user, action)
        .filter(reference__in=named)
        .select_related("rulebook", "respondent")
    }
    refused = [reference for reference in named if reference not in found]
    if refused:
        existing = {case.reference: case for case in Case.objects.filter(reference__in=refused)}
        for reference in refused:
            access_attempt_record(
                user=user,
                reference=reference,
                action=action,
                case=existing.get(reference),
                request=request,
            )
    return [found[reference] for reference in named if reference in found], refused


def acts_on_cases(user: Any) -> bool:
    """Whether the user's role lets them act on any case (and so assign cases in bulk)."""
    return user.organisation_id is not None and any(
        "act" in actions for actions in POLICY.get(user.role, {}).values()
    )


def bulk_assigner(user: Any) -> Any:
    """The user, if their role acts on cases; otherwise refused (recorded by the refusal
    middleware). Each case is then reached through `cases_for`."""
    if not user.is_authenticated or not acts_on_cases(user):
        raise PermissionDenied(NO_ASSIGNING_FOR_ROLE)
    return user


def case_list_reader(user: Any) -> Any:
    """The user, if their role gives access to cases at all; otherwise refused (recorded by
    the refusal middleware or the API's handler)."""
    if user.organisation_id is None or not POLICY.get(user.role):
        raise PermissionDenied(NO_CASES_FOR_ROLE)
    return user


def works_own_cases(user: Any) -> bool:
    """Whether the case list opens on the user's own cases ("Assigned to me"): caseworkers,
    who are put on case teams."""
    return user.role in CASEWORK_ROLES


def search_refusals_record(user: Any, search: str, request: HttpRequest | None = None) -> None:
    """A search or filter that names cases of the organisation outside the user's need-to-know
    is a refused attempt too: recorded, while the list shows only what they may see (so the
    answer is the same whether such a case exists or not). Named: by a reference, or a
    person's whole name or membership number (`search_named`). Part of a name or the start of
    a reference names nobody in particular and is not recorded: "sam" would otherwise record
    every officer who looks for their own Samira."""

    if not search.strip() or user.organisation_id is None:
        return
    found = search_named(search, organisation_id=user.organisation_id)
    if not found:
        return
    seen = set(cases_visible_to(user).filter(pk__in=found).values_list("pk", flat=True))
    hidden = list(
        Case.objects.filter(pk__in=found - seen, organisation_id=user.organisation_id).order_by(
            "pk"
        )[:2]
    )
    if hidden:
        access_attempt_record(
            user=user,
            reference=hidden[0].reference if len(hidden) == 1 else "",
            action="search",
            case=hidden[0] if len(hidden) == 1 else None,
            request=request,
        )


def user_may_act(user: Any, case: Case) -> bool:
    return _allowed(user, case, "act")
