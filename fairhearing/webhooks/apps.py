from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "fairhearing.webhooks"
    label = "webhooks"
