import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from fairhearing.accounts.models import Role
from fairhearing.interests.models import BiasChallenge, Recusal

from .models import AccessAttempt, Approach, Verification


def register_approaches(organisation_id: int) -> QuerySet[Approach]:
    return (
        Approach.objects.filter(case__organisation_id=organisation_id)
        .select_related("case", "recorded_by")
        .order_by("-recorded_at")
    )


def register_recusals(organisation_id: int) -> QuerySet[Recusal]:
    return (
        Recusal.objects.filter(case__organisation_id=organisation_id)
        .select_related("case", "user")
        .order_by("-at")
    )


def register_challenges(organisation_id: int) -> QuerySet[BiasChallenge]:
    return (
        BiasChallenge.objects.filter(case__organisation_id=organisation_id)
        .select_related("case", "challenged", "raised_by", "decided_by")
        .order_by("-raised_at")
    )


def register_verifications(organisation_id: int) -> QuerySet[Verification]:
    """Pending verifications first, then the latest decided."""
    return (
        Verification.objects.filter(case__organisation_id=organisation_id)
        .select_related("case__rulebook", "stage_change", "decided_by")
        .order_by("-status", "-pk")
    )


# The register's kinds of entry, each with where its time, person, role and case live, and
# the words for it. The page and the API page through each with the same filters.
@dataclass(frozen=True)
class RegisterKind:
    key: str
    label: str
    at: str  # the field holding when it happened
    user: str  # the field holding the person it is about
    role: str  # that person's role
    case: str  # the field holding the case's reference


REGISTER_KINDS = {
    k.key: k
    for k in (
        RegisterKind("attempts", "Refused attempts", "at", "user", "role", "case__reference"),
        RegisterKind(
            "approaches",
            "Approaches",
            "recorded_at",
            "recorded_by",
            "recorded_by__role",
            "case__reference",
        ),
        RegisterKind("recusals", "Recusals", "at", "user", "user__role", "case__reference"),
        RegisterKind(
            "challenges",
            "Challenges for bias",
            "raised_at",
            "challenged",
            "challenged__role",
            "case__reference",
        ),
        RegisterKind(
            "verifications",
            "Decisions held for verification",
            "stage_change__at",
            "decided_by",
            "decided_by__role",
            "case__reference",
        ),
    )
}


@dataclass(frozen=True)
class RegisterFilters:
    user_id: int | None = None
    role: str = ""
    case: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    action: str = ""  # refused attempts only: what was tried

    @property
    def any(self) -> bool:
        return bool(
            self.user_id or self.role or self.case or self.since or self.until or self.action
        )


def _register_base(organisation_id: int, kind: str) -> QuerySet[Any]:
    if kind == "attempts":
        # Anonymous attempts at an address naming no case belong to no organisation: every
        # organisation's oversight sees them.
        return AccessAttempt.objects.filter(
            Q(organisation_id=organisation_id) | Q(organisation__isnull=True)
        ).select_related("user", "case")
    return {
        "approaches": register_approaches,
        "recusals": register_recusals,
        "challenges": register_challenges,
        "verifications": register_verifications,
    }[kind](organisation_id)


def register_entries(
    organisation_id: int, kind: str, filters: RegisterFilters | None = None
) -> QuerySet[Any]:
    """One kind of register entry, filtered, newest first (pending verifications first)."""
    spec = REGISTER_KINDS[kind]
    filters = filters or RegisterFilters()
    rows = _register_base(organisation_id, kind)
    if filters.user_id:
        rows = rows.filter(**{f"{spec.user}_id": filters.user_id})
    if filters.role:
        rows = rows.filter(**{spec.role: filters.role})
    if filters.case:
        term = filters.case.strip().upper()
        found = Q(**{spec.case: term})
        if kind == "attempts":
            found |= Q(reference__iexact=term)
        rows = rows.filter(found)
    if filters.since:
        rows = rows.filter(**{f"{spec.at}__date__gte": filters.since})
    if filters.until:
        rows = rows.filter(**{f"{spec.at}__date__lte": filters.until})
    if filters.action and kind == "attempts":
        rows = rows.filter(action=filters.action)
    if kind == "verifications":
        return rows.order_by("-status", f"-{spec.at}", "-pk")  # "pending" sorts first
    return rows.order_by(f"-{spec.at}", "-pk")


def register_counts(organisation_id: int, filters: RegisterFilters | None = None) -> dict[str, int]:
    """How many entries of each kind match the filters."""
    return {key: register_entries(organisation_id, key, filters).count() for key in REGISTER_KINDS}


def register_pending(organisation_id: int) -> QuerySet[Verification]:
    """Decisions held for oversight's verification, the oldest waiting first."""
    return (
        register_verifications(organisation_id)
        .filter(status=Verification.Status.PENDING)
        .order_by("stage_change__at", "pk")
    )


def verifications_awaiting(user: Any) -> QuerySet[Verification]:
    """The decisions held for verification that wait for `user`: every pending one of their
    organisation for oversight, who alone verify or veto (`services.verification_decide`);
    none for anyone else."""
    if getattr(user, "role", None) != Role.OVERSIGHT:
        return Verification.objects.none()
    return Verification.objects.filter(
        status=Verification.Status.PENDING, case__organisation_id=user.organisation_id
    )
