"""Dossiers on the JSON API: upload (multipart), progress, and the row report."""

import datetime as dt
from typing import Any

from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from fairhearing.api.core import ERRORS, NON_BLANK, idempotent, require_scope
from fairhearing.api.models import Scope
from fairhearing.evidence.forms import upload_of

from . import services
from .access import dossier_for, dossier_user
from .models import Dossier
from .queries import dossier_rows, row_outcome

router = Router(tags=["dossiers"])


class RowOut(Schema):
    number: int
    status: str
    reasons: list[str]
    cases: list[str]
    duplicate_of: str | None
    outcome: str = Field(
        description="In words: '2 cases opened: FH-… (Ada One), FH-… (Bo Two)'; empty if rejected"
    )


class DossierOut(Schema):
    id: int
    filename: str
    source: str
    status: str
    total_rows: int
    processed_rows: int
    uploaded_at: dt.datetime
    finished_at: dt.datetime | None
    sha256: str
    created: bool
    stalled: bool


def dossier_out(dossier: Dossier, created: bool = False) -> dict[str, Any]:
    return {
        "id": dossier.pk,
        "filename": dossier.filename,
        "source": dossier.source.full_name,
        "status": dossier.status,
        "total_rows": dossier.total_rows,
        "processed_rows": dossier.processed_rows,
        "uploaded_at": dossier.uploaded_at,
        "finished_at": dossier.finished_at,
        "sha256": dossier.sha256,
        "created": created,
        # An unfinished import that is not moving: uploading the same file again resumes it.
        "stalled": services.dossier_stalled(dossier),
    }


@router.post(
    "/dossiers",
    response={201: DossierOut, 200: DossierOut, **ERRORS},
    operation_id="dossiers_upload",
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {"schema": {"properties": {"file": {"minLength": 1}}}}
            }
        }
    },
)
@idempotent
def dossiers_upload(
    request: Any,
    file: File[UploadedFile],
    source_name: str = Form(..., min_length=1, max_length=200, pattern=NON_BLANK),
) -> Status[Any]:
    """Upload a dossier; 201 and the import starts, or 200 with the dossier this same file
    already made (nothing new is created; an import of it that had stalled starts again from
    where it stopped)."""
    require_scope(request, Scope.CASES_WRITE)
    user = dossier_user(request.user)
    upload = upload_of(file)
    assert upload is not None
    dossier, created = services.dossier_receive(
        actor=user,
        organisation=user.organisation,
        source_name=source_name,
        filename=upload.name,
        data=upload.data,
    )
    if created:
        services.dossier_import_queue(dossier=dossier)
    elif services.dossier_uploaded_again(actor=user, dossier=dossier):
        dossier.refresh_from_db()
    return Status(201 if created else 200, dossier_out(dossier, created))


@router.get(
    "/dossiers/{dossier_id}", response={200: DossierOut, **ERRORS}, operation_id="dossiers_detail"
)
def dossiers_detail(request: Any, dossier_id: int) -> dict[str, Any]:
    require_scope(request, Scope.CASES_READ)
    return dossier_out(dossier_for(request.user, dossier_id))


@router.post(
    "/dossiers/{dossier_id}/resume",
    response={200: DossierOut, **ERRORS},
    operation_id="dossiers_resume",
)
def dossiers_resume(request: Any, dossier_id: int) -> dict[str, Any]:
    """Start an unfinished import again from the first row not yet imported (409 if it has
    finished). Safe while it is still running: each row is imported once."""
    require_scope(request, Scope.CASES_WRITE)
    user = dossier_user(request.user)
    dossier = services.dossier_resume(actor=user, dossier=dossier_for(user, dossier_id))
    return dossier_out(dossier)


@router.get(
    "/dossiers/{dossier_id}/rows",
    response={200: list[RowOut], **ERRORS},
    operation_id="dossiers_rows",
)
def dossiers_rows(request: Any, dossier_id: int) -> list[dict[str, Any]]:
    require_scope(request, Scope.CASES_READ)
    dossier = dossier_for(request.user, dossier_id)
    found = []
    for r in dossier_rows(dossier):
        outcome = row_outcome(r)
        cases = [case for case, _ in outcome.opened + outcome.joined] if outcome else []
        found.append(
            {
                "number": r.number,
                "status": r.status,
                "reasons": r.reasons,
                "cases": [case.reference for case in cases],
                "duplicate_of": r.duplicate_of.reference if r.duplicate_of else None,
                "outcome": outcome.words if outcome else "",
            }
        )
    return found
