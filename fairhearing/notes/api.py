"""File notes and stage checklists on the JSON API: the same access and services as the
pages (notes read by the case team and oversight; written, shared and ticked by the case
team)."""

import datetime as dt
from typing import Any, Literal

from ninja import Field, Router, Schema, Status

from fairhearing.api.core import ERRORS, NON_BLANK, OkOut, StrictSchema, idempotent, require_scope
from fairhearing.api.models import Scope
from fairhearing.cases.access import case_for
from fairhearing.core.limits import FILE_NOTE_MAX, REASONS_MAX

from . import services
from .access import notes_case_for
from .models import FileNote
from .queries import checklist_of, note_of, notes_of

router = Router(tags=["notes"])


class NoteOut(Schema):
    id: int
    author: str
    created_at: dt.datetime
    text: str
    shared_with: str  # "" until shared: "respondent", "complainants" or "parties"
    shared_at: dt.datetime | None
    shared_by: str
    shared_reasons: str


def note_out(note: FileNote) -> dict[str, Any]:
    return {
        "id": note.pk,
        "author": note.author.display_name,
        "created_at": note.created_at,
        "text": note.text,
        "shared_with": note.disclosed_to,
        "shared_at": note.disclosed_at,
        "shared_by": note.disclosed_by.display_name if note.disclosed_by else "",
        "shared_reasons": note.disclosure_reasons,
    }


@router.get(
    "/cases/{reference}/notes", response={200: list[NoteOut], **ERRORS}, operation_id="notes_list"
)
def notes_list(request: Any, reference: str) -> list[dict[str, Any]]:
    """The case's file notes, newest first (the case team and oversight only)."""
    require_scope(request, Scope.CASES_READ)
    case = notes_case_for(request.user, reference, request=request)
    return [note_out(note) for note in notes_of(case)]


class NoteIn(StrictSchema):
    text: str = Field(pattern=NON_BLANK, max_length=FILE_NOTE_MAX)


@router.post(
    "/cases/{reference}/notes", response={201: NoteOut, **ERRORS}, operation_id="notes_add"
)
@idempotent
def notes_add(request: Any, reference: str, payload: NoteIn) -> Status[Any]:
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="act", request=request)
    note = services.note_add(actor=request.user, case=case, text=payload.text)
    return Status(201, note_out(note))


class DiscloseIn(StrictSchema):
    audience: Literal["respondent", "complainants", "parties"]
    reasons: str = Field(pattern=NON_BLANK, max_length=REASONS_MAX)


@router.post(
    "/cases/{reference}/notes/{note_id}/share",
    response={200: NoteOut, **ERRORS},
    operation_id="notes_disclose",
)
def notes_disclose(
    request: Any, reference: str, note_id: int, payload: DiscloseIn
) -> dict[str, Any]:
    """Share a note with the parties: a decision with reasons, made once (409 after)."""
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="act", request=request)
    note = services.note_disclose(
        actor=request.user,
        note=note_of(case, note_id),
        audience=payload.audience,
        reasons=payload.reasons,
    )
    return note_out(note)


class CheckOut(Schema):
    key: str
    label: str
    done: bool
    done_by: str
    done_at: dt.datetime | None


@router.get(
    "/cases/{reference}/checklist",
    response={200: list[CheckOut], **ERRORS},
    operation_id="notes_checklist",
)
def notes_checklist(request: Any, reference: str) -> list[dict[str, Any]]:
    """The checklist of the case's current stage ([] if it has none)."""
    require_scope(request, Scope.CASES_READ)
    case = case_for(request.user, reference, action="act", request=request)
    return [
        {
            "key": line.item.key,
            "label": line.item.label,
            "done": line.done,
            "done_by": line.tick.by.display_name if line.tick else "",
            "done_at": line.tick.at if line.tick else None,
        }
        for line in checklist_of(case)
    ]


class TickIn(StrictSchema):
    done: bool


@router.put(
    "/cases/{reference}/checklist/{key}",
    response={200: OkOut, **ERRORS},
    operation_id="notes_checklist_tick",
)
def notes_checklist_tick(request: Any, reference: str, key: str, payload: TickIn) -> dict[str, Any]:
    """Tick (`done: true`) or untick a check; id is the tick's, or null if it already stood so."""
    require_scope(request, Scope.CASES_WRITE)
    case = case_for(request.user, reference, action="act", request=request)
    tick = services.checklist_tick(actor=request.user, case=case, key=key, done=payload.done)
    return {"ok": True, "id": tick.pk if tick else None}
