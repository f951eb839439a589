"""What each background task and recurring job is called on the status page.

Each app names its own tasks (in its AppConfig.ready), so the worker app, below them all,
imports none of them. A task may also say which piece of work a run was and whose it is
(`describe`: its arguments and the reader's organisation give a line, or None when the run
belongs to another organisation and is not shown)."""

from collections.abc import Callable
from typing import Any

Describe = Callable[[list[Any], int | None], str | None]

_labels: dict[str, str] = {}
_describers: dict[str, Describe] = {}
_schedules: dict[str, str] = {}
OTHER = "Other background work"


def task_register(path: str, *, label: str, describe: Describe | None = None) -> None:
    _labels[path] = label
    if describe is not None:
        _describers[path] = describe


def schedule_register(name: str, *, label: str) -> None:
    _schedules[name] = label


def task_label(path: str) -> str:
    return _labels.get(path, OTHER)


def schedule_label(name: str) -> str:
    return _schedules.get(name, OTHER)


def task_detail(path: str, args: list[Any], organisation_id: int | None) -> str | None:
    describe = _describers.get(path)
    return describe(args, organisation_id) if describe else ""
