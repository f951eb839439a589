from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "fairhearing.oversight"
    label = "oversight"
