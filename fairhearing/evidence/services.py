"""Every write to evidence: add a file, add a post capture, and the custody of both.

Items are immutable: there is no edit and no delete here. Reading an item's bytes, disclosing
it to a party and exporting it in a bundle each leave a custody event on the ledger.
"""

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from fairhearing.cases.models import Case
from fairhearing.core.bulk import insert_many
from fairhearing.core.errors import CaseError
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.linking.models import Fingerprint
from fairhearing.linking.services import fingerprint_record
from fairhearing.people.models import Person

from . import derivative, sniff
from .derivative import Area
from .models import Blob, EvidenceItem, Kind, Redaction, Source, WebCapture
from .posts import platform_of, post_key
from .queries import evidence_of, redactions_of
from .redaction import AUDIENCES, RESPONDENT
from .storage import blob_read, blob_write, sha256_hex

NEEDS_URL_OR_TEXT = "Give the post's web address or the text that was captured."
SCREENSHOT_NOT_IMAGE = "The screenshot must be an image (PNG, JPEG, GIF or WebP)."
POSTED_IN_FUTURE = "The post cannot have been made in the future."
CAPTURED_BEFORE_POSTED = "The capture cannot be earlier than the post."
CLOSED = "Evidence cannot be added to a closed case."
# One of several files refused: which one, and why (with the files we take, where the reason
# does not already say).
FILE_REFUSED = gettext_noop("“{name}” cannot be added: {reason}")
ACCEPTED_FILES = gettext_noop(
    "Add PDF, PNG, JPEG, GIF, WebP or plain text files, up to {limit} MB each."
)


class EvidenceRefused(CaseError):
    """A file or capture we will not accept, with the reason (shown on forms, 409 on the API)."""


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def upload_check(upload: Upload) -> sniff.Checked:
    """The file's safe name and type, or `EvidenceRefused` with the reason a person can act
    on (checked again as it is stored: a form may check it first, to say so at once)."""
    try:
        return sniff.check(upload.name, upload.data, max_bytes=settings.EVIDENCE_MAX_BYTES)
    except sniff.FileRefused as refused:
        raise EvidenceRefused(str(refused)) from refused


def blob_store(upload: Upload) -> tuple[Blob, str]:
    """Check a file (type, size) and keep it under its hash: the blob and the file's safe
    name. Raises `EvidenceRefused` with the reason. Also what a sanction's proof of
    compliance is kept as (compliance app)."""
    checked = upload_check(upload)
    digest = blob_write(upload.data)
    blob, _ = Blob.objects.get_or_create(
        sha256=digest, defaults={"size": len(upload.data), "content_type": checked.content_type}
    )
    return blob, checked.name


def _next_number(case: Case) -> int:
    # The case row lock serialises numbering per case on PostgreSQL (SQLite's IMMEDIATE
    # transaction already holds the write lock).
    Case.objects.select_for_update().filter(pk=case.pk).first()
    top = EvidenceItem.objects.filter(case=case).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def _record(item: EvidenceItem, actor: Any, extra: dict[str, Any] | None = None) -> EvidenceItem:
    # Field checks only: the related rows are the caller's own, and the database enforces the
    # numbering and the file-has-a-blob rule.
    item.full_clean(
        exclude=["case", "blob", "added_by", "added_by_person"], validate_constraints=False
    )
    item.save()
    event_append(
        actor=actor,
        kind=EventKind.EVIDENCE_ADDED,
        case_id=item.case_id,
        payload=evidence_added_payload(item) | (extra or {}),
    )
    return item


def evidence_record(item: EvidenceItem, *, actor: Any, extra: dict[str, Any]) -> EvidenceItem:
    """Save an item made elsewhere in this app (a capture from a link: `capture_record`) with
    its EVIDENCE_ADDED event, `extra` added to the event's payload. In the caller's
    transaction."""
    return _record(item, actor, extra)


def blob_keep(data: bytes, *, content_type: str) -> Blob:
    """Bytes this app made itself (a capture's screenshot, HTML, WARC), kept under their hash
    with no check of their type: they are only ever served as downloads (`responses.py`)."""
    digest = blob_write(data)
    blob, _ = Blob.objects.get_or_create(
        sha256=digest, defaults={"size": len(data), "content_type": content_type}
    )
    return blob


def next_number(case: Case) -> int:
    """The case's next item number, the case row locked (in the caller's transaction)."""
    return _next_number(case)


def evidence_added_payload(item: EvidenceItem) -> dict[str, Any]:
    """The EVIDENCE_ADDED event's payload (one definition for one item or many)."""
    return {
        "item": item.pk,
        "number": item.number,
        "kind": item.kind,
        "sha256": item.sha256,
        "blob": item.blob_id,
        "source": item.source,
        "person": item.added_by_person_id,
        "description_sha256": content_hash(item.description),
    }


