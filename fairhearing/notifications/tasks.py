"""Sending queued emails in the background (`fairhearing db_worker`)."""

from django_tasks import task

from .sending import notifications_send_pending


@task()
def notifications_send_task() -> int:
    return notifications_send_pending()
