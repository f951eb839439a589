from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "fairhearing.notifications"
    label = "notifications"

    def ready(self) -> None:
        from fairhearing.worker.labels import task_register

        task_register(
            "fairhearing.notifications.tasks.notifications_send_task", label="Sending emails"
        )
