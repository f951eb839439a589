from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from fairhearing.cases.models import Case
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


@dataclass(frozen=True)
class RowOutcome:
    """What became of a row's complaint: the case opened for each person it names, and the
    cases already open that it joined (the same post about the same person), in row order."""

    opened: list[tuple[Any, str]]  # (case, the respondent's name)
    joined: list[tuple[Any, str]]

    @property
    def words(self) -> str:
        """'2 cases opened: FH-… (Ada One), FH-… (Bo Two)', as the report and the API say it."""
        parts = []
        if self.opened:
            count = len(self.opened)
            listed = ", ".join(f"{case.reference} ({name})" for case, name in self.opened)
            parts.append(f"{count} case{'s' if count != 1 else ''} opened: {listed}")
        if self.joined:
            listed = ", ".join(f"{case.reference} ({name})" for case, name in self.joined)
            parts.append(f"joined {listed}, already open about the same post")
        words = "; ".join(parts)
        return words[:1].upper() + words[1:]


def dossier_rows(dossier: Dossier) -> QuerySet[DossierRow]:
    """The dossier's rows, with what `row_outcome` reads."""
    return (
        DossierRow.objects.filter(dossier=dossier)
        .select_related("duplicate_of", "complaint")
        .prefetch_related(
            Prefetch("complaint__cases", queryset=Case.objects.select_related("respondent")),
            "complaint__groupings",
        )
        .order_by("number")
    )


def row_outcome(row: DossierRow) -> RowOutcome | None:
    """None for a row that made no complaint (rejected)."""
    if row.complaint is None:
        return None
    cases = sorted(row.complaint.cases.all(), key=lambda c: c.pk)
    by_pk = {case.pk: case for case in cases}
    joined_ids = [g.case_id for g in sorted(row.complaint.groupings.all(), key=lambda g: g.pk)]
    return RowOutcome(
        opened=[(c, c.respondent.full_name) for c in cases if c.pk not in joined_ids],
        joined=[(by_pk[pk], by_pk[pk].respondent.full_name) for pk in joined_ids if pk in by_pk],
    )
