from django.apps import AppConfig


class DataProtectionConfig(AppConfig):
    name = "fairhearing.dataprotection"
    label = "dataprotection"
    verbose_name = "Data protection: retention, legal holds, subject access"
