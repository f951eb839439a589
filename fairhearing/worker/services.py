"""Claims, leases, retries and schedules for `fairhearing db_worker`.

A worker claims a task and leases it in one transaction, renews the lease while it runs
(a heartbeat in its own thread), and releases it when the task ends. A running task whose
lease has lapsed belongs to a process that died (killed, out of memory, a host restart): the
next worker to look puts it back in the queue, up to `WORKER_MAX_ATTEMPTS` claims in all, and
then marks it failed with the reason, for administrators to read and retry. So every task
must be safe to run again from the start: each one's own writes are claimed row by row
(conditional UPDATEs, `SKIP LOCKED`, unique constraints; docs/architecture.md).
"""

import datetime as dt
import logging
import os
import socket
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append

from .models import Schedule, WorkerProcess

logger = logging.getLogger("fairhearing.worker")

READY, RUNNING, FAILED = "READY", "RUNNING", "FAILED"
WORKER_LOST = "fairhearing.worker.WorkerLost"
GAVE_UP = (
    "The worker running this task stopped before it finished ({attempts} times). "
    "It was not tried again."
)
NOT_FAILED = "Only a task that failed, and was not retried already, can be retried."


class TaskNotRetriable(Exception):
    """The task is not one that failed and waits to be retried."""


def lease_length() -> dt.timedelta:
    return dt.timedelta(seconds=settings.WORKER_LEASE_SECONDS)


def beat_interval() -> float:
    """Seconds between heartbeats: several inside one lease, so a slow beat or two (SQLite
    waiting for its write lock) never lets a live worker's lease lapse."""
    return float(settings.WORKER_LEASE_SECONDS) / 6


def worker_register(*, worker_id: str) -> WorkerProcess:
    now = timezone.now()
    process, _ = WorkerProcess.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": now,
            "beat_at": now,
            "stopped_at": None,
            "task_id": None,
            "task_path": "",
            "lease_until": None,
        },
    )
    return process


def worker_beat(*, worker_id: str) -> bool:
    """Renew this worker's liveness and its lease; False if its row is gone (pruned)."""
    now = timezone.now()
    return bool(
        WorkerProcess.objects.filter(pk=worker_id).update(
            beat_at=now, lease_until=now + lease_length()
        )
    )


def worker_stopped(*, worker_id: str) -> None:
    WorkerProcess.objects.filter(pk=worker_id).update(
        stopped_at=timezone.now(), task_id=None, task_path="", lease_until=None
    )


def task_claim(*, worker_id: str, tasks: Any) -> DBTaskResult | None:
    """Take the first ready task of `tasks` (a DBTaskResult queryset) and lease it to this
    worker, in one transaction: another worker skips the locked row (PostgreSQL) or waits for
    the write lock (SQLite), so each claim goes to one worker."""
    with exclusive_transaction(tasks.db):
        result = tasks.get_locked()
        if result is None:
            return None
        result.claim(worker_id)
        now = timezone.now()
        WorkerProcess.objects.filter(pk=worker_id).update(
            task_id=result.id,
            task_path=result.task_path,
            lease_until=now + lease_length(),
            beat_at=now,
        )
    return result


def task_owned(*, worker_id: str, result: DBTaskResult) -> bool:
    """Whether this worker still holds the task's lease (it does unless its beats stopped for
    a whole lease and another worker took the task up again)."""
    return WorkerProcess.objects.filter(pk=worker_id, task_id=result.id).exists()


def task_finish(
    *, worker_id: str, result: DBTaskResult, value: Any = None, error: BaseException | None = None
) -> bool:
    """Record the task's outcome and release its lease; False (nothing written) if the lease
    was lost, so a worker that was given up on never overwrites the run that replaced it.
    The task's row is locked first, as the reaper locks it, so the two cannot interleave."""
    with exclusive_transaction(DBTaskResult.objects.db):
        DBTaskResult.objects.select_for_update().filter(pk=result.pk).first()
        if not task_owned(worker_id=worker_id, result=result):
            logger.warning("task %s: lease lost, outcome not recorded", result.id)
            return False
        now = timezone.now()
        if error is None:
            result.set_successful(value)
            Schedule.objects.filter(task_id=result.id).update(
                last_succeeded_at=now, last_finished_at=now
            )
        else:
            result.set_failed(error)
            Schedule.objects.filter(task_id=result.id).update(last_finished_at=now)
        _release(worker_id)
    return True


