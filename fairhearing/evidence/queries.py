"""Reads of evidence that views, the API and the portal share."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from fairhearing.cases.models import Allegation, Case
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import Event, EventKind
from fairhearing.people.models import Person

from .derivative import is_image, is_pdf
from .models import CaptureRequest, EvidenceItem, Redaction, WebCapture
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


def redaction_of(item: EvidenceItem) -> Redaction | None:
    """The item's redaction in force (the latest), or None."""
    return item.redactions.select_related("blob", "decided_by").first()


def redactions_of(items: list[EvidenceItem]) -> dict[int, Redaction]:
    """The redaction in force of each of these items that has one, in one query."""
    latest: dict[int, Redaction] = {}
    for redaction in Redaction.objects.filter(item__in=items).select_related("blob"):
        latest.setdefault(redaction.item_id, redaction)  # ordered latest first per item
    return latest


CUSTODY_KINDS = (
    EventKind.EVIDENCE_ADDED,
    EventKind.EVIDENCE_VIEWED,
    EventKind.EVIDENCE_REDACTED,
    EventKind.EVIDENCE_EXPORTED,
    EventKind.EVIDENCE_DISCLOSED,
)


@dataclass(frozen=True)
class CustodyStep:
    """One step in an item's chain of custody, read from the ledger."""

    seq: int
    at: dt.datetime
    kind: int
    what: str
    actor_id: int | None
    person_id: int | None
    sha256: str

    @property
    def by_staff(self) -> bool:
        return self.actor_id is not None


def _mentions(payload: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """The items an event is about: one (`item`), or a bundle's list (`items`)."""
    if isinstance(payload.get("item"), int):
        return [(payload["item"], payload)]
    return [
        (listed["item"], listed)
        for listed in payload.get("items") or ()
        if isinstance(listed, dict) and isinstance(listed.get("item"), int)
    ]


def custody_of(item: EvidenceItem) -> list[CustodyStep]:
    """Who added the item (or captured it), opened, redacted, exported and disclosed it, and
    when, from the ledger's events on its case, oldest first."""
    return custody_of_items(item.case_id, [item.pk]).get(item.pk, [])


def custody_of_items(case_id: int, item_ids: list[int]) -> dict[int, list[CustodyStep]]:
    """Each item's chain of custody (`custody_of`), read in one pass over the case's events."""
    wanted = set(item_ids)
    steps: dict[int, list[CustodyStep]] = {}
    events = Event.objects.filter(case_id=case_id, kind__in=CUSTODY_KINDS).order_by("seq")
    for event in events.only("seq", "at", "kind", "actor_id", "payload"):
        payload = event.payload or {}
        person = payload.get("person")
        for item_id, mention in _mentions(payload):
            if item_id not in wanted:
                continue
            steps.setdefault(item_id, []).append(
                CustodyStep(
                    seq=event.seq,
                    at=event.at,
                    kind=event.kind,
                    what=_custody_words(event.kind, payload, mention),
                    actor_id=event.actor_id,
                    person_id=person if isinstance(person, int) else None,
                    sha256=str(mention.get("disclosed_sha256") or mention.get("sha256") or ""),
                )
            )
    return steps


def _custody_words(kind: int, payload: dict[str, Any], mention: dict[str, Any]) -> str:
    if kind == EventKind.EVIDENCE_ADDED:
        return "Captured from a link" if payload.get("capture") else "Added"
    if kind == EventKind.EVIDENCE_VIEWED:
        if payload.get("redaction"):
            return "Redacted copy opened"
        if payload.get("part"):
            return "Capture's HTML opened" if payload["part"] == "html" else "Capture's WARC opened"
        if payload.get("page"):
            return f"Opened to mark for redaction (page {payload['page']})"
        return "Opened"
    if kind == EventKind.EVIDENCE_REDACTED:
        return "Redacted copy made for disclosure"
    if kind == EventKind.EVIDENCE_EXPORTED:
        whose = "hearing panel" if payload.get("audience") == "panel" else "respondent"
        return f"In the {whose}'s bundle"
    redacted = " (the redacted copy)" if mention.get("disclosed_sha256") else ""
    return f"Disclosed to the {payload.get('to', 'respondent')}{redacted}"


@dataclass(frozen=True)
class CustodyRow:
    step: CustodyStep
    who: str


def custody_rows(steps: list[CustodyStep]) -> list[CustodyRow]:
    """The steps with who took each, by name, for the staff page (staff by their display name,
    a party by theirs, the system as "Fairhearing")."""
    staff = {
        u.pk: u.display_name
        for u in get_user_model().objects.filter(pk__in={s.actor_id for s in steps if s.actor_id})
    }
    people = {
        p.pk: p.full_name
        for p in Person.objects.filter(pk__in={s.person_id for s in steps if s.person_id})
    }
    rows = []
    for step in steps:
        if step.actor_id:
            who = staff.get(step.actor_id, "A former member of staff")
        elif step.person_id:
            who = people.get(step.person_id, "A party")
        else:
            who = "Fairhearing"
        rows.append(CustodyRow(step=step, who=who))
    return rows


@dataclass(frozen=True)
class DisclosureCheck:
    """What to look at before the respondent's bundle goes out: the items with a redacted
    copy, and, where a complainant's identity is protected, the pictures and PDFs with none
    (names in text are taken out by themselves; what is inside a picture is not)."""

    redacted: frozenset[int]
    protected: bool
    unchecked: list[EvidenceItem]


def disclosure_check(case: Case, items: list[EvidenceItem]) -> DisclosureCheck:
    redacted = frozenset(
        Redaction.objects.filter(item__case=case).values_list("item_id", flat=True)
    )
    protected = case.parties.filter(role="complainant", identity_protected=True).exists()
    unchecked = [
        item
        for item in items
        if protected
        and item.pk not in redacted
        and item.blob is not None
        and (is_image(item.blob.content_type) or is_pdf(item.blob.content_type))
    ]
    return DisclosureCheck(redacted=redacted, protected=protected, unchecked=unchecked)
