from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "fairhearing.intake"
    label = "intake"
