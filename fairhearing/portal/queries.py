"""Reads for the parties' portal."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from fairhearing.cases.models import Case
from fairhearing.evidence.derivative import redact_text
from fairhearing.evidence.models import CaptureRequest, EvidenceItem, Redaction
from fairhearing.evidence.queries import evidence_of, redactions_of
from fairhearing.evidence.redaction import RESPONDENT, redactor_for
from fairhearing.notes.queries import notes_shared_with
from fairhearing.people.models import Person

from .models import Message, PartyRole
from .services import REPLY_FILE_DESCRIPTION


@dataclass(frozen=True)
class PartyItem:
    number: int
    kind: str
    description: str
    sha256: str
    added_at: dt.datetime
    url: str = ""
    # Parts withheld: this is the redacted copy (its hash).
    redacted: bool = False


def party_evidence(case: Case, *, person: Person, role: str) -> list[PartyItem]:
    """The evidence list a party sees in the portal.

    The respondent sees every item, as the respondent's bundle shows it (a protected
    complainant's name redacted): they are entitled to know the evidence against them. A
    complainant sees only the items they added themselves: the case's evidence is disclosed to
    the respondent and the panel, not to the people who complained.
    """
    items = list(evidence_of(case))
    if role != PartyRole.RESPONDENT:
        items = [item for item in items if item.added_by_person_id == person.pk]
    redact = redactor_for(case, RESPONDENT if role == PartyRole.RESPONDENT else "")
    # The respondent gets an item the case team redacted as its redacted copy.
    copies = redactions_of(items) if role == PartyRole.RESPONDENT else {}
    return [_shown(item, redact.text, copies.get(item.pk)) for item in items]


@dataclass(frozen=True)
class SharedNote:
    shared_at: dt.datetime
    text: str


def party_notes(case: Case, *, role: str) -> list[SharedNote]:
    """The file notes the case team shared with this party (a recorded decision each); a
    note not shared never reaches the portal. For the respondent, a complainant whose
    identity is withheld is redacted, as in their evidence."""
    redact = redactor_for(case, RESPONDENT if role == PartyRole.RESPONDENT else "")
    return [
        SharedNote(note.disclosed_at, redact.text(note.text))
        for note in notes_shared_with(case, role)
        if note.disclosed_at is not None
    ]


def _shown(
    item: EvidenceItem, redact: Callable[[str], str], copy: Redaction | None = None
) -> PartyItem:
    kind = gettext(item.get_kind_display())  # in the reader's language (portal.translations)
    # The description the reply's files are given is ours, not the party's: in their words.
    described = item.description
    label = gettext(described) if described == REPLY_FILE_DESCRIPTION else described or kind
    phrases: list[str] = copy.phrases if copy is not None else []
    return PartyItem(
        number=item.number,
        kind=kind,
        description=redact(redact_text(label, phrases)),
        sha256=copy.sha256 if copy is not None else item.sha256,
        added_at=item.added_at,
        url=redact(redact_text(item.url, phrases)),
        redacted=copy is not None,
    )


@dataclass(frozen=True)
class PartyThread:
    person: Any
    role: str
    messages: list[Any]


def messages_by_party(case: Case) -> list[PartyThread]:
    """The respondent's and each complainant's message thread with the case team."""

    people = [(case.respondent, "respondent")] + [
        (p.person, "complainant")
        for p in case.parties.filter(role="complainant").select_related("person")
    ]
    messages = list(Message.objects.filter(case=case).select_related("from_staff").order_by("at"))
    return [
        PartyThread(person, role, [m for m in messages if m.party_person_id == person.pk])
        for person, role in people
    ]


# Why a link could not be captured, by the capture's code (evidence/capture.py), in the
# party's language and without the addresses the case team's version names.
CAPTURE_FAILURES = {
    "not_web": gettext_lazy("No website was found at that address. Check it and send it again."),
    "unknown_host": gettext_lazy(
        "No website was found at that address. Check it and send it again."
    ),
    "private_address": gettext_lazy(
        "The link leads to a private network address, which we cannot capture."
    ),
    "timeout": gettext_lazy("The page took too long to load."),
    "too_big": gettext_lazy("The page is too large for us to keep."),
    "download": gettext_lazy("The link opens a file to download, not a page."),
    "redirects": gettext_lazy("The link sent us on to too many other addresses."),
    "unreachable": gettext_lazy("The website did not answer."),
}
CAPTURE_FAILED_OTHERWISE = gettext_lazy("Something went wrong on our side.")


@dataclass(frozen=True)
class PartyCapture:
    url: str
    failed: bool
    reason: str


def party_captures(case: Case, *, person: Person) -> list[PartyCapture]:
    """The links to posts this person sent that are not items (yet): being captured, or
    failed with why (a captured one is listed with their evidence)."""
    asked = (
        CaptureRequest.objects.filter(case=case, requested_by_person=person)
        .exclude(state=CaptureRequest.State.CAPTURED)
        .order_by("-requested_at", "-pk")
    )
    return [
        PartyCapture(
            url=a.url,
            failed=a.state == CaptureRequest.State.FAILED,
            reason=str(CAPTURE_FAILURES.get(a.failure_code, CAPTURE_FAILED_OTHERWISE))
            if a.state == CaptureRequest.State.FAILED
            else "",
        )
        for a in asked
    ]
