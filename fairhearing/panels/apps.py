from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "fairhearing.panels"
    label = "panels"
