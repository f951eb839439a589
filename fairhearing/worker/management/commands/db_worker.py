"""`fairhearing db_worker`: django-tasks-db's worker, with leases, retries and schedules.

The same options as django-tasks-db's command (it takes precedence, being listed first in
INSTALLED_APPS). What it adds: each claimed task is leased to the process and the lease
renewed by a heartbeat thread; lapsed leases are taken up again (services.leases_reap); the
recurring jobs in settings.WORKER_SCHEDULES are enqueued when due (services.schedules_run).
Several workers can run side by side, on one host or several.
"""

import logging
import threading
import time
from typing import Any

from django.db import close_old_connections, connection
from django.db.utils import OperationalError
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception

from fairhearing.worker import faults, services

logger = logging.getLogger("fairhearing.worker")


class Heartbeat(threading.Thread):
    """Renews the worker's liveness and lease every `beat_interval()` seconds, on its own
    database connection, whatever the task in the main thread is doing."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="fairhearing-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(services.beat_interval()):
                try:
                    if not services.worker_beat(worker_id=self.worker_id):
                        services.worker_register(worker_id=self.worker_id)
                except Exception:  # the database went away for a moment: beat again later
                    logger.exception("heartbeat failed")
                    self.close_quietly()
        finally:
            self.close_quietly()

    @staticmethod
    def close_quietly() -> None:
        try:
            connection.close()
        except Exception:  # a broken connection may fail to close; the next beat opens anew
            logger.exception("heartbeat: closing the connection failed")


class Worker(upstream.Worker):
    def run(self) -> None:
        logger.info("Starting worker %s queues=%s", self.worker_id, ",".join(self.queue_names))
        services.current_worker_set(self.worker_id)
        services.worker_register(worker_id=self.worker_id)
        services.schedules_sync()
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.start()
        housekeeping_due = 0.0
        try:
            while self.running:
                close_old_connections()
                if time.monotonic() >= housekeeping_due:
                    self.housekeeping()
                    housekeeping_due = time.monotonic() + services.beat_interval()
                result, retrieved = self.claim()
                if result is not None:
                    self.run_task(result)
                if self.batch and retrieved and result is None:
                    return
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                close_old_connections()
                if self.running and result is None:
                    time.sleep(self.interval)
        finally:
            heartbeat.stopping.set()
            heartbeat.join(timeout=5)
            services.worker_stopped(worker_id=self.worker_id)

    def housekeeping(self) -> None:
        """Take up lapsed leases, enqueue due recurring jobs, forget long-gone workers. A
        failure here is logged and tried again next time: it must never stop the worker."""
        for step in (services.leases_reap, services.schedules_run, services.workers_forget):
            try:
                step()
            except OperationalError as exc:
                if not is_locked_database_exception(exc):
                    logger.exception("housekeeping: %s failed", step.__name__)
            except Exception:
                logger.exception("housekeeping: %s failed", step.__name__)

    def claim(self) -> tuple[DBTaskResult | None, bool]:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        try:
            return services.task_claim(worker_id=self.worker_id, tasks=tasks), True
        except OperationalError as exc:
            if is_locked_database_exception(exc):  # SQLite busy: try again next time round
                return None, False
            raise

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the task and record its outcome, unless the lease was lost meanwhile (then the
        run that took over records it). Told to stop in the middle, the worker gives the task
        back to the queue instead of marking it failed."""
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = type(task.get_backend())
            task_started.send(sender=backend_type, task_result=task_result)
            faults.checkpoint("task.start")
            if task.takes_context:
                value = task.call(
                    TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs
                )
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            faults.checkpoint("task.end")
            if services.task_finish(worker_id=self.worker_id, result=db_task_result, value=value):
                task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except (KeyboardInterrupt, SystemExit):
            services.task_interrupted(worker_id=self.worker_id, result=db_task_result)
            raise
        except Exception as exc:
            logger.exception("task %s failed", db_task_result.id)
            try:
                services.task_finish(worker_id=self.worker_id, result=db_task_result, error=exc)
            except Exception:
                logger.exception("task %s: its failure could not be recorded", db_task_result.id)
        finally:
            self.running_task = False
            self._run_tasks += 1


class Command(upstream.Command):
    help = "Run the background worker (leased tasks, retries, recurring jobs)"

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.set_defaults(reload=False)  # django-tasks-db's default follows DEBUG

    def handle(self, **options: Any) -> None:
        # No autoreload (django-tasks-db turns it on under DEBUG): the reloader ends the
        # worker's thread on every code change or SIGTERM without giving its task back, so
        # each reload would cost the task an attempt.
        if options.get("reload"):
            logger.warning("db_worker: --reload is not supported (tasks would be cut off)")
        options["reload"] = False
        # django-tasks-db's handle builds its own Worker from the module's name; give it ours.
        original = upstream.Worker
        upstream.Worker = Worker  # type: ignore[misc]
        try:
            super().handle(**options)
        finally:
            upstream.Worker = original  # type: ignore[misc]
