"""Importing a dossier's rows: a chunk per transaction, each chunk recorded as complaints with
a few statements (`dossier_import`, run by the worker's `tasks.dossier_import_task` or the
`dossier import` command; safe to run again, it resumes where it stopped).

Each checked row is a complaint from the dossier's sending organisation, recorded as every
front door records one (`intake.record.complaints_record`): about the same post and person
as an open case, or an earlier row of the chunk, it joins that case (the row is then a
duplicate, if every person it names was); otherwise it opens a case for each person it
names, with the post it captured kept as evidence. A row the read refused, or recording
refuses, is kept as rejected with the reasons.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from fairhearing.cases.models import Case, Channel
from fairhearing.core.bulk import insert_many
from fairhearing.core.errors import CaseError
from fairhearing.evidence.models import Source
from fairhearing.evidence.storage import blob_read
from fairhearing.intake.details import AllegationDetails, Capture, Incoming
from fairhearing.intake.record import complaints_record
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.linking.models import Band, Fingerprint
from fairhearing.people.models import Person
from fairhearing.worker import faults

from . import read
from .models import Dossier, DossierRow

CHUNK = 500


def _incoming(dossier: Dossier, row: read.Row, actor: Any, now: Any) -> Incoming:
    d = row.data
    url, text = d.get("url", ""), d.get("post_text", "")
    return Incoming(
        actor=actor,
        received_at=now,
        channel=Channel.DOSSIER,
        complainant=dossier.source,
        respondents=row.respondents,
        allegation=AllegationDetails(
            allegation_type=row.allegation_type,
            category=row.category,
            description=d["description"],
            conduct_date=row.conduct_date,
            url=url,
            post_text=text,
        ),
        summary=d["description"],
        capture=(
            Capture(
                url=url,
                description=f"From dossier {dossier.pk}, row {row.number}",
                source=Source.DOSSIER,
                author_handle=d.get("author_handle", ""),
                posted_at=row.posted_at,
                captured_text=text,
            )
            if url.strip() or text.strip()
            else None
        ),
    )


def import_chunk(dossier: Dossier, rows: list[read.Row], actor: Any) -> None:
    """Record a chunk of rows in the caller's transaction: rejected rows as such, the others as
    complaints, cases (or joined to the case about the same post) and captures."""
    now = timezone.now()
    records = {r.number: DossierRow(dossier=dossier, number=r.number, data=r.data) for r in rows}
    for row in rows:
        if row.errors:
            records[row.number].status = DossierRow.Status.REJECTED
            records[row.number].reasons = row.errors
    accepted = [row for row in rows if not row.errors]
    recorded, refused = complaints_record(
        dossier.organisation, [_incoming(dossier, row, actor, now) for row in accepted]
    )
    done = iter(recorded)
    for position, row in enumerate(accepted):
        record = records[row.number]
        if position in refused:
            exc = refused[position]
            record.status = DossierRow.Status.REJECTED
            record.reasons = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            continue
        plan = next(done)
        record.complaint = plan.complaint
        # A duplicate only if every person it names already had a case open; the first
        # such case is kept as the row's `duplicate_of` (row_outcome names them all).
        joined = plan.joined()
        record.duplicate_of = joined[0] if joined else None
        record.status = (
            DossierRow.Status.DUPLICATE
            if len(joined) == len(row.respondents)
            else DossierRow.Status.ACCEPTED
        )
    insert_many(list(records.values()))


def _import_row(dossier: Dossier, row: read.Row, actor: Any) -> DossierRow:
    """One row on its own (where its chunk could not be recorded together): rejected, with
    the reason, if recording it fails."""
    try:
        with transaction.atomic():
            import_chunk(dossier, [row], actor)
    except (CaseError, ValidationError, IntegrityError) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        DossierRow.objects.create(
            dossier=dossier,
            number=row.number,
            data=row.data,
            status=DossierRow.Status.REJECTED,
            reasons=messages,
        )
    return DossierRow.objects.get(dossier=dossier, number=row.number)


def _refresh_statistics() -> None:
    """Let PostgreSQL's planner see what the import has written so far.

    Duplicates are looked up against the tables the import is filling. With statistics from
    before it started (a nearly empty table), the planner chose nested loops over what it
    thought were a few rows, and each chunk's lookups grew with everything written before:
    refreshing them each time the import has doubled what it wrote costs a few ANALYZEs in
    all (autovacuum would get there too, but only a minute or more later).
    """
    if connection.vendor != "postgresql":
        return
    tables = [m._meta.db_table for m in (Fingerprint, Band, Case, Person)]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")


def dossier_import(
    *,
    dossier: Dossier,
    actor: Any = None,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = CHUNK,
) -> Dossier:
    """Import the rows not yet imported, a chunk per transaction. Safe to run again."""
    Dossier.objects.filter(pk=dossier.pk, started_at__isnull=True).update(started_at=timezone.now())
    Dossier.objects.filter(pk=dossier.pk).exclude(status=Dossier.Status.DONE).update(
        status=Dossier.Status.RUNNING, progress_at=timezone.now()
    )
    dossier.refresh_from_db()
    if dossier.status == Dossier.Status.DONE:
        return dossier
    try:
        _, rows = read.read(blob_read(dossier.blob_id))
    except read.DossierUnreadable as exc:  # the stored file no longer reads: say so
        Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.FAILED, error=str(exc))
        dossier.refresh_from_db()
        return dossier
    read.check(rows, dossier.organisation.current_rulebook().spec)
    done = set(DossierRow.objects.filter(dossier=dossier).values_list("number", flat=True))
    todo = [row for row in rows if row.number not in done]
    processed = len(done)
    for chunks, start in enumerate(range(0, len(todo), chunk), start=1):
        batch = todo[start : start + chunk]
        with transaction.atomic():
            # Held to the commit: another run of this import (a worker taken for dead, a
            # resume) waits here, then sees which of these rows this one imported.
            Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
            taken = set(
                DossierRow.objects.filter(
                    dossier=dossier, number__in=[row.number for row in batch]
                ).values_list("number", flat=True)
            )
            batch = [row for row in batch if row.number not in taken]
            if batch:
                try:
                    with transaction.atomic():
                        import_chunk(dossier, batch, actor)
                except (CaseError, ValidationError, IntegrityError):
                    # Something the chunk cannot take together (a database constraint): it
                    # goes row by row, where a bad row is rejected and the others import.
                    for row in batch:
                        _import_row(dossier, row, actor)
                faults.checkpoint("dossier.in_chunk")
            processed = DossierRow.objects.filter(dossier=dossier).count()
            Dossier.objects.filter(pk=dossier.pk).update(
                processed_rows=processed, progress_at=timezone.now()
            )
        faults.checkpoint("dossier.chunk")
        if chunks & (chunks - 1) == 0:  # 1, 2, 4, 8... chunks: each time the import doubled
            _refresh_statistics()
        if progress:
            progress(processed, len(rows))
    with transaction.atomic():
        counts = {
            status: DossierRow.objects.filter(dossier=dossier, status=status).count()
            for status in DossierRow.Status.values
        }
        # Conditional: of two runs finishing together, one records the end.
        finished = Dossier.objects.filter(pk=dossier.pk, status=Dossier.Status.RUNNING).update(
            status=Dossier.Status.DONE,
            processed_rows=len(rows),
            finished_at=timezone.now(),
            progress_at=timezone.now(),
        )
        if finished:
            event_append(
                actor=actor,
                kind=EventKind.DOSSIER_FINISHED,
                payload={"dossier": dossier.pk, **counts},
            )
    dossier.refresh_from_db()
    return dossier
