from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "fairhearing.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from fairhearing.operations.metrics import database_gauge_register

        from .queries import deliveries_failed_counts

        database_gauge_register(
            "fairhearing_webhook_deliveries_failed",
            documentation="Webhook deliveries whose last attempt failed: retrying, or given up on.",
            labels=("state",),
            read=lambda now, cap: {
                (state,): count for state, count in deliveries_failed_counts(cap=cap).items()
            },
        )
