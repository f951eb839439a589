from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "fairhearing.compliance"
    label = "compliance"
