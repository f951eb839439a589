from django.db.models import QuerySet

from fairhearing.interests.models import BiasChallenge, Recusal

from .models import AccessAttempt, Approach, Verification


def register_attempts(organisation_id: int) -> QuerySet[AccessAttempt]:
    """Refused attempts by this organisation's users (or anonymous ones)."""
    return (
        AccessAttempt.objects.filter(user__organisation_id=organisation_id)
        .select_related("user", "case")
        .order_by("-at")
    )


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
