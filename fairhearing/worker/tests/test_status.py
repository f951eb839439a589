"""Readiness for monitors, and the status page administrators read and act on."""

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fairhearing.conftest import make_user, signed_in
from fairhearing.dossiers.models import Dossier
from fairhearing.dossiers.services import dossier_receive
from fairhearing.dossiers.tests.test_dossiers import row, to_csv
from fairhearing.ledger.models import Event, EventKind
from fairhearing.worker import services
from fairhearing.worker.models import Schedule

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_tasks(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def administrator(organisation):
    return make_user(organisation, "ada", "administrator", first_name="Ada")


def test_readiness_says_when_no_worker_runs_and_when_a_job_is_late() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["problems"] == [
        "No background worker is running.",
        "Time limits, reminders, emails and reports: has not run on time.",
    ]
    services.worker_register(worker_id="w1")
    services.schedules_sync()
    succeeded = timezone.now()
    Schedule.objects.update(last_succeeded_at=succeeded, last_finished_at=succeeded)
    assert Client().get("/readyz").json() == {
        "status": "ok",
        "workers": 1,
        "schedules": {
            "deadline-sweep": {
                "last_finished_at": succeeded.isoformat(),
                "last_succeeded_at": succeeded.isoformat(),
                "late": False,
            }
        },
        "problems": [],
    }
    # A run that finished with a part failed is not late: its failure shows elsewhere.
    Schedule.objects.update(last_succeeded_at=None)
    assert Client().get("/readyz").status_code == 200
    # Eleven minutes without a finished sweep (every five): late.
    Schedule.objects.update(last_finished_at=timezone.now() - dt.timedelta(minutes=11, seconds=1))
    late = Client().get("/readyz")
    assert late.status_code == 503
    assert late.json()["problems"] == [
        "Time limits, reminders, emails and reports: has not run on time."
    ]


def test_administrators_see_workers_jobs_and_failures_and_run_a_failure_again(
    administrator, organisation, case_officer, tmp_path
) -> None:
    services.worker_register(worker_id="w1")
    services.schedules_sync()
    dossier, _ = dossier_receive(
        actor=case_officer,
        organisation=organisation,
        source_name="Campaign",
        filename="branch.csv",
        data=to_csv([row("Ada One")]),
    )
    from fairhearing.dossiers.tasks import dossier_import_task

    dossier_import_task.enqueue(dossier.pk)
    failed = services.task_claim(worker_id="w1", tasks=DBTaskResult.objects.ready())
    assert failed is not None
    services.task_finish(worker_id="w1", result=failed, error=RuntimeError("boom"))
    client = signed_in(administrator)
    page = client.get(reverse("worker:status")).content.decode()
    assert "Background work" in page
    assert "Waiting for work" in page
    assert "Time limits, reminders, emails and reports" in page
    assert "Importing a dossier" in page and "Dossier “branch.csv”" in page
    assert "It stopped with an error." in page
    assert "RuntimeError" not in page and "boom" not in page  # no internals on the page
    response = client.post(reverse("worker:retry", args=[failed.id]))
    assert response.status_code == 302
    assert DBTaskResult.objects.filter(status="READY", task_path=failed.task_path).count() == 1
    assert Event.objects.filter(kind=EventKind.TASK_RETRIED, actor_id=administrator.pk).exists()
    again = client.get(reverse("worker:status")).content.decode()
    assert "will run again" in again


def test_another_organisations_dossier_task_is_neither_shown_nor_retried(
    administrator, organisation, case_officer
) -> None:
    from fairhearing.dossiers.tasks import dossier_import_task
    from fairhearing.organisations.services import organisation_create

    other = organisation_create(
        actor=None, name="Elsewhere Union", slug="elsewhere", reference_prefix="EU"
    )
    officer = make_user(other, "ed", "case_officer")
    dossier, _ = dossier_receive(
        actor=officer,
        organisation=other,
        source_name="X",
        filename="secret.csv",
        data=to_csv([row("Ada One")]),
    )
    services.worker_register(worker_id="w1")
    dossier_import_task.enqueue(dossier.pk)
    failed = services.task_claim(worker_id="w1", tasks=DBTaskResult.objects.ready())
    assert failed is not None
    services.task_finish(worker_id="w1", result=failed, error=RuntimeError("boom"))
    client = signed_in(administrator)
    assert "secret.csv" not in client.get(reverse("worker:status")).content.decode()
    assert client.post(reverse("worker:retry", args=[failed.id])).status_code == 404


def test_only_administrators_read_the_status_page(case_officer, organisation) -> None:
    assert signed_in(case_officer).get(reverse("worker:status")).status_code == 403
    governing = make_user(organisation, "gil", "governing_body")
    assert signed_in(governing).get(reverse("worker:status")).status_code == 403


def test_a_stalled_import_shows_as_stopped_and_staff_start_it_again(
    case_officer, organisation, django_capture_on_commit_callbacks
) -> None:
    dossier, _ = dossier_receive(
        actor=case_officer,
        organisation=organisation,
        source_name="Campaign",
        filename="branch.csv",
        data=to_csv([row("Ada One"), row("Bo Two")]),
    )
    # Its worker died after the start: running, no progress for ten minutes, no live task.
    Dossier.objects.filter(pk=dossier.pk).update(
        status=Dossier.Status.RUNNING, progress_at=timezone.now() - dt.timedelta(minutes=10)
    )
    client = signed_in(case_officer)
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "The import has stopped after 0 of 2 rows" in page
    assert "Start the import again" in page
    assert "Importing" not in page
    listing = client.get(reverse("dossiers:list")).content.decode()
    assert "Stopped before the end" in listing
    settings_immediate = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }

    with (
        override_settings(TASKS=settings_immediate),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("dossiers:resume", args=[dossier.pk]))
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.DONE and dossier.processed_rows == 2
    resumed = Event.objects.get(kind=EventKind.DOSSIER_RESUMED)
    assert resumed.actor_id == case_officer.pk
    done = client.post(reverse("dossiers:resume", args=[dossier.pk]), follow=True)
    assert "nothing to resume" in done.content.decode()


