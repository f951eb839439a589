"""What the status page and the readiness check read: the workers, the queue, the recurring
jobs and the tasks that failed."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Case, F, Min, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from .labels import schedule_label, task_detail, task_label
from .models import Schedule, WorkerProcess
from .services import FAILED, WORKER_LOST, lease_length, workers_alive

FAILED_SHOWN_FOR = dt.timedelta(days=30)


@dataclass
class ScheduleState:
    name: str
    label: str
    every: dt.timedelta
    last_succeeded_at: dt.datetime | None
    next_run_at: dt.datetime
    late: bool
    last_finished_at: dt.datetime | None = None

    @property
    def every_text(self) -> str:
        seconds = int(self.every.total_seconds())
        if seconds % 3600 == 0:
            hours = seconds // 3600
            return "every hour" if hours == 1 else f"every {hours} hours"
        if seconds % 60 == 0:
            minutes = seconds // 60
            return "every minute" if minutes == 1 else f"every {minutes} minutes"
        return f"every {seconds} seconds"


@dataclass
class FailedTask:
    id: str
    label: str
    detail: str
    failed_at: dt.datetime | None
    attempts: int
    reason: str
    retried: bool


@dataclass
class WorkerState:
    now: dt.datetime
    workers: list[WorkerProcess] = field(default_factory=list)
    waiting: int = 0
    oldest_waiting_at: dt.datetime | None = None
    schedules: list[ScheduleState] = field(default_factory=list)
    failed: list[FailedTask] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        """Plain sentences, for readiness and for the top of the status page."""
        found = []
        if not self.workers:
            found.append("No background worker is running.")
        found += [f"{s.label}: has not run on time." for s in self.schedules if s.late]
        return found


def schedule_late(schedule: Schedule, now: dt.datetime) -> bool:
    """Late: no run has finished within two intervals and a lease (one run may be under way
    and one may have died), counted from when the job was first set up. A run that finished
    with a part failed is not lateness: it shows among the failed tasks."""
    allowed = 2 * dt.timedelta(seconds=schedule.every_seconds) + lease_length()
    since = schedule.last_finished_at or schedule.created_at
    return since < now - allowed


def schedules_state(now: dt.datetime) -> list[ScheduleState]:
    schedules = {s.name: s for s in Schedule.objects.all()}
    states = []
    for name, (_path, every) in settings.WORKER_SCHEDULES.items():
        schedule = schedules.get(name)
        label = schedule_label(name)
        if schedule is None:  # no worker has ever started
            states.append(
                ScheduleState(name, label, dt.timedelta(seconds=every), None, now, late=True)
            )
            continue
        states.append(
            ScheduleState(
                name=name,
                label=label,
                every=dt.timedelta(seconds=schedule.every_seconds),
                last_succeeded_at=schedule.last_succeeded_at,
                next_run_at=schedule.next_run_at,
                late=schedule_late(schedule, now),
                last_finished_at=schedule.last_finished_at,
            )
        )
    return states


def failed_tasks(*, now: dt.datetime, organisation_id: int | None) -> list[FailedTask]:
    """Failed in the last 30 days, newest first. A dossier's import shows only to its own
    organisation; the rest serves every organisation."""
    rows = DBTaskResult.objects.filter(
        status=FAILED, finished_at__gte=now - FAILED_SHOWN_FOR
    ).order_by("-finished_at")[:500]
    found = []
    for row in rows:
        detail = task_detail(row.task_path, row.args_kwargs.get("args", []), organisation_id)
        if detail is None:
            continue
        lost = row.exception_class_path == WORKER_LOST
        found.append(
            FailedTask(
                id=str(row.id),
                label=task_label(row.task_path),
                detail=detail,
                failed_at=row.finished_at,
                attempts=len(row.worker_ids),
                reason=row.traceback if lost else "It stopped with an error.",
                retried=bool((row.return_value or {}).get("retried_as")),
            )
        )
    return found


def failed_task_shown(*, task_id: str, organisation_id: int | None) -> bool:
    """Whether this failed task is on this organisation's status page (so may be retried)."""
    shown = failed_tasks(now=timezone.now(), organisation_id=organisation_id)
    return any(task.id == task_id for task in shown)


def worker_state(*, organisation_id: int | None = None, now: dt.datetime | None = None) -> Any:
    now = now or timezone.now()
    waiting = DBTaskResult.objects.ready()
    return WorkerState(
        now=now,
        workers=list(workers_alive(now=now).order_by("started_at")),
        waiting=waiting.count(),
        oldest_waiting_at=waiting.aggregate(oldest=Min("enqueued_at"))["oldest"],
        schedules=schedules_state(now),
        failed=failed_tasks(now=now, organisation_id=organisation_id),
    )


def queue_depth(*, cap: int) -> int:
    """Tasks ready to run and not yet claimed, counted up to `cap` (django-tasks-db keeps a
    partial index of the ready rows)."""
    return int(DBTaskResult.objects.ready().order_by().values("pk")[:cap].count())


def queue_lag_seconds(*, now: dt.datetime) -> float:
    """How long the task ready to run the longest has waited: 0 with none waiting. A task is
    ready from its enqueueing, or from its `run_after` when that came later. A growing lag
    with a small queue is a worker that has stopped taking work. Read over the ready rows
    alone (django-tasks-db's partial index)."""
    ready_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=Greatest("enqueued_at", "run_after"),
    )
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min(ready_since))["oldest"]
    return max((now - oldest).total_seconds(), 0.0) if oldest else 0.0


def workers_alive_count(*, now: dt.datetime) -> int:
    """Workers whose heartbeat is within a lease (`worker_beat` indexes `beat_at`)."""
    return int(workers_alive(now=now).count())


def readiness(*, now: dt.datetime | None = None) -> WorkerState:
    """The workers and schedules alone (no failed-task list): what `/readyz` reports."""
    now = now or timezone.now()
    return WorkerState(
        now=now,
        workers=list(workers_alive(now=now)),
        schedules=schedules_state(now),
    )
