from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fairhearing.core"
    label = "core"
