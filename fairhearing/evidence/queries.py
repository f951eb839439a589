"""Reads of evidence that views, the API and the portal share."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from fairhearing.cases.models import Allegation, Case
from fairhearing.ledger.chain import content_hash

from .models import CaptureRequest, EvidenceItem, WebCapture
from .posts import post_key


def evidence_of(case: Case) -> QuerySet[EvidenceItem]:
    return (
        EvidenceItem.objects.filter(case=case)
        .select_related("blob", "added_by", "added_by_person")
        .order_by("number")
    )


def evidence_item(case: Case, number: int) -> EvidenceItem:
    """The case's item with this number; 404 for any other (an id never reaches another case)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(evidence_of(case), number=number)


def captures_pending(case: Case) -> QuerySet[CaptureRequest]:
    """The case's captures from a link still running or failed (captured ones are items)."""
    return (
        CaptureRequest.objects.filter(case=case)
        .exclude(state=CaptureRequest.State.CAPTURED)
        .select_related("recapture_of")
    )


def capture_request_of(case: Case, request_id: int) -> CaptureRequest:
    """The case's capture request with this id; 404 for any other case's."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        CaptureRequest.objects.select_related("item"), case=case, pk=request_id
    )


def web_capture_of(item: EvidenceItem) -> WebCapture | None:
    return (
        WebCapture.objects.filter(item=item)
        .select_related("html_blob", "warc_blob", "recapture_of")
        .first()
    )


@dataclass(frozen=True)
class Side:
    """One capture of a link, as the comparison shows it."""

    number: int
    captured_at: dt.datetime | None
    final_url: str
    http_status: int | None
    text_sha256: str
    screenshot_sha256: str
    html_sha256: str
    warc_sha256: str


@dataclass(frozen=True)
class Comparison:
    earlier: Side
    later: Side

    @property
    def text_changed(self) -> bool:
        return self.earlier.text_sha256 != self.later.text_sha256

    @property
    def html_changed(self) -> bool | None:
        """None when the earlier item kept no HTML (typed in, not captured from the link)."""
        if not self.earlier.html_sha256 or not self.later.html_sha256:
            return None
        return self.earlier.html_sha256 != self.later.html_sha256

    @property
    def screenshot_changed(self) -> bool | None:
        if not self.earlier.screenshot_sha256 or not self.later.screenshot_sha256:
            return None
        return self.earlier.screenshot_sha256 != self.later.screenshot_sha256


def _side(item: EvidenceItem) -> Side:
    capture = web_capture_of(item)
    return Side(
        number=item.number,
        captured_at=item.captured_at,
        final_url=capture.final_url if capture else item.url,
        http_status=capture.http_status if capture else None,
        text_sha256=content_hash(item.captured_text),
        screenshot_sha256=item.blob_id or "",
        html_sha256=capture.html_blob_id if capture else "",
        warc_sha256=capture.warc_blob_id if capture else "",
    )


def capture_comparison(later: EvidenceItem) -> Comparison | None:
    """The item beside the item it captured again (None if it re-captured none)."""
    capture = web_capture_of(later)
    if capture is None or capture.recapture_of is None:
        return None
    return Comparison(earlier=_side(capture.recapture_of), later=_side(later))


def allegations_evidenced(case: Case) -> list[tuple[Allegation, list[int]]]:
    """The case's allegations, each with the numbers of the items that captured the post it
    names (the same post, however it was linked: `posts.post_key`)."""
    numbers: dict[str, list[int]] = defaultdict(list)
    items = EvidenceItem.objects.filter(case=case).exclude(post_key="").order_by("number")
    for key, number in items.values_list("post_key", "number"):
        numbers[key].append(number)
    return [
        (allegation, numbers.get(post_key(allegation.url), []) if allegation.url else [])
        for allegation in case.allegations.order_by("pk")
    ]
