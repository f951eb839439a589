"""Every write to the case team's working file: add a note, share a note with the parties,
tick or untick a check. Each is atomic and appends its ledger event in the same transaction;
the events carry ids and hashes of the text, never the text."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from fairhearing.cases.models import Case
from fairhearing.core.errors import CaseError
from fairhearing.core.limits import FILE_NOTE_MAX, REASONS_MAX
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append

from .models import Audience, ChecklistTick, FileNote
from .queries import checklist_state

NEEDS_TEXT = "Write the note."
TEXT_TOO_LONG = f"A note must be {FILE_NOTE_MAX:,} characters or fewer."
NEEDS_REASONS = "Give the reasons for sharing this note."
REASONS_TOO_LONG = f"Reasons must be {REASONS_MAX:,} characters or fewer."
NEEDS_AUDIENCE = "Choose whom to share the note with."
ALREADY_SHARED = "This note was shared on {date}: a note is shared once."
CHECKLIST_CLOSED = "This case is closed: its checklists are finished."
NOT_ON_CHECKLIST = "That check is not on the checklist of the case's stage."


@transaction.atomic
def note_add(*, actor: Any, case: Case, text: str) -> FileNote:
    """Add a file note. Allowed on a closed case too (what happened after, such as a call
    from a party, still belongs on the file). A note is never edited: a correction is a new
    note."""
    text = text.strip()
    if not text:
        raise CaseError(NEEDS_TEXT)
    if len(text) > FILE_NOTE_MAX:
        raise CaseError(TEXT_TOO_LONG)
    note = FileNote.objects.create(case=case, author=actor, text=text)
    event_append(
        actor=actor,
        kind=EventKind.FILE_NOTE_ADDED,
        case_id=case.pk,
        payload={"note": note.pk, "text_sha256": content_hash(text)},
    )
    return note


@transaction.atomic
def note_disclose(*, actor: Any, note: FileNote, audience: str, reasons: str) -> FileNote:
    """Share a note with the parties (`audience`): a decision, with reasons, made once. The
    note then shows in their portal as written (a protected complainant's name redacted for
    the respondent); to share less of it, write a new note and share that."""
    reasons = reasons.strip()
    if audience not in Audience.values:
        raise CaseError(NEEDS_AUDIENCE)
    if not reasons:
        raise CaseError(NEEDS_REASONS)
    if len(reasons) > REASONS_MAX:
        raise CaseError(REASONS_TOO_LONG)
    note = FileNote.objects.select_for_update().get(pk=note.pk)
    if note.disclosed_at is not None:
        raise CaseError(
            ALREADY_SHARED.format(date=f"{timezone.localdate(note.disclosed_at):%-d %B %Y}")
        )
    note.disclosed_to = audience
    note.disclosed_at = timezone.now()
    note.disclosed_by = actor
    note.disclosure_reasons = reasons
    note.save(update_fields=["disclosed_to", "disclosed_at", "disclosed_by", "disclosure_reasons"])
    event_append(
        actor=actor,
        kind=EventKind.FILE_NOTE_DISCLOSED,
        case_id=note.case_id,
        payload={
            "note": note.pk,
            "to": audience,
            "text_sha256": content_hash(note.text),
            "reasons_sha256": content_hash(reasons),
        },
    )
    return note


@transaction.atomic
def checklist_tick(*, actor: Any, case: Case, key: str, done: bool) -> ChecklistTick | None:
    """Tick (`done`) or untick one check of the case's current stage's checklist. Returns the
    new row, or None when the check already stood so (nothing is written). A reminder for the
    case team: no decision waits on it."""
    case = Case.objects.select_for_update().select_related("rulebook").get(pk=case.pk)
    if case.is_closed:
        raise CaseError(CHECKLIST_CLOSED)
    if key not in {item.key for item in case.rulebook.spec.checklist_for(case.stage)}:
        raise CaseError(NOT_ON_CHECKLIST)
    current = checklist_state(case).get(key)
    if (current is not None and current.done) == done:
        return None
    tick = ChecklistTick.objects.create(
        case=case,
        stage=case.stage,
        stage_entered_at=case.stage_entered_at,
        key=key,
        done=done,
        by=actor,
    )
    event_append(
        actor=actor,
        kind=EventKind.CHECKLIST_TICKED if done else EventKind.CHECKLIST_UNTICKED,
        case_id=case.pk,
        payload={"tick": tick.pk, "stage": case.stage, "check": key},
    )
    return tick


@transaction.atomic
def checklist_update(
    *, actor: Any, case: Case, done: set[str], shown_done: set[str]
) -> list[ChecklistTick]:
    """Save the checklist as a page sent it: tick what was ticked on the page, untick what was
    unticked there (`shown_done`: the checks the page showed as done). A check nobody changed
    on that page is left as it stands, so a colleague's tick made meanwhile is kept. Every
    change is written by `checklist_tick`; all or none."""
    changes = [(key, True) for key in sorted(done - shown_done)]
    changes += [(key, False) for key in sorted(shown_done - done)]
    ticks = [
        checklist_tick(actor=actor, case=case, key=key, done=is_done) for key, is_done in changes
    ]
    return [tick for tick in ticks if tick is not None]
