"""Background work that survives a crash: who is working, on what, until when; and the
recurring jobs, so that none is lost with the process that was running it.

django-tasks-db keeps the queue (`DBTaskResult`); these tables add what it lacks. A worker
process renews its row while it lives (`beat_at`), and the task it runs is leased to it
until `lease_until`: a running task that no live lease covers belongs to a process that
died, and any worker takes it up again (services.leases_reap).
"""

from django.db import models
from django.utils import timezone


class WorkerProcess(models.Model):
    """One `fairhearing db_worker` process, as it last reported itself."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)
    # The task it is running, leased to it until `lease_until` (renewed with each beat).
    task_id = models.UUIDField(null=True, blank=True, unique=True)
    task_path = models.TextField(blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    tasks_run = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["beat_at"], name="worker_beat")]

    def __str__(self) -> str:
        return f"worker {self.hostname}:{self.pid}"


class Schedule(models.Model):
    """A recurring job (settings.WORKER_SCHEDULES). Its next run is enqueued by whichever
    worker finds it due and its last run finished; a run that died is taken up again by the
    lease, so the chain never breaks and never runs twice at once."""

    name = models.CharField(max_length=64, primary_key=True)
    task_path = models.TextField()
    every_seconds = models.PositiveIntegerField()
    next_run_at = models.DateTimeField(default=timezone.now)
    task_id = models.UUIDField(null=True, blank=True, help_text="The run enqueued last")
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_succeeded_at = models.DateTimeField(null=True, blank=True)
    # Any run's end, failed or not: a job is late when its runs stop, not when one part of a
    # run fails (that failure shows among the failed tasks).
    last_finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name
