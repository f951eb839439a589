from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "fairhearing.workflow"
    label = "workflow"
