"""Complaints accepted through the API are recorded in the background (`fairhearing db_worker`)."""

from django_tasks import task


@task()
def submissions_record_task() -> dict[str, int]:
    from .services import submissions_record

    return submissions_record()
