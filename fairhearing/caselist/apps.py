from django.apps import AppConfig


class CaseListConfig(AppConfig):
    name = "fairhearing.caselist"
    label = "caselist"
