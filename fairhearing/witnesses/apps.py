from django.apps import AppConfig


class WitnessesConfig(AppConfig):
    name = "fairhearing.witnesses"
    label = "witnesses"
