"""Subject access (R-62): everything held about a person, with third parties redacted.

`collect(person)` gathers the person's record and, for every case they are in (as respondent,
complainant or witness), what concerns them. Other people never appear: every other person in
those cases (respondents, complainants, witnesses) is named only by role, and their names,
emails and membership numbers are replaced by "[third party]" wherever they occur in text. A
complainant's own complaint summary and evidence go only to that complainant, so a protected
complainant is not revealed to a respondent's request. Staff appear as "the case team".

File notes: only those shared with the person (as a party in the portal) are included. The
case team's internal notes may well be personal data about the person too; whether and how
they go into an export (exemptions, third parties in them) is for the organisation's data
protection officer to decide, and they are left out until then.

Limits (see docs/data-protection.md): redaction matches the whole name, email and number as
recorded, not a first name alone or a nickname; evidence files are listed (name, hash), not
attached; the ledger (ids and hashes only) is not included.
"""

import io
import json
import re
from typing import Any
from xml.sax.saxutils import escape

from django.db.models import Q
from django.utils import timezone

from fairhearing.cases.models import Case, Complaint, Party
from fairhearing.evidence.derivative import redact_text
from fairhearing.evidence.models import EvidenceItem, Redaction
from fairhearing.evidence.queries import redactions_of
from fairhearing.interests.models import BiasChallenge
from fairhearing.notes.queries import notes_shared_with
from fairhearing.notifications.models import Notification
from fairhearing.people.models import Person
from fairhearing.portal.models import HearingRequest, Message, Reply

from .models import SubjectAccessRequest

THIRD_PARTY = "[third party]"


class Redactor:
    def __init__(self, values: set[str]) -> None:
        ordered = sorted({v.strip() for v in values if len(v.strip()) > 2}, key=len, reverse=True)
        self.pattern = (
            re.compile("|".join(re.escape(v) for v in ordered), re.IGNORECASE) if ordered else None
        )

    def __call__(self, text: str) -> str:
        return self.pattern.sub(THIRD_PARTY, text) if self.pattern and text else text


def _when(value: Any) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _cases_of(person: Person) -> list[Case]:
    return list(
        Case.objects.filter(
            Q(respondent=person) | Q(parties__person=person) | Q(complaints__complainant=person)
        )
        .distinct()
        .select_related("rulebook", "respondent")
        .order_by("opened_at", "pk")
    )


def _others(person: Person, cases: list[Case]) -> Redactor:
    ids = {c.respondent_id for c in cases}
    ids |= set(Party.objects.filter(case__in=cases).values_list("person_id", flat=True))
    ids |= set(Complaint.objects.filter(cases__in=cases).values_list("complainant_id", flat=True))
    ids.discard(person.pk)
    values: set[str] = set()
    for other in Person.objects.filter(pk__in=ids):
        values |= {other.full_name, other.email, other.membership_number}
    # Never redact the person's own details out of their own export.
    own = {v.strip().casefold() for v in (person.full_name, person.email, person.membership_number)}
    return Redactor({v for v in values if v.strip().casefold() not in own})


