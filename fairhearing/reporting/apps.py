from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "fairhearing.reporting"
    label = "reporting"