def task_interrupted(*, worker_id: str, result: DBTaskResult) -> None:
    """The worker was told to stop in the middle of the task: put it back in the queue at
    once (no need to wait for the lease) for the next worker to run again. Being stopped is
    not a failure: the claim does not count as an attempt."""
    with exclusive_transaction(DBTaskResult.objects.db):
        locked = DBTaskResult.objects.select_for_update().filter(pk=result.pk).first()
        if locked is None or not task_owned(worker_id=worker_id, result=result):
            return
        if locked.status == RUNNING:
            attempts = list(locked.worker_ids)
            if attempts and attempts[-1] == worker_id:
                attempts.pop()
            DBTaskResult.objects.filter(pk=result.pk).update(
                status=READY, started_at=None, worker_ids=attempts
            )
        _release(worker_id)


def _release(worker_id: str) -> None:
    WorkerProcess.objects.filter(pk=worker_id).update(
        task_id=None, task_path="", lease_until=None, tasks_run=F("tasks_run") + 1
    )


def leases_reap(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Take up again every running task whose lease has lapsed; give up on those already
    claimed `WORKER_MAX_ATTEMPTS` times. Safe in several workers at once: each lost task is
    locked by the one that handles it."""
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0}
    live = WorkerProcess.objects.filter(task_id__isnull=False, lease_until__gt=now).values(
        "task_id"
    )
    lost = (
        DBTaskResult.objects.filter(status=RUNNING, started_at__lt=now - lease_length())
        .exclude(id__in=live)
        .order_by("started_at")
    )
    with exclusive_transaction(lost.db):
        for result in lost.select_for_update(skip_locked=True)[:100]:
            attempts = len(result.worker_ids)
            WorkerProcess.objects.filter(task_id=result.id).update(
                task_id=None, task_path="", lease_until=None
            )
            if attempts < settings.WORKER_MAX_ATTEMPTS:
                result.status, result.started_at = READY, None
                result.save(update_fields=["status", "started_at"])
                counts["requeued"] += 1
                logger.warning("task %s: its worker stopped; queued again", result.id)
                continue
            result.status, result.finished_at = FAILED, now
            result.exception_class_path = WORKER_LOST
            result.traceback = GAVE_UP.format(attempts=attempts)
            result.return_value = None
            result.save(
                update_fields=[
                    "status",
                    "finished_at",
                    "exception_class_path",
                    "traceback",
                    "return_value",
                ]
            )
            event_append(
                actor=None,
                kind=EventKind.TASK_GAVE_UP,
                payload={"task": str(result.id), "attempts": attempts},
            )
            counts["failed"] += 1
            logger.error("task %s: given up after %d attempts", result.id, attempts)
    return counts


def schedules_sync() -> None:
    """Make a row for each recurring job in settings, and keep its path and interval (an
    interval made shorter applies from the last run, not after the next)."""
    Schedule.objects.exclude(name__in=list(settings.WORKER_SCHEDULES)).delete()  # removed
    for name, (path, every) in settings.WORKER_SCHEDULES.items():
        schedule, _ = Schedule.objects.update_or_create(
            name=name, defaults={"task_path": path, "every_seconds": int(every)}
        )
        if schedule.last_enqueued_at is not None:
            sooner = schedule.last_enqueued_at + dt.timedelta(seconds=schedule.every_seconds)
            Schedule.objects.filter(pk=name, next_run_at__gt=sooner).update(next_run_at=sooner)


def schedules_run(*, now: dt.datetime | None = None) -> list[str]:
    """Enqueue each recurring job that is due and whose last run is over (finished or given
    up): one run at a time, and a worker that starts after a long stop runs a late job once,
    at once, not once for every interval it missed. Returns the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    due = Schedule.objects.filter(
        next_run_at__lte=now, name__in=list(settings.WORKER_SCHEDULES)
    ).order_by("name")
    with exclusive_transaction(due.db):
        for schedule in due.select_for_update(skip_locked=True):
            if schedule.task_id and (
                DBTaskResult.objects.filter(
                    pk=schedule.task_id, status__in=[READY, RUNNING]
                ).exists()
            ):
                continue  # still waiting or running: the lease looks after a run that died
            task = import_string(schedule.task_path)
            result = task.enqueue()
            schedule.task_id = result.id
            schedule.last_enqueued_at = now
            schedule.next_run_at = now + dt.timedelta(seconds=schedule.every_seconds)
            schedule.save(update_fields=["task_id", "last_enqueued_at", "next_run_at"])
            enqueued.append(schedule.name)
    return enqueued


def schedule_run_now(*, name: str) -> bool:
    """Ask for the job's next run now (`fairhearing deadlines schedule`, a deploy); a run that
    is waiting or running already is not doubled. True if a run was enqueued."""
    schedules_sync()
    now = timezone.now()
    Schedule.objects.filter(pk=name).update(next_run_at=now)
    return name in schedules_run(now=now)


def task_retry(*, actor: Any, result: DBTaskResult) -> DBTaskResult:
    """An administrator runs a failed task again: the same task and arguments, queued anew,
    the failed one kept as it was (marked with its replacement). Recorded on the ledger. A
    recurring job's failed run is retried as the job's next run, so it never runs twice at
    once."""
    with exclusive_transaction(DBTaskResult.objects.db):
        locked = DBTaskResult.objects.select_for_update().filter(pk=result.pk).first()
        if (
            locked is None
            or locked.status != FAILED
            or (locked.return_value or {}).get("retried_as")
        ):
            raise TaskNotRetriable(NOT_FAILED)
        schedule = Schedule.objects.filter(task_path=locked.task_path).first()
        if schedule is not None:
            Schedule.objects.filter(pk=schedule.pk).update(next_run_at=timezone.now())
            schedules_run()
            schedule.refresh_from_db()
        if schedule is not None and schedule.task_id is not None:
            again_id = schedule.task_id  # the job's next run (or the one running now)
        else:
            task = locked.task
            again_id = task.enqueue(*locked.args_kwargs["args"], **locked.args_kwargs["kwargs"]).id
        DBTaskResult.objects.filter(pk=locked.pk).update(return_value={"retried_as": str(again_id)})
        event_append(
            actor=actor,
            kind=EventKind.TASK_RETRIED,
            payload={"task": str(locked.id), "again": str(again_id)},
        )
    return DBTaskResult.objects.get(pk=again_id)


def workers_forget(*, now: dt.datetime | None = None) -> int:
    """Forget workers that stopped or went silent a day ago (each start adds a row)."""
    now = now or timezone.now()
    deleted, _ = WorkerProcess.objects.filter(
        beat_at__lt=now - dt.timedelta(days=1), task_id__isnull=True
    ).delete()
    return deleted


def current_worker_id() -> str:
    """The id of the worker process this code runs in ("" outside a worker)."""
    return _current["worker_id"]


def current_worker_set(worker_id: str) -> None:
    _current["worker_id"] = worker_id


_current = {"worker_id": ""}


def workers_alive(*, now: dt.datetime | None = None) -> Any:
    """The workers still at work: not stopped, and beaten within a lease (a whole lease
    without a beat, and a worker is taken for dead)."""
    now = now or timezone.now()
    return WorkerProcess.objects.filter(stopped_at__isnull=True, beat_at__gt=now - lease_length())


def worker_alive(worker_id: str, *, now: dt.datetime | None = None) -> bool:
    """Whether that worker is still at work."""
    return bool(worker_id) and workers_alive(now=now).filter(pk=worker_id).exists()
