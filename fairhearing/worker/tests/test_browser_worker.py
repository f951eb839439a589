"""An administrator reads the status of background work and runs a failed task again; a case
officer finds an import that stopped and starts it again. Every page passes axe-core."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Page, expect

from fairhearing.conftest import make_user
from fairhearing.core.testing.browser import assert_accessible, snapshot
from fairhearing.core.testing.pages import sign_in, sign_out
from fairhearing.dossiers.models import Dossier
from fairhearing.dossiers.services import dossier_receive
from fairhearing.dossiers.tasks import dossier_import_task
from fairhearing.dossiers.tests.test_dossiers import row, to_csv
from fairhearing.worker import services

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ledger_teardown")]


def test_an_administrator_sees_a_failure_and_a_case_officer_resumes_the_stopped_import(
    page: Page, live_server, organisation, case_officer, settings
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    administrator = make_user(organisation, "ada", "administrator", first_name="Ada")
    dossier, _ = dossier_receive(
        actor=case_officer,
        organisation=organisation,
        source_name="Campaign for Fair Branches",
        filename="branch-dossier.csv",
        data=to_csv([row("Ada One"), row("Bo Two")]),
    )
    services.worker_register(worker_id="w1")
    services.schedules_sync()
    task = dossier_import_task.enqueue(dossier.pk)
    Dossier.objects.filter(pk=dossier.pk).update(
        task_id=str(task.id),
        status=Dossier.Status.RUNNING,
        progress_at=timezone.now() - dt.timedelta(minutes=10),
    )
    # Its workers kept dying: given up after three claims.
    for attempt in range(3):
        services.task_claim(worker_id="w1", tasks=DBTaskResult.objects.ready())
        services.leases_reap(now=timezone.now() + dt.timedelta(minutes=5 + attempt))
    services.worker_register(worker_id="w1")

    base = live_server.url
    sign_in(page, base, administrator.username)
    page.get_by_role("link", name="Background work").click()
    expect(page.get_by_role("heading", name="Background work", level=1)).to_be_visible()
    failed = page.locator("#failed-tasks")
    expect(failed).to_contain_text("Importing a dossier")
    expect(failed).to_contain_text("The worker running this task stopped before it finished")
    expect(page.locator("#workers")).to_contain_text("Waiting for work")
    assert_accessible(page, context="background work")
    snapshot(page, "worker-status")
    failed.get_by_role("button", name="Run again").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "“Importing a dossier” will run again"
    )
    assert_accessible(page, context="background work, after a retry")
    sign_out(page)

    # The retried import waits in the queue, but the only worker has stopped since: the
    # import is stalled, and the case officer sees it so.
    services.worker_stopped(worker_id="w1")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    sign_in(page, base, case_officer.username)
    page.goto(f"{base}/dossiers/{dossier.pk}/")
    expect(page.locator("#dossier-stalled")).to_contain_text(
        "The import has stopped after 0 of 2 rows"
    )
    expect(page.locator("#dossier-status")).to_have_text("Stopped before the end")
    assert_accessible(page, context="stopped dossier")
    snapshot(page, "dossier-stalled")
    page.get_by_role("button", name="Start the import again").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The import has started again from row 1 of 2."
    )
