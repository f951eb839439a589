from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "fairhearing.dossiers"
    default_auto_field = "django.db.models.BigAutoField"