def test_uploading_a_stalled_dossier_again_resumes_it(
    case_officer, organisation, django_capture_on_commit_callbacks
) -> None:
    data = to_csv([row("Ada One")])
    dossier, _ = dossier_receive(
        actor=case_officer,
        organisation=organisation,
        source_name="Campaign",
        filename="branch.csv",
        data=data,
    )
    Dossier.objects.filter(pk=dossier.pk).update(
        status=Dossier.Status.RUNNING, progress_at=timezone.now() - dt.timedelta(minutes=10)
    )
    import io

    upload = io.BytesIO(data)
    upload.name = "branch.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(case_officer).post(
            reverse("dossiers:list"), {"source_name": "Campaign", "file": upload}, follow=True
        )
    page = response.content.decode()
    assert "its import had stopped after 0 of 1 rows. It has started again from there." in page
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    dossier.refresh_from_db()
    assert dossier.task_id  # the new task, followed by the page
    assert Event.objects.filter(kind=EventKind.DOSSIER_RESUMED).count() == 1


def test_an_import_still_running_is_not_started_twice(case_officer, organisation) -> None:
    from fairhearing.dossiers.services import NOT_STALLED, DossierRefused, dossier_resume
    from fairhearing.dossiers.tasks import dossier_import_task

    dossier, _ = dossier_receive(
        actor=case_officer,
        organisation=organisation,
        source_name="Campaign",
        filename="branch.csv",
        data=to_csv([row("Ada One")]),
    )
    Dossier.objects.filter(pk=dossier.pk).update(
        status=Dossier.Status.RUNNING, progress_at=timezone.now() - dt.timedelta(minutes=10)
    )
    # Queued behind other work while a worker is alive: waiting, not stalled.
    services.worker_register(worker_id="w1")
    dossier_import_task.enqueue(dossier.pk)
    dossier.refresh_from_db()
    with pytest.raises(DossierRefused, match=NOT_STALLED):
        dossier_resume(actor=case_officer, dossier=dossier)
    # The worker stops: now it is stalled, and may be started again.
    services.worker_stopped(worker_id="w1")
    assert dossier_resume(actor=case_officer, dossier=dossier).status == Dossier.Status.RUNNING


def test_the_same_file_again_resumes_only_a_stalled_import(case_officer, organisation) -> None:
    from fairhearing.dossiers.services import dossier_uploaded_again
    from fairhearing.ledger.models import Event, EventKind

    dossier, _ = dossier_receive(
        actor=case_officer,
        organisation=organisation,
        source_name="Campaign",
        filename="branch.csv",
        data=to_csv([row("Ada One")]),
    )
    Dossier.objects.filter(pk=dossier.pk).update(
        status=Dossier.Status.RUNNING, progress_at=timezone.now()
    )
    dossier.refresh_from_db()
    assert not dossier_uploaded_again(actor=case_officer, dossier=dossier)  # just moved
    Dossier.objects.filter(pk=dossier.pk).update(
        progress_at=timezone.now() - dt.timedelta(minutes=10)
    )
    dossier.refresh_from_db()
    assert dossier_uploaded_again(actor=case_officer, dossier=dossier)
    assert (
        Event.objects.filter(kind=EventKind.DOSSIER_RESUMED, actor_id=case_officer.pk).count() == 1
    )
