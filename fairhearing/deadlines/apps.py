from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "fairhearing.deadlines"
    label = "deadlines"
