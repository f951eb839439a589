"""The work a capture task runs (`tasks.evidence_capture_task`): open the link in the browser
(`capture.py`), then record what it kept as the case's next item of evidence, or why it failed.

The browser runs outside any transaction (it may take the whole time limit); what it kept is
recorded in one transaction with its EVIDENCE_ADDED event, a failure with CAPTURE_FAILED.
"""

import json
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.linking.models import Fingerprint
from fairhearing.linking.services import fingerprint_record

from . import services
from .capture import Captured, CaptureFailed, page_capture
from .models import CaptureRequest, EvidenceItem, Source, WebCapture

CLOSED_SINCE = "The case was closed before the capture finished, so nothing was kept."
STOPPED = (
    "The capture stopped with an error, so nothing was kept. Try again, and tell your "
    "administrator if it happens again."
)
log = logging.getLogger(__name__)


def web_capture_sha256(
    *,
    item: EvidenceItem,
    captured: Captured,
    html_sha256: str,
    warc_sha256: str,
) -> str:
    """The item's hash: the canonical form of what was captured, every file by its hash."""
    canonical = json.dumps(
        {
            "requested_url": captured.requested_url,
            "final_url": captured.final_url,
            "http_status": captured.http_status,
            "captured_at": captured.captured_at.isoformat(),
            "captured_text": item.captured_text,
            "screenshot_sha256": item.blob_id,
            "html_sha256": html_sha256,
            "warc_sha256": warc_sha256,
            "software": captured.software,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return content_hash(canonical)


def capture_run(*, request_id: int) -> CaptureRequest:
    """Capture the request's link and record the outcome. A request no longer queued (already
    run, by a duplicate of its task) is left as it is."""
    request = CaptureRequest.objects.get(pk=request_id)
    if request.state != CaptureRequest.State.QUEUED:
        return request
    try:
        captured = page_capture(request.url)
    except CaptureFailed as failed:
        return capture_fail(request.pk, failed)
    except Exception:
        log.exception("capture request %s stopped with an error", request.pk)
        return capture_fail(request.pk, CaptureFailed(STOPPED, code="error"))
    return capture_keep(request.pk, captured)


@transaction.atomic
def capture_fail(request_id: int, failed: CaptureFailed) -> CaptureRequest:
    """Record why a queued capture failed (CAPTURE_FAILED); it may be tried again."""
    request = CaptureRequest.objects.select_for_update().get(pk=request_id)
    if request.state != CaptureRequest.State.QUEUED:
        return request
    request.state = CaptureRequest.State.FAILED
    request.failure = failed.reason
    request.failure_code = failed.code
    request.finished_at = timezone.now()
    request.save(update_fields=["state", "failure", "failure_code", "finished_at"])
    event_append(
        actor=request.requested_by,
        kind=EventKind.CAPTURE_FAILED,
        case_id=request.case_id,
        payload={"request": request.pk, "attempt": request.attempts, "reason": failed.code},
    )
    return request


@transaction.atomic
def capture_keep(request_id: int, captured: Captured) -> CaptureRequest:
    """Record what a queued capture kept as the case's next item (EVIDENCE_ADDED), with its
    `WebCapture`: the screenshot, HTML and WARC stored under their hashes."""
    request = (
        CaptureRequest.objects.select_for_update(of=("self",))
        .select_related("case", "requested_by_person")
        .get(pk=request_id)
    )
    if request.state != CaptureRequest.State.QUEUED:
        return request
    case = request.case
    if case.is_closed:
        return capture_fail(request.pk, CaptureFailed(CLOSED_SINCE, code="closed"))
    screenshot = services.blob_keep(captured.screenshot, content_type="image/png")
    html = services.blob_keep(captured.html, content_type="text/html")
    warc = services.blob_keep(captured.warc, content_type="application/warc")
    item = services.post_item(
        case=case,
        number=services.next_number(case),
        url=captured.requested_url,
        author_handle="",
        posted_at=None,
        captured_text=captured.text,
        captured_at=captured.captured_at,
        description=request.description,
        source=Source.PARTY if request.requested_by_person_id else Source.STAFF,
        actor=request.requested_by,
        person=request.requested_by_person,
        blob=screenshot,
    )
    item.sha256 = web_capture_sha256(
        item=item, captured=captured, html_sha256=html.sha256, warc_sha256=warc.sha256
    )
    services.evidence_record(
        item,
        actor=request.requested_by,
        extra={
            "capture": {
                "request": request.pk,
                "screenshot_sha256": screenshot.sha256,
                "html_sha256": html.sha256,
                "warc_sha256": warc.sha256,
                "final_url_sha256": content_hash(captured.final_url),
                "http_status": captured.http_status,
                "software": captured.software,
                "recapture_of": request.recapture_of_id,
            }
        },
    )
    WebCapture.objects.create(
        item=item,
        requested_url=captured.requested_url,
        final_url=captured.final_url,
        http_status=captured.http_status,
        title=captured.title,
        html_blob=html,
        warc_blob=warc,
        browser_version=captured.browser_version,
        software=captured.software,
        notes="\n".join(captured.notes),
        recapture_of=request.recapture_of,
    )
    request.state = CaptureRequest.State.CAPTURED
    request.item = item
    request.finished_at = timezone.now()
    request.failure = request.failure_code = ""
    request.save(update_fields=["state", "item", "finished_at", "failure", "failure_code"])
    fingerprint_record(
        case=case,
        source=Fingerprint.Source.EVIDENCE,
        source_id=item.pk,
        post_key=item.post_key,
        text=item.captured_text,
    )
    return request


def capture_task_detail(args: list[Any], organisation_id: int | None) -> str | None:
    """Which case a capture task was for, for the Background work page; None if another
    organisation's (it is not shown)."""
    request = (
        CaptureRequest.objects.filter(pk=args[0])
        .values("case__organisation_id", "case__reference")
        .first()
    )
    if request is None or request["case__organisation_id"] != organisation_id:
        return None
    return f"Capture from a link for case {request['case__reference']}"
