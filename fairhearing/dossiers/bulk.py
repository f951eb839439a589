"""A chunk of dossier rows recorded as complaints, with a few statements for the chunk.

Each checked row is a complaint from the dossier's sending organisation, recorded as every
front door records one (`intake.record.complaints_record`): about the same post and person
as an open case, or an earlier row of the chunk, it joins that case (the row is then a
duplicate, if every person it names was); otherwise it opens a case for each person it
names, with the post it captured kept as evidence. A row the read refused, or recording
refuses, is kept as rejected with the reasons.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from fairhearing.cases.models import Channel
from fairhearing.core.bulk import insert_many
from fairhearing.evidence.models import Source
from fairhearing.intake.details import AllegationDetails, Capture, Incoming
from fairhearing.intake.record import complaints_record

from . import read
from .models import Dossier, DossierRow


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