@transaction.atomic
def evidence_add_file(
    *,
    actor: Any,
    case: Case,
    upload: Upload,
    description: str = "",
    source: str = Source.STAFF,
    person: Person | None = None,
) -> EvidenceItem:
    """Store the file under its hash and record it as the case's next item."""
    if case.is_closed:
        raise EvidenceRefused(CLOSED)
    blob, name = blob_store(upload)
    item = EvidenceItem(
        case=case,
        number=_next_number(case),
        kind=Kind.FILE,
        description=description.strip(),
        blob=blob,
        original_name=name,
        source=source,
        added_by=actor,
        added_by_person=person,
        sha256=blob.sha256,
    )
    return _record(item, actor)


@transaction.atomic
def evidence_add_files(
    *,
    actor: Any,
    case: Case,
    uploads: list[Upload],
    description: str = "",
    source: str = Source.STAFF,
    person: Person | None = None,
) -> list[EvidenceItem]:
    """Several files as the case's next items, in order: all or none. Every file is checked
    before any is stored, so a refused one (named in `EvidenceRefused`) leaves nothing behind,
    not even bytes on disk."""
    for upload in uploads:
        try:
            sniff.check(upload.name, upload.data, max_bytes=settings.EVIDENCE_MAX_BYTES)
        except sniff.FileRefused as refused:
            message = file_refused_message(upload.name, str(refused), code=refused.code)
            raise EvidenceRefused(message) from refused
    return [
        evidence_add_file(
            actor=actor,
            case=case,
            upload=upload,
            description=description,
            source=source,
            person=person,
        )
        for upload in uploads
    ]


def file_refused_message(name: str, reason: str, *, code: str = "") -> str:
    """Why one of several files was refused, naming it and the files that are accepted, in
    the request's language."""
    message = gettext(FILE_REFUSED).format(name=sniff.safe_name(name), reason=reason)
    if code == "unknown_type":  # it names them already
        return message
    limit = settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
    return f"{message} {gettext(ACCEPTED_FILES).format(limit=limit)}"


