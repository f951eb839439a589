"""Captures from a link run in the background (`fairhearing db_worker`): a browser may take the
whole time limit, which no web request should wait for."""

from django_tasks import task

from .capture_record import capture_run


@task()
def evidence_capture_task(request_id: int) -> dict[str, object]:
    request = capture_run(request_id=request_id)
    return {"request": request.pk, "state": request.state}
