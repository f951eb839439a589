"""Leases, retries and schedules, in one process: what the worker's housekeeping does with a
task whose worker stopped, and with a recurring job that is due."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fairhearing.deadlines.tasks import deadline_sweep_task
from fairhearing.ledger.models import Event, EventKind
from fairhearing.worker import services
from fairhearing.worker.models import Schedule, WorkerProcess

from .tasks import note_run

pytestmark = pytest.mark.django_db
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _database_tasks(settings) -> None:
    settings.TASKS = DATABASE_TASKS
    settings.WORKER_LEASE_SECONDS = 60
    settings.WORKER_MAX_ATTEMPTS = 3


def claim(worker_id: str) -> DBTaskResult | None:
    services.worker_register(worker_id=worker_id)
    return services.task_claim(worker_id=worker_id, tasks=DBTaskResult.objects.ready())


def claimed(worker_id: str) -> DBTaskResult:
    result = claim(worker_id)
    assert result is not None
    return result


def test_a_claimed_task_is_leased_to_its_worker(tmp_path) -> None:
    queued = note_run.enqueue(str(tmp_path), 1)
    result = claim("w1")
    assert result is not None and str(result.id) == str(queued.id)
    assert result.status == "RUNNING" and result.worker_ids == ["w1"]
    worker = WorkerProcess.objects.get(pk="w1")
    assert worker.task_id == result.id
    assert worker.lease_until is not None
    assert worker.lease_until > timezone.now() + dt.timedelta(seconds=50)
    assert claim("w2") is None  # nothing else to take


def test_a_live_lease_is_left_alone_and_a_lapsed_one_taken_up_again(tmp_path) -> None:
    note_run.enqueue(str(tmp_path), 1)
    result = claimed("w1")
    later = timezone.now() + dt.timedelta(seconds=30)
    assert services.leases_reap(now=later) == {"requeued": 0, "failed": 0}
    services.worker_beat(worker_id="w1")  # renewed: still alive well past the first lease
    assert services.leases_reap(now=timezone.now() + dt.timedelta(seconds=59)) == {
        "requeued": 0,
        "failed": 0,
    }
    # No beat for a whole lease: the worker is taken for dead and its task queued again.
    gone = timezone.now() + dt.timedelta(seconds=121)
    assert services.leases_reap(now=gone) == {"requeued": 1, "failed": 0}
    result.refresh_from_db()
    assert result.status == "READY" and result.started_at is None
    assert WorkerProcess.objects.get(pk="w1").task_id is None
    # The worker that took it up records the outcome; the one taken for dead cannot.
    again = claimed("w2")
    assert again.worker_ids == ["w1", "w2"]
    assert not services.task_finish(worker_id="w1", result=result, value=1)
    assert services.task_finish(worker_id="w2", result=again, value=2)
    again.refresh_from_db()
    assert again.status == "SUCCESSFUL" and again.return_value == 2


def test_a_task_whose_workers_keep_dying_is_given_up_with_the_reason(tmp_path) -> None:
    note_run.enqueue(str(tmp_path), 1)
    events = Event.objects.filter(kind=EventKind.TASK_GAVE_UP)
    for attempt in range(1, 4):
        assert claim(f"w{attempt}") is not None
        outcome = services.leases_reap(now=timezone.now() + dt.timedelta(minutes=3))
        assert outcome == (
            {"requeued": 1, "failed": 0} if attempt < 3 else {"requeued": 0, "failed": 1}
        )
    result = DBTaskResult.objects.get()
    assert result.status == "FAILED"
    assert result.traceback == services.GAVE_UP.format(attempts=3)
    assert events.count() == 1 and events.get().payload == {"task": str(result.id), "attempts": 3}
    assert claim("w4") is None


def test_a_recurring_job_runs_once_at_a_time_and_catches_up_once() -> None:
    services.schedules_sync()
    schedule = Schedule.objects.get(name="deadline-sweep")
    assert schedule.task_path == deadline_sweep_task.module_path
    assert services.schedules_run() == ["deadline-sweep"]
    # Due again much later, but the first run has not ended: nothing more is queued.
    far = timezone.now() + dt.timedelta(hours=3)
    assert services.schedules_run(now=far) == []
    sweeps = DBTaskResult.objects.filter(task_path=deadline_sweep_task.module_path)
    assert sweeps.count() == 1
    # The run ends; three hours of missed intervals bring one run, not thirty-six.
    result = claimed("w1")
    assert services.task_finish(worker_id="w1", result=result, value={})
    schedule.refresh_from_db()
    assert schedule.last_succeeded_at is not None
    assert services.schedules_run(now=far) == ["deadline-sweep"]
    assert services.schedules_run(now=far) == []
    assert sweeps.count() == 2


def test_a_recurring_job_whose_run_failed_runs_again_at_its_next_interval() -> None:
    services.schedules_sync()
    services.schedules_run()
    result = claimed("w1")
    services.task_finish(worker_id="w1", result=result, error=RuntimeError("mail server down"))
    assert DBTaskResult.objects.get(pk=result.pk).status == "FAILED"
    assert services.schedules_run() == []  # not before its interval
    assert services.schedules_run(now=timezone.now() + dt.timedelta(minutes=6)) == [
        "deadline-sweep"
    ]


def test_asking_for_a_run_now_does_not_double_one_waiting() -> None:
    assert services.schedule_run_now(name="deadline-sweep")
    assert not services.schedule_run_now(name="deadline-sweep")
    assert DBTaskResult.objects.filter(task_path=deadline_sweep_task.module_path).count() == 1


def test_a_failed_task_is_run_again_once_and_the_retry_recorded(tmp_path, organisation) -> None:
    from fairhearing.conftest import make_user

    admin = make_user(organisation, "ada", "administrator")
    note_run.enqueue(str(tmp_path), 7)
    result = claimed("w1")
    services.task_finish(worker_id="w1", result=result, error=RuntimeError("disk full"))
    result.refresh_from_db()
    again = services.task_retry(actor=admin, result=result)
    assert again.status == "READY" and again.args_kwargs == result.args_kwargs
    result.refresh_from_db()
    assert result.status == "FAILED" and result.return_value == {"retried_as": str(again.id)}
    event = Event.objects.get(kind=EventKind.TASK_RETRIED)
    assert event.actor_id == admin.pk
    with pytest.raises(services.TaskNotRetriable):
        services.task_retry(actor=admin, result=result)


def test_a_worker_told_to_stop_gives_its_task_back_without_using_an_attempt(tmp_path) -> None:
    note_run.enqueue(str(tmp_path), 1)
    result = claimed("w1")
    services.task_interrupted(worker_id="w1", result=result)
    result.refresh_from_db()
    assert result.status == "READY" and result.worker_ids == []
    assert WorkerProcess.objects.get(pk="w1").task_id is None


def test_retrying_a_failed_sweep_runs_the_job_once_not_beside_its_next_run() -> None:
    from fairhearing.conftest import make_user
    from fairhearing.organisations.services import organisation_create

    organisation = organisation_create(actor=None, name="Northfield", slug="northfield")
    admin = make_user(organisation, "ada", "administrator")
    services.schedules_sync()
    services.schedules_run()
    failed = claimed("w1")
    services.task_finish(worker_id="w1", result=failed, error=RuntimeError("down"))
    failed.refresh_from_db()
    again = services.task_retry(actor=admin, result=failed)
    assert again.status == "READY"
    assert Schedule.objects.get(name="deadline-sweep").task_id == again.id
    assert services.schedules_run(now=timezone.now() + dt.timedelta(hours=1)) == []
    sweeps = DBTaskResult.objects.filter(task_path=deadline_sweep_task.module_path)
    assert sweeps.filter(status="READY").count() == 1


def test_a_job_no_longer_in_settings_is_forgotten_and_never_run(settings) -> None:
    Schedule.objects.create(
        name="old-job", task_path="fairhearing.nowhere.tasks.gone", every_seconds=60
    )
    services.schedules_sync()
    assert not Schedule.objects.filter(name="old-job").exists()
    assert services.schedules_run() == ["deadline-sweep"]


def test_a_sweep_queued_before_the_upgrade_still_runs() -> None:
    # The sweep used to re-enqueue itself with reschedule=True.
    result = deadline_sweep_task.call(reschedule=True)
    assert "breaches" in result
