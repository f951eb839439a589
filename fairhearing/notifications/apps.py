from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "fairhearing.notifications"
    label = "notifications"
