"""Reads of the case team's working file, shared by the case page, the notes page, the next
step panel (workflow.steps), the portal and subject access."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from fairhearing.cases.models import Case
from fairhearing.organisations.rulebook import ChecklistItem

from .models import AUDIENCE_ROLES, ChecklistTick, FileNote

NO_SUCH_NOTE = "No file note with that number on this case."


def notes_of(case: Case) -> QuerySet[FileNote]:
    """The case's file notes, newest first, with who wrote and who shared each."""
    return (
        FileNote.objects.filter(case=case)
        .select_related("author", "disclosed_by")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class NotesOnPage:
    """The newest of a case's notes, for the case page, and how many there are."""

    latest: list[FileNote]
    count: int


NOTES_ON_CASE_PAGE = 5


def notes_on_case_page(case: Case) -> NotesOnPage:
    latest = list(notes_of(case)[:NOTES_ON_CASE_PAGE])
    count = len(latest) if len(latest) < NOTES_ON_CASE_PAGE else notes_of(case).count()
    return NotesOnPage(latest, count)


def note_of(case: Case, pk: int) -> FileNote:
    note = notes_of(case).filter(pk=pk).first()
    if note is None:
        raise Http404(NO_SUCH_NOTE)
    return note


def notes_shared_with(case: Case, role: str) -> QuerySet[FileNote]:
    """The notes shared with a party in this role ("respondent" or "complainant", the portal's
    party roles), in the order they were shared. A note not shared is never among them."""
    audiences = [audience for audience, roles in AUDIENCE_ROLES.items() if role in roles]
    return FileNote.objects.filter(
        case=case, disclosed_at__isnull=False, disclosed_to__in=audiences
    ).order_by("disclosed_at", "pk")


@dataclass(frozen=True)
class ChecklistLine:
    """A check of the stage's checklist and, if it is done, the tick that did it."""

    item: ChecklistItem
    tick: ChecklistTick | None

    @property
    def done(self) -> bool:
        return self.tick is not None


def checklist_state(case: Case) -> dict[str, ChecklistTick]:
    """Each check's latest tick or untick in the case's current visit to its stage."""
    latest: dict[str, ChecklistTick] = {}
    ticks = ChecklistTick.objects.filter(
        case=case, stage=case.stage, stage_entered_at=case.stage_entered_at
    ).select_related("by")
    for tick in ticks.order_by("at", "pk"):
        latest[tick.key] = tick
    return latest


def checklist_of(case: Case) -> list[ChecklistLine]:
    """The checklist of the case's current stage, in the rulebook's order ([] if its stage has
    none, or the case is closed)."""
    items = case.rulebook.spec.checklist_for(case.stage)
    if not items or case.is_closed:
        return []
    latest = checklist_state(case)
    return [
        ChecklistLine(item, tick if (tick := latest.get(item.key)) and tick.done else None)
        for item in items
    ]
