from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "fairhearing.deadlines"
    label = "deadlines"

    def ready(self) -> None:
        from fairhearing.operations.metrics import database_gauge_register
        from fairhearing.worker.labels import schedule_register, task_register

        from .queries import overdue_limits_count

        label = "Time limits, reminders, emails and reports"
        task_register("fairhearing.deadlines.tasks.deadline_sweep_task", label=label)
        schedule_register("deadline-sweep", label=label)
        database_gauge_register(
            "fairhearing_time_limits_overdue",
            documentation="Running time limits binding the organisation, past their due time.",
            read=lambda now, cap: overdue_limits_count(now=now, cap=cap),
        )
