"""Asking for a capture from a link, and asking again: each queues the capture task
(`tasks.evidence_capture_task`) once the caller's transaction commits, and is recorded on the
ledger (CAPTURE_REQUESTED). What the task runs is `capture_record.py`."""

from typing import Any
from urllib.parse import urlsplit

from django.db import transaction

from fairhearing.cases.models import Case
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append

from .capture import NOT_A_WEB_ADDRESS
from .models import CaptureRequest, EvidenceItem
from .services import CLOSED, EvidenceRefused
from .tasks import evidence_capture_task

NOT_FAILED = "Only a capture that failed can be tried again."
NO_LINK = "This item has no web address to capture again."


def _queue(request: CaptureRequest) -> None:
    transaction.on_commit(lambda: evidence_capture_task.enqueue(request.pk))


def _requested(actor: Any, request: CaptureRequest) -> None:
    event_append(
        actor=actor,
        kind=EventKind.CAPTURE_REQUESTED,
        case_id=request.case_id,
        payload={
            "request": request.pk,
            "attempt": request.attempts,
            "url_sha256": content_hash(request.url),
            "recapture_of": request.recapture_of_id,
        },
    )
    _queue(request)


@transaction.atomic
def capture_request(
    *,
    actor: Any,
    case: Case,
    url: str,
    description: str = "",
    recapture_of: EvidenceItem | None = None,
) -> CaptureRequest:
    """Queue a capture of `url` for the case (the worker opens it: `capture.py`)."""
    if case.is_closed:
        raise EvidenceRefused(CLOSED)
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2000:
        raise EvidenceRefused(NOT_A_WEB_ADDRESS)
    request = CaptureRequest.objects.create(
        case=case,
        url=url,
        description=description.strip(),
        recapture_of=recapture_of,
        requested_by=actor,
    )
    _requested(actor, request)
    return request


@transaction.atomic
def capture_retry(*, actor: Any, request: CaptureRequest) -> CaptureRequest:
    """Queue a failed capture again, as the same request (its attempts counted)."""
    request = CaptureRequest.objects.select_for_update().select_related("case").get(pk=request.pk)
    if request.case.is_closed:
        raise EvidenceRefused(CLOSED)
    if request.state != CaptureRequest.State.FAILED:
        raise EvidenceRefused(NOT_FAILED)
    request.state = CaptureRequest.State.QUEUED
    request.attempts += 1
    request.requested_by = actor
    request.failure = request.failure_code = ""
    request.finished_at = None
    request.save(
        update_fields=[
            "state",
            "attempts",
            "requested_by",
            "failure",
            "failure_code",
            "finished_at",
        ]
    )
    _requested(actor, request)
    return request


def evidence_recapture(*, actor: Any, item: EvidenceItem) -> CaptureRequest:
    """Capture an item's link again: a new item, the earlier one kept and compared with it."""
    capture = getattr(item, "web_capture", None)
    url = capture.requested_url if capture is not None else item.url
    if not url:
        raise EvidenceRefused(NO_LINK)
    return capture_request(
        actor=actor, case=item.case, url=url, description=item.description, recapture_of=item
    )
