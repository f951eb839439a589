from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "fairhearing.organisations"
    label = "organisations"
