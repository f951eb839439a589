from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "fairhearing.evidence"
    default_auto_field = "django.db.models.BigAutoField"
