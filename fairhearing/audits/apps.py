from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "fairhearing.audits"
    label = "audits"
