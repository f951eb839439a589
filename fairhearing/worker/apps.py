from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "fairhearing.worker"
    label = "worker"
    verbose_name = "Background work"
