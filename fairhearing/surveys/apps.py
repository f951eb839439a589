from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "fairhearing.surveys"
    label = "surveys"
