"""Complaints accepted now and recorded by the worker (the API's `Prefer: respond-async`):
accepting takes the reference and queues the submission, then wakes the worker, which records
the queue (`services.submissions_record`, run by `tasks.submissions_record_task`)."""

import dataclasses
import datetime as dt
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fairhearing.cases.services import references_take
from fairhearing.organisations.models import Organisation
from fairhearing.people.services import PersonDetails

from .details import AllegationDetails, complaint_check
from .models import Submission
from .tasks import submissions_record_task


def complaint_accept(
    *,
    actor: Any,
    organisation: Organisation,
    channel: str,
    complainant: PersonDetails,
    respondents: list[PersonDetails],
    allegation: AllegationDetails,
    summary: str,
    received_at: dt.datetime | None = None,
) -> Submission:
    """Take the complaint's reference and queue it for the worker to record and acknowledge.

    Checked first, as recording would check it; then two statements under the reference
    counter's lock, none under the ledger's, so many clients can submit at once (a campaign's
    surge). The ledger records the complaint when the worker does, with this arrival time."""
    complaint_check(
        organisation=organisation,
        channel=channel,
        complainant=complainant,
        respondents=respondents,
        allegation=allegation,
        summary=summary,
    )
    at = received_at or timezone.now()
    payload = {
        "channel": channel,
        "complainant": dataclasses.asdict(complainant),
        "respondents": [dataclasses.asdict(r) for r in respondents],
        "allegation": {
            **dataclasses.asdict(allegation),
            "conduct_date": allegation.conduct_date.isoformat()
            if allegation.conduct_date
            else None,
        },
        "summary": summary,
    }
    submission = Submission(
        organisation=organisation, submitted_by=actor, received_at=at, payload=payload
    )
    with transaction.atomic():
        submission.reference = references_take(organisation, "next_complaint_number", at, "C", 1)[0]
        submission.save(force_insert=True)
        transaction.on_commit(submissions_record_soon)
    return submission


def submissions_record_soon() -> None:
    """Wake the worker, unless a recording task is already waiting to start: one that has not
    started yet will see this submission, which is committed (this runs after the commit).

    Every accepted complaint asks, so the question is one plain statement: the ORM's own cost
    of building it was most of this function's time under load (benchmarks/intake_load.py)."""
    waiting = (
        f"SELECT 1 FROM {DBTaskResult._meta.db_table}"  # noqa: S608
        " WHERE status = %s AND task_path = %s LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(waiting, ["READY", submissions_record_task.module_path])
        if cursor.fetchone() is None:
            submissions_record_task.enqueue()
