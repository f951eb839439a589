"""Bulk dossiers: receive the file, then import it row by row (in a background task, or from
`fairhearing dossier import`). Each chunk of rows commits with the complaints it made, so a
crash loses no row and a re-run repeats none."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fairhearing.core.errors import CaseError
from fairhearing.evidence.models import Blob
from fairhearing.evidence.storage import blob_write, sha256_hex
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.organisations.models import Organisation
from fairhearing.people.models import Person, person_hash
from fairhearing.worker.services import worker_alive, workers_alive

from . import read
from .models import Dossier
from .tasks import dossier_import_task

MAX_BYTES = 50 * 1024 * 1024
TOO_LARGE = "The file is larger than 50 MB: split it into smaller dossiers."
NEEDS_SOURCE = "Give the name of the organisation that sent the dossier."
CONTENT_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


NOT_RESUMABLE = "This dossier has been imported already: there is nothing to resume."
NOT_STALLED = "The import is still running: it will finish by itself."


class DossierRefused(CaseError):
    """The whole file is refused, with the reason; nothing was written."""


def stalled_after() -> dt.timedelta:
    """How long an import may go without committing a chunk, with no worker at it, before it
    counts as stalled: two worker leases (a worker that died is replaced by then, if any
    worker is running)."""
    return max(dt.timedelta(minutes=2), 2 * dt.timedelta(seconds=settings.WORKER_LEASE_SECONDS))


def dossier_stalled(dossier: Dossier, *, now: dt.datetime | None = None) -> bool:
    """An import that should be running but is not: no worker is at it (its task ended or
    was given up without finishing it, or its worker died and none took it up), and nothing
    has been committed for `stalled_after()`. One waiting in the queue behind other work,
    while workers are alive, or running under a live lease, is not stalled."""

    if dossier.status not in {Dossier.Status.QUEUED, Dossier.Status.RUNNING}:
        return False
    now = now or timezone.now()
    pending = DBTaskResult.objects.filter(
        task_path=dossier_import_task.module_path,
        status__in=["READY", "RUNNING"],
        args_kwargs__args=[dossier.pk],
    )
    live = workers_alive(now=now)
    for task in pending:
        if task.status == "READY" and live.exists():
            return False  # queued behind other work
        if task.status == "RUNNING" and any(worker_alive(w, now=now) for w in task.worker_ids[-1:]):
            return False  # a live worker is at it
    last = dossier.progress_at or dossier.uploaded_at
    return last < now - stalled_after()


def dossier_uploaded_again(*, actor: Any, dossier: Dossier) -> bool:
    """The same file uploaded again: an import of it that had stalled starts again from where
    it stopped (True); one running, or finished, is left as it is (False)."""
    if not dossier_stalled(dossier):
        return False
    try:
        dossier_resume(actor=actor, dossier=dossier)
    except DossierRefused:  # it finished, or another worker took it up, meanwhile
        return False
    return True


def dossier_import_queue(*, dossier: Dossier) -> None:
    """Queue the import for the worker once the caller's transaction commits."""

    def enqueue() -> None:
        result = dossier_import_task.enqueue(dossier.pk)
        Dossier.objects.filter(pk=dossier.pk).update(task_id=str(result.id))

    transaction.on_commit(enqueue)


def dossier_resume(*, actor: Any, dossier: Dossier) -> Dossier:
    """Start an unfinished import again from where it stopped (staff asked, or uploaded the
    same file again). Only a stalled import is started again; were two runs to meet anyway,
    each chunk is still taken once."""
    if dossier.status in {Dossier.Status.QUEUED, Dossier.Status.RUNNING} and not dossier_stalled(
        dossier
    ):
        raise DossierRefused(NOT_STALLED)
    with transaction.atomic():
        resumed = Dossier.objects.filter(
            pk=dossier.pk, status__in=[Dossier.Status.QUEUED, Dossier.Status.RUNNING]
        ).update(progress_at=timezone.now())
        if not resumed:
            raise DossierRefused(NOT_RESUMABLE)
        event_append(
            actor=actor,
            kind=EventKind.DOSSIER_RESUMED,
            payload={"dossier": dossier.pk, "rows_done": dossier.processed_rows},
        )
        dossier_import_queue(dossier=dossier)
    dossier.refresh_from_db()
    return dossier


def _source(organisation: Organisation, name: str) -> Person:
    found = Person.objects.filter(
        organisation=organisation,
        kind=Person.Kind.ORGANISATION,
        full_name_hash=person_hash("full_name", name),
    ).first()
    return found or Person.objects.create(
        organisation=organisation, kind=Person.Kind.ORGANISATION, full_name=name
    )


def dossier_receive(
    *, actor: Any, organisation: Organisation, source_name: str, filename: str, data: bytes
) -> tuple[Dossier, bool]:
    """Check and store the file; (the dossier, whether it is new). The same file again is the
    same dossier: nothing new is created."""
    if not source_name.strip():
        raise DossierRefused(NEEDS_SOURCE)
    if len(data) > MAX_BYTES:
        raise DossierRefused(TOO_LARGE)
    digest = sha256_hex(data)
    existing = Dossier.objects.filter(organisation=organisation, sha256=digest).first()
    if existing is not None:
        return existing, False
    try:
        file_format, rows = read.read(data)
    except read.DossierUnreadable as exc:
        raise DossierRefused(str(exc)) from exc
    with transaction.atomic():
        blob_write(data)
        blob, _ = Blob.objects.get_or_create(
            sha256=digest,
            defaults={"size": len(data), "content_type": CONTENT_TYPES[file_format]},
        )
        dossier = Dossier.objects.create(
            organisation=organisation,
            source=_source(organisation, source_name.strip()),
            uploaded_by=actor,
            filename=filename[-200:] or "dossier",
            file_format=file_format,
            sha256=digest,
            blob=blob,
            total_rows=len(rows),
        )
        event_append(
            actor=actor,
            kind=EventKind.DOSSIER_RECEIVED,
            payload={
                "dossier": dossier.pk,
                "sha256": digest,
                "format": file_format,
                "rows": len(rows),
                "source": dossier.source_id,
            },
        )
    return dossier, True
