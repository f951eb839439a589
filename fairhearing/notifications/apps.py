from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "fairhearing.notifications"
    label = "notifications"

    def ready(self) -> None:
        from fairhearing.operations.metrics import database_gauge_register
        from fairhearing.worker.labels import task_register

        from .queries import emails_failed_counts

        task_register(
            "fairhearing.notifications.tasks.notifications_send_task", label="Sending emails"
        )
        database_gauge_register(
            "fairhearing_emails_failed",
            documentation="Emails whose last attempt failed: retrying, or given up on.",
            labels=("state",),
            read=lambda now, cap: {
                (state,): count for state, count in emails_failed_counts(cap=cap).items()
            },
        )
