"""Asking for a capture from a link, and asking again: each queues the capture task
(`tasks.evidence_capture_task`) once the caller's transaction commits, and is recorded on the
ledger (CAPTURE_REQUESTED). What the task runs is `capture_record.py`."""

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from fairhearing.cases.models import Case, Party
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.people.models import Person

from .capture import NOT_A_WEB_ADDRESS
from .models import CaptureRequest, EvidenceItem
from .services import CLOSED, EvidenceRefused
from .tasks import evidence_capture_task

NOT_FAILED = "Only a capture that failed can be tried again."
NO_LINK = "This item has no web address to capture again."
# Said to a complainant in their portal: in their language (the catalogue's).
NOT_ALLOWED = gettext_noop(
    "Links to posts cannot be sent here for this case: send a screenshot instead."
)
TOO_MANY = gettext_noop(
    "You have sent {n} links in the last day, as many as we take: send the rest tomorrow, or "
    "send screenshots."
)


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
        }
        | ({"person": request.requested_by_person_id} if actor is None else {}),
    )
    _queue(request)


def _checked_url(case: Case, url: str) -> str:
    if case.is_closed:
        raise EvidenceRefused(CLOSED)
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2000:
        raise EvidenceRefused(NOT_A_WEB_ADDRESS)
    return url


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
    url = _checked_url(case, url)
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
def capture_request_by_party(
    *, case: Case, person: Person, url: str, description: str = ""
) -> CaptureRequest:
    """A complainant's own request, from their portal, where the rulebook allows it
    (`evidence.complainant_capture`), up to `captures_per_day` in any 24 hours. The item it
    makes is theirs (`Source.PARTY`), as a file they send is."""
    spec = case.rulebook.spec
    if not spec.complainant_capture:
        raise EvidenceRefused(gettext(NOT_ALLOWED))
    if not case.parties.filter(person=person, role=Party.Role.COMPLAINANT).exists():
        raise EvidenceRefused(gettext(NOT_ALLOWED))
    url = _checked_url(case, url)
    # The person's row, locked: two requests at once cannot both pass the count.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    since = timezone.now() - dt.timedelta(days=1)
    asked = CaptureRequest.objects.filter(requested_by_person=person, requested_at__gte=since)
    if asked.count() >= spec.captures_per_day:
        raise EvidenceRefused(gettext(TOO_MANY).format(n=spec.captures_per_day))
    request = CaptureRequest.objects.create(
        case=case, url=url, description=description.strip(), requested_by_person=person
    )
    _requested(None, request)
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
