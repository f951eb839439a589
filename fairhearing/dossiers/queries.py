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
