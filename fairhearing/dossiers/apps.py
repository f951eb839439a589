from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "fairhearing.dossiers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from fairhearing.worker.labels import task_register

        from .queries import dossier_task_detail

        task_register(
            "fairhearing.dossiers.tasks.dossier_import_task",
            label="Importing a dossier",
            describe=dossier_task_detail,
        )
