from django_tasks import task

from .services import notifications_send_pending


@task()
def notifications_send_task() -> int:
    return notifications_send_pending()
