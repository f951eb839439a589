import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from fairhearing.deadlines.tasks import deadline_sweep_task

pytestmark = pytest.mark.django_db


def test_scheduling_twice_starts_one_sweep(settings, capsys) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("deadlines", "schedule")
    call_command("deadlines", "schedule")
    assert "already scheduled" in capsys.readouterr().out
    pending = DBTaskResult.objects.filter(task_path=deadline_sweep_task.module_path)
    assert pending.count() == 1
    assert pending.get().status == "READY"


def test_the_sweep_command_reports_what_it_did(make_complaint, capsys) -> None:
    make_complaint().cases.get().deadlines.update(due_at="2020-01-01T00:00:00Z")
    call_command("deadlines", "sweep")
    assert "breaches recorded: 1" in capsys.readouterr().out