def collect(person: Person) -> dict[str, Any]:

    cases = _cases_of(person)
    redact = _others(person, cases)
    out_cases = []
    for case in cases:
        spec = case.rulebook.spec
        own_parties = list(case.parties.filter(person=person))
        roles = (["respondent"] if case.respondent_id == person.pk else []) + [
            p.role for p in own_parties
        ]
        own_complaints = case.complaints.filter(complainant=person).order_by("received_at")
        if own_complaints.exists() and "complainant" not in roles:
            roles.append("complainant")
        entry: dict[str, Any] = {
            "reference": case.reference,
            "your_roles": roles,
            "category": spec.categories.get(case.category, case.category),
            "stage": spec.stage_label(case.stage),
            "opened_at": _when(case.opened_at),
            "closed_at": _when(case.closed_at),
            "outcome": spec.outcomes.get(case.outcome, case.outcome),
            "sanction": spec.sanctions[case.sanction].label if case.sanction else "",
            "respondent": "you" if case.respondent_id == person.pk else "the respondent",
            "complainants": case.parties.filter(role=Party.Role.COMPLAINANT).count(),
            "allegations": [
                {
                    "type": a.get_allegation_type_display(),
                    "category": spec.categories.get(a.category, a.category),
                    "conduct_date": a.conduct_date.isoformat() if a.conduct_date else None,
                    "description": redact(a.description),
                }
                for a in case.allegations.order_by("pk")
            ],
            "your_complaints": [
                {
                    "reference": c.reference,
                    "received_at": _when(c.received_at),
                    "channel": c.get_channel_display(),
                    "summary": redact(c.summary),
                }
                for c in own_complaints
            ],
            "your_identity_protection": [
                {"protected": p.identity_protected, "reason": redact(p.protection_reason)}
                for p in own_parties
                if p.identity_protected
            ],
        }
        if case.respondent_id == person.pk:
            entry["decisions"] = [
                {
                    "decision": spec.transitions[s.transition].label
                    if s.transition in spec.transitions
                    else s.transition,
                    "at": _when(s.at),
                    "reasons": redact(s.reasons),
                    "rule_applied": s.rule_applied,
                    "outcome": spec.outcomes.get(s.outcome, s.outcome),
                    "sanction": s.sanction,
                }
                for s in case.stage_changes.order_by("at", "pk")
            ]
            entry["your_replies"] = [
                {
                    "at": _when(r.at),
                    "text": redact(r.text),
                    "evidence_items": [item.number for item in r.evidence.all()],
                }
                for r in Reply.objects.filter(case=case, person=person)
                .prefetch_related("evidence")
                .order_by("at")
            ]
            hearing = HearingRequest.objects.filter(case=case).first()
            if hearing is not None:
                entry["your_hearing_request"] = {
                    "oral": hearing.oral,
                    "companion_name": hearing.companion_name,
                    "at": _when(hearing.at),
                }
        entry["messages"] = [
            {
                "at": _when(m.at),
                "from": "the case team" if m.from_staff_id else "you",
                "body": redact(m.body),
            }
            for m in Message.objects.filter(case=case, party_person=person).order_by("at")
        ]
        shared = {n.pk: n for role in roles for n in notes_shared_with(case, role)}
        entry["notes_shared_with_you"] = [
            {"shared_at": _when(n.disclosed_at), "text": redact(n.text)}
            for n in sorted(shared.values(), key=lambda n: (n.disclosed_at, n.pk))
        ]
        # Evidence as disclosed: an item the case team redacted is its redacted copy (its
        # words withheld, its copy's hash), each third party taken out as everywhere here.
        evidence = list(EvidenceItem.objects.filter(case=case).order_by("number"))
        copies = redactions_of(evidence)
        entry["evidence_you_gave"] = [
            _evidence_entry(e, copies.get(e.pk), redact)
            for e in evidence
            if e.added_by_person_id == person.pk
        ]
        if case.respondent_id == person.pk:
            entry["evidence_disclosed_to_you"] = [
                _evidence_entry(e, copies.get(e.pk), redact)
                for e in evidence
                if e.added_by_person_id != person.pk
            ]
        entry["challenges_you_raised"] = [
            {
                "raised_at": _when(b.raised_at),
                "grounds": redact(b.grounds),
                "decision": b.get_decision_display() if b.decision else "",
            }
            for b in BiasChallenge.objects.filter(case=case, raised_by=person)
        ]
        entry["letters_to_you"] = [
            {
                "kind": n.get_kind_display(),
                "created_at": _when(n.created_at),
                "sent_at": _when(n.sent_at),
            }
            for n in Notification.objects.filter(case=case).order_by("created_at")
            if person.email and n.to_email.casefold() == person.email.casefold()
        ]
        out_cases.append(entry)
    return {
        "produced_at": _when(timezone.now()),
        "person": {
            "full_name": person.full_name,
            "email": person.email,
            "membership_number": person.membership_number,
            "member": person.is_member,
            "kind": person.get_kind_display(),
            "branch": person.branch.name if person.branch else "",
            "recorded_at": _when(person.created_at),
            "anonymised_at": _when(person.anonymised_at),
        },
        "cases": out_cases,
        "subject_access_requests": [
            {"received_at": _when(r.received_at), "due_at": _when(r.due_at), "status": r.status}
            for r in SubjectAccessRequest.objects.filter(person=person).order_by("received_at")
        ],
        "case_ids": [c.pk for c in cases],
    }


def public(document: dict[str, Any]) -> dict[str, Any]:
    """The document as given to the person (internal ids left out)."""
    return {k: v for k, v in document.items() if k != "case_ids"}


def as_json(document: dict[str, Any]) -> bytes:
    return json.dumps(public(document), indent=2, ensure_ascii=False).encode()


def as_pdf(document: dict[str, Any]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title="Your personal data", author="Fairhearing")
    story: list[Any] = [
        Paragraph("Your personal data", styles["Title"]),
        Paragraph(
            escape(
                f"Everything we hold about you, produced {document['produced_at']}. Other "
                f"people's details are shown as {THIRD_PARTY}."
            ),
            styles["Normal"],
        ),
        Spacer(1, 10),
    ]

    def block(title: str, value: Any, level: int = 2) -> None:
        if isinstance(value, dict):
            story.append(Paragraph(escape(title), styles[f"Heading{level}"]))
            for key, item in value.items():
                block(key.replace("_", " ").capitalize(), item, min(level + 1, 4))
        elif isinstance(value, list):
            story.append(Paragraph(escape(f"{title} ({len(value)})"), styles[f"Heading{level}"]))
            for index, item in enumerate(value, 1):
                if isinstance(item, dict | list):
                    block(f"{title} {index}", item, min(level + 1, 4))
                else:
                    story.append(Paragraph(escape(str(item)), styles["Normal"]))
        else:
            text = "" if value is None else str(value)
            if isinstance(value, bool):  # never Python's True and False on the page
                text = "Yes" if value else "No"
            story.append(
                Paragraph(
                    f"<b>{escape(title)}:</b> {escape(text).replace(chr(10), '<br/>')}",
                    styles["Normal"],
                )
            )

    block("About you", document["person"])
    for case in document["cases"]:
        block(f"Case {case['reference']}", case)
    block("Your requests for your data", document["subject_access_requests"])
    doc.build(story)
    return buffer.getvalue()


def export_download(request: Any, fmt: str, data: bytes) -> Any:
    """The export as an attachment that no browser renders in the site's origin."""
    from django.http import HttpResponse

    response = HttpResponse(
        data, content_type="application/json" if fmt == "json" else "application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="subject-access-{request.pk}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


def _evidence_entry(e: EvidenceItem, copy: Redaction | None, redact: Any) -> dict[str, Any]:
    phrases: list[str] = copy.phrases if copy is not None else []
    return {
        "number": e.number,
        "kind": e.get_kind_display(),
        "description": redact(redact_text(e.description, phrases)),
        "file_name": redact(redact_text(e.original_name, phrases)),
        "url": redact(redact_text(e.url, phrases)),
        "captured_text": redact(copy.captured_text if copy is not None else e.captured_text),
        "added_at": _when(e.added_at),
        "sha256": copy.sha256 if copy is not None else e.sha256,
        "parts_withheld": copy is not None,
    }
