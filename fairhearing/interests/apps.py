from django.apps import AppConfig


class InterestsConfig(AppConfig):
    name = "fairhearing.interests"
    label = "interests"
