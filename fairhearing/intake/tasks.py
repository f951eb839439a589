"""Complaints accepted through the API are recorded in the background (`fairhearing db_worker`)."""

from django_tasks import task

from .services import submissions_record


@task()
def submissions_record_task() -> dict[str, int]:

    return submissions_record()
