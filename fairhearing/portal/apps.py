from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "fairhearing.portal"
    label = "portal"
