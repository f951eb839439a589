from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "fairhearing.evidence"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from fairhearing.worker.labels import task_register

        from .capture_record import capture_task_detail

        task_register(
            "fairhearing.evidence.tasks.evidence_capture_task",
            label="Capturing evidence from a link",
            describe=capture_task_detail,
        )
