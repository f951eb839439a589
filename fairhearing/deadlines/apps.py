from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "fairhearing.deadlines"
    label = "deadlines"

    def ready(self) -> None:
        from fairhearing.worker.labels import schedule_register, task_register

        label = "Time limits, reminders, emails and reports"
        task_register("fairhearing.deadlines.tasks.deadline_sweep_task", label=label)
        schedule_register("deadline-sweep", label=label)
