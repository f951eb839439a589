from typing import Any

from django.db.models import Count, Q, QuerySet

from fairhearing.organisations.models import Organisation

from .models import Dossier, DossierRow


def dossiers_of(organisation: Organisation | int) -> QuerySet[Dossier]:
    return (
        Dossier.objects.filter(organisation=organisation)
        .select_related("source", "uploaded_by")
        .annotate(
            accepted=Count("rows", filter=Q(rows__status=DossierRow.Status.ACCEPTED)),
            duplicates=Count("rows", filter=Q(rows__status=DossierRow.Status.DUPLICATE)),
            rejected=Count("rows", filter=Q(rows__status=DossierRow.Status.REJECTED)),
        )
        .order_by("-uploaded_at")
    )


def dossier_task_detail(args: list[Any], organisation_id: int | None) -> str | None:
    """Which dossier an import task was for, for the status page; None if another
    organisation's (it is not shown)."""
    dossier = Dossier.objects.filter(pk=args[0]).values("organisation_id", "filename").first()
    if dossier is None or dossier["organisation_id"] != organisation_id:
        return None
    return f"Dossier “{dossier['filename']}”"
