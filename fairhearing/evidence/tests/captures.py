"""A capture from a link recorded through its real write path (`capture_request`, then the
worker's `capture_keep`) with a browser's result made up here: for tests of the pages, the API
and the attack suite, which need a captured item but not Chromium."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from fairhearing.evidence.capture import Captured, CaptureFailed
from fairhearing.evidence.capture_queue import capture_request
from fairhearing.evidence.capture_record import capture_fail, capture_keep
from fairhearing.evidence.models import CaptureRequest

from .files import png

URL = "https://example.org/fictional_member/status/1"


def captured(url: str = URL, text: str = "An example post.", colour: str = "red") -> Captured:
    return Captured(
        requested_url=url,
        final_url=url,
        http_status=200,
        screenshot=png(colour),
        html=f"<!doctype html><p>{text}</p>".encode(),
        warc=b"WARC/1.0\r\n" + text.encode(),
        text=text,
        title="Post by @fictional_member",
        captured_at=timezone.now(),
        browser_version="156.0.8078.129",
        software="Fairhearing 0.1.0; Playwright 1.65.2; Chromium 156.0.8078.129",
        notes=[],
    )


@transaction.atomic
def capture_recorded(case: Any, actor: Any, **kwargs: Any) -> CaptureRequest:
    """Asked for and kept in one transaction: the task queued on its commit (run at once by
    the tests' task backend, where a test commits) finds it captured and does nothing."""
    request = capture_request(actor=actor, case=case, url=kwargs.get("url", URL))
    return capture_keep(request.pk, captured(**kwargs))


@transaction.atomic
def capture_failed(case: Any, actor: Any, url: str = URL) -> CaptureRequest:
    """Asked for and failed in one transaction (as `capture_recorded`)."""
    request = capture_request(actor=actor, case=case, url=url)
    return capture_fail(request.pk, CaptureFailed("The website could not be reached.", code="x"))