def capture_sha256(
    *,
    url: str,
    platform: str,
    author_handle: str,
    posted_at: dt.datetime | None,
    captured_text: str,
    captured_at: dt.datetime,
    screenshot_sha256: str | None,
) -> str:
    """The hash of a capture's canonical form: what the bundle prints and the ledger keeps."""
    canonical = json.dumps(
        {
            "url": url,
            "platform": platform,
            "author_handle": author_handle,
            "posted_at": posted_at.isoformat() if posted_at else None,
            "captured_text": captured_text,
            "captured_at": captured_at.isoformat(),
            "screenshot_sha256": screenshot_sha256,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return content_hash(canonical)


@transaction.atomic
def evidence_add_post(
    *,
    actor: Any,
    case: Case,
    url: str = "",
    author_handle: str = "",
    posted_at: dt.datetime | None = None,
    captured_text: str = "",
    captured_at: dt.datetime | None = None,
    platform: str = "",
    screenshot: Upload | None = None,
    description: str = "",
    source: str = Source.STAFF,
    person: Person | None = None,
) -> EvidenceItem:
    """Record a captured social-media post, with an optional screenshot."""
    if case.is_closed:
        raise EvidenceRefused(CLOSED)
    url, captured_text = url.strip(), captured_text.strip()
    if not url and not captured_text:
        raise EvidenceRefused(NEEDS_URL_OR_TEXT)
    now = timezone.now()
    captured_at = captured_at or now
    if posted_at is not None and posted_at > now:
        raise EvidenceRefused(POSTED_IN_FUTURE)
    if posted_at is not None and captured_at < posted_at:
        raise EvidenceRefused(CAPTURED_BEFORE_POSTED)
    blob = None
    if screenshot is not None:
        blob, _ = blob_store(screenshot)
        if blob.content_type not in sniff.IMAGE_TYPES:
            raise EvidenceRefused(SCREENSHOT_NOT_IMAGE)
    item = post_item(
        case=case,
        number=_next_number(case),
        url=url,
        author_handle=author_handle,
        posted_at=posted_at,
        captured_text=captured_text,
        captured_at=captured_at,
        platform=platform,
        blob=blob,
        original_name=safe_screenshot_name(screenshot),
        description=description,
        source=source,
        actor=actor,
        person=person,
    )
    _record(item, actor)

    fingerprint_record(
        case=case,
        source=Fingerprint.Source.EVIDENCE,
        source_id=item.pk,
        post_key=item.post_key,
        text=captured_text,
    )
    return item


def post_item(
    *,
    case: Case,
    number: int,
    url: str,
    author_handle: str,
    posted_at: dt.datetime | None,
    captured_text: str,
    captured_at: dt.datetime,
    description: str,
    source: str,
    actor: Any,
    person: Person | None,
    platform: str = "",
    blob: Any = None,
    original_name: str = "",
) -> EvidenceItem:
    """A captured post as an item of evidence, not saved: one definition for one item or many
    (`evidence_posts_insert`)."""
    url, captured_text = url.strip(), captured_text.strip()
    platform = platform or platform_of(url) or "other"
    handle = author_handle.strip().lstrip("@")
    return EvidenceItem(
        case=case,
        number=number,
        kind=Kind.POST,
        description=description.strip(),
        blob=blob,
        original_name=original_name,
        url=url,
        post_key=post_key(url),
        platform=platform,
        author_handle=handle,
        posted_at=posted_at,
        captured_text=captured_text,
        captured_at=captured_at,
        source=source,
        added_by=actor,
        added_by_person=person,
        sha256=capture_sha256(
            url=url,
            platform=platform,
            author_handle=handle,
            posted_at=posted_at,
            captured_text=captured_text,
            captured_at=captured_at,
            screenshot_sha256=blob.sha256 if blob else None,
        ),
    )


def evidence_posts_insert(items: list[EvidenceItem]) -> None:
    """Captured posts, many at once (a dossier's chunk), each numbered and checked by the
    caller, in the caller's transaction, whose EVIDENCE_ADDED events record them."""
    insert_many(items)


def safe_screenshot_name(screenshot: Upload | None) -> str:
    return sniff.safe_name(screenshot.name) if screenshot else ""


@transaction.atomic
def evidence_open(*, actor: Any, item: EvidenceItem, person: Person | None = None) -> bytes:
    """The item's stored bytes (checked against its hash), with a "viewed" custody event."""
    if item.blob_id is None:
        raise EvidenceRefused("This capture has no file.")
    data = blob_read(item.blob_id)
    event_append(
        actor=actor,
        kind=EventKind.EVIDENCE_VIEWED,
        case_id=item.case_id,
        payload={"item": item.pk, "sha256": item.blob_id, "person": getattr(person, "pk", None)},
    )
    return data


@transaction.atomic
def evidence_open_capture_file(*, actor: Any, item: EvidenceItem, part: str) -> tuple[bytes, str]:
    """A captured page's HTML or WARC (`part`: "html" or "warc"), checked against its hash,
    with a "viewed" custody event naming the file: the bytes and their type."""
    capture = WebCapture.objects.filter(item=item).select_related("html_blob", "warc_blob").first()
    if capture is None or part not in ("html", "warc"):
        raise EvidenceRefused("This item has no such file.")
    blob = capture.html_blob if part == "html" else capture.warc_blob
    data = blob_read(blob.sha256)
    event_append(
        actor=actor,
        kind=EventKind.EVIDENCE_VIEWED,
        case_id=item.case_id,
        payload={"item": item.pk, "sha256": blob.sha256, "person": None, "part": part},
    )
    return data, blob.content_type


@dataclass(frozen=True)
class Bundle:
    pdf: bytes
    sha256: str
    audience: str


@transaction.atomic
def bundle_make(*, actor: Any, case: Case, audience: str, person: Person | None = None) -> Bundle:
    """Make the hearing bundle and record its custody: exported (with every item's hash and the
    bundle's own), and, for the respondent, disclosed."""
    from .bundle import bundle_pdf  # reportlab and pypdf, loaded only to make a bundle

    if audience not in AUDIENCES:
        raise EvidenceRefused(f"A bundle is for one of: {', '.join(AUDIENCES)}.")
    items = list(evidence_of(case))
    produced_by = "the respondent (portal)" if person is not None else "the case team"
    pdf = bundle_pdf(case, items, audience=audience, produced_by=produced_by)
    digest = sha256_hex(pdf)
    copies = redactions_of(items) if audience == RESPONDENT else {}
    listed: list[dict[str, Any]] = [
        {"item": i.pk, "number": i.number, "sha256": i.sha256}
        | ({"disclosed_sha256": copies[i.pk].sha256} if i.pk in copies else {})
        for i in items
    ]
    event_append(
        actor=actor,
        kind=EventKind.EVIDENCE_EXPORTED,
        case_id=case.pk,
        payload={"audience": audience, "items": listed, "bundle_sha256": digest},
    )
    if audience == RESPONDENT:
        event_append(
            actor=actor,
            kind=EventKind.EVIDENCE_DISCLOSED,
            case_id=case.pk,
            payload={
                "to": "respondent",
                "person": case.respondent_id,
                "items": listed,
                "bundle_sha256": digest,
            },
        )
    return Bundle(pdf=pdf, sha256=digest, audience=audience)


NOTHING_TO_REDACT = "Mark at least one area to cover or give a word or phrase to withhold."
NO_PICTURE = "This item has no picture or PDF to mark: give the words or phrases to withhold."
NO_TEXT = "This item has no text: mark the areas to cover instead."
PAGE_OUT_OF_RANGE = "Area {n} is on page {page}, but the file has {pages} page{s}."
CLOSED_REDACT = "Evidence on a closed case cannot be redacted."


@transaction.atomic
def evidence_redact(
    *,
    actor: Any,
    item: EvidenceItem,
    areas: list[Area],
    phrases: list[str],
    reasons: str,
) -> Redaction:
    """Make a redacted copy of the item for disclosure (derivative.py), kept beside the
    untouched original, with the decision and its reasons (EVIDENCE_REDACTED). The latest
    redaction of an item is the one its respondent and subject access exports get."""
    case = item.case
    if case.is_closed:
        raise EvidenceRefused(CLOSED_REDACT)
    phrases = [p.strip() for p in phrases if p.strip()]
    if not areas and not phrases:
        raise EvidenceRefused(NOTHING_TO_REDACT)
    content_type = item.blob.content_type if item.blob else ""
    pictured = derivative.is_image(content_type) or derivative.is_pdf(content_type)
    if areas and not pictured:
        raise EvidenceRefused(NO_PICTURE)
    has_text = bool(item.captured_text) or derivative.is_text(content_type)
    if phrases and not has_text and not item.description:
        raise EvidenceRefused(NO_TEXT)
    blob: Blob | None = None
    try:
        if item.blob_id is not None:
            original = blob_read(item.blob_id)
            pages = derivative.page_count(original, content_type) if pictured else 0
            for n, area in enumerate(areas, start=1):
                if not 1 <= area.page <= pages:
                    s = "" if pages == 1 else "s"
                    raise EvidenceRefused(
                        PAGE_OUT_OF_RANGE.format(n=n, page=area.page, pages=pages, s=s)
                    )
            if derivative.is_pdf(content_type):
                copy = derivative.redact_pdf(original, areas)
                blob = blob_keep(copy, content_type="application/pdf")
            elif derivative.is_image(content_type):
                blob = blob_keep(derivative.redact_image(original, areas), content_type="image/png")
            elif derivative.is_text(content_type):
                text = original.decode("utf-8-sig", errors="replace")
                copy = derivative.redact_text(text, phrases).encode()
                blob = blob_keep(copy, content_type="text/plain")
    except derivative.CannotRedact as cannot:
        raise EvidenceRefused(str(cannot)) from cannot
    text = derivative.redact_text(item.captured_text, phrases)
    redaction = Redaction.objects.create(
        item=item,
        areas=[a.as_dict() for a in areas],
        phrases=phrases,
        reasons=reasons.strip(),
        blob=blob,
        captured_text=text,
        sha256=blob.sha256 if blob else sha256_hex(text.encode()),
        decided_by=actor,
    )
    event_append(
        actor=actor,
        kind=EventKind.EVIDENCE_REDACTED,
        case_id=case.pk,
        payload={
            "item": item.pk,
            "number": item.number,
            "redaction": redaction.pk,
            "original_sha256": item.sha256,
            "sha256": redaction.sha256,
            "areas": len(areas),
            "phrases": len(phrases),
            "reasons_sha256": content_hash(redaction.reasons),
        },
    )
    return redaction


@transaction.atomic
def evidence_open_redacted(*, actor: Any, redaction: Redaction) -> bytes:
    """A redacted copy's bytes (checked against its hash), with a "viewed" custody event."""
    if redaction.blob_id is None:
        raise EvidenceRefused("This redaction has no file: it withholds words from the text.")
    data = blob_read(redaction.blob_id)
    event_append(
        actor=actor,
        kind=EventKind.EVIDENCE_VIEWED,
        case_id=redaction.item.case_id,
        payload={
            "item": redaction.item_id,
            "sha256": redaction.blob_id,
            "person": None,
            "redaction": redaction.pk,
        },
    )
    return data


@transaction.atomic
def evidence_preview(*, actor: Any, item: EvidenceItem, page: int) -> bytes:
    """A page of the item's picture or PDF as a PNG, for marking what to withhold, with a
    "viewed" custody event."""
    if item.blob_id is None or item.blob is None:
        raise EvidenceRefused(NO_PICTURE)
    try:
        png = derivative.preview_png(blob_read(item.blob_id), item.blob.content_type, page)
    except derivative.CannotRedact as cannot:
        raise EvidenceRefused(str(cannot)) from cannot
    event_append(
        actor=actor,
        kind=EventKind.EVIDENCE_VIEWED,
        case_id=item.case_id,
        payload={"item": item.pk, "sha256": item.blob_id, "person": None, "page": page},
    )
    return png
