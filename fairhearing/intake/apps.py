from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "fairhearing.intake"
    label = "intake"

    def ready(self) -> None:
        from fairhearing.worker.labels import task_register

        task_register(
            "fairhearing.intake.tasks.submissions_record_task",
            label="Recording complaints received",
        )
