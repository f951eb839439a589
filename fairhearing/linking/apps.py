from django.apps import AppConfig


class LinkingConfig(AppConfig):
    name = "fairhearing.linking"
    default_auto_field = "django.db.models.BigAutoField"
