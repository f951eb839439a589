"""Anonymous reports: a complaint from someone who gives no name, acknowledged by a one-time
receipt code that is the reporter's only way back to it (to read, reply and add evidence).

Ledger payloads carry ids and hashes only: never the code, never text.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from fairhearing.cases.models import Case, Channel, Complaint
from fairhearing.evidence.models import EvidenceItem, Source
from fairhearing.evidence.services import (
    EvidenceRefused,
    Upload,
    evidence_add_file,
)
from fairhearing.intake.details import AllegationDetails
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.organisations.models import Organisation
from fairhearing.people.models import Person
from fairhearing.people.services import PersonDetails
from fairhearing.portal.models import Message, PartyRole
from fairhearing.portal.services import message_send
from fairhearing.workflow.services import case_transition

from .models import AnonymousReport, ReceiptAttempt
from .receipts import (
    ReceiptCode,
    ReceiptMalformed,
    receipt_code_new,
    receipt_code_parse,
    secret_check_nothing,
    secret_hash,
    secret_matches,
)
from .record import complaint_record
from .services import AUTO_ACK_RULE, post_capture

REPORTER_NAME = "Anonymous reporter"
ANONYMOUS_ACK_REASONS = "Receipt code shown to the anonymous reporter on submission."
UPLOAD_DESCRIPTION = "File sent by the anonymous reporter with the report."

WINDOW = dt.timedelta(hours=1)
MAX_FAILURES_PER_LOCATOR = 5
MAX_FAILURES_PER_ADDRESS = 20
# In English here (the API's words); the page translates them as it shows them.
MALFORMED = gettext_noop(
    "Enter the receipt code exactly as it was shown: 24 letters and numbers, "
    "like ABCD-EFGH-JKMN-PQRS-TVWX-YZ23."
)
WRONG = gettext_noop("That receipt code does not match a report. Check it and try again.")
LOCKED = gettext_noop("Too many attempts with wrong codes. Wait an hour, then try again.")
NOT_OPEN = "This report's cases are closed: nothing more can be added."


class ReceiptRefused(Exception):
    """A receipt code that opens nothing, or too many tries: the reason is for the page."""


@dataclass(frozen=True)
class Submitted:
    report: AnonymousReport
    code: ReceiptCode  # shown once, then forgotten: it is stored nowhere


def _locator_free() -> ReceiptCode:
    while True:  # 40 bits of locator: a clash is rare, but a unique key would refuse one
        code = receipt_code_new()
        if not AnonymousReport.objects.filter(locator=code.locator).exists():
            return code


@transaction.atomic
def anonymous_report_submit(
    *,
    organisation: Organisation,
    respondents: list[PersonDetails],
    allegation: AllegationDetails,
    summary: str,
    upload: Upload | None = None,
    upload_description: str = "",
    received_at: dt.datetime | None = None,
    code: ReceiptCode | None = None,
) -> Submitted:
    """Record an anonymous complaint, with its file, and acknowledge it by the receipt.

    One transaction: a refused file (`EvidenceRefused`) leaves nothing written. `code` is for
    the demo, whose printed code must be known in advance; pages never pass it.
    """
    complaint = complaint_record(
        actor=None,
        organisation=organisation,
        channel=Channel.WEB,
        complainant=PersonDetails(full_name=REPORTER_NAME),
        respondents=respondents,
        allegation=allegation,
        summary=summary,
        received_at=received_at,
        capture=post_capture(allegation, Source.ANONYMOUS),
    )
    reporter = complaint.complainant
    code = code or _locator_free()
    report = AnonymousReport.objects.create(
        complaint=complaint, locator=code.locator, secret_hash=secret_hash(code.secret)
    )
    for case in complaint.cases.select_related("rulebook").order_by("pk"):
        item = None
        if upload is not None:
            item = evidence_add_file(
                actor=None,
                case=case,
                upload=upload,
                description=upload_description.strip() or UPLOAD_DESCRIPTION,
                source=Source.ANONYMOUS,
                person=reporter,
            )
        event_append(
            actor=None,
            kind=EventKind.ANONYMOUS_REPORT_OPENED,
            case_id=case.pk,
            payload={
                "report": report.pk,
                "complaint": complaint.pk,
                "person": reporter.pk,
                "evidence": item.pk if item else None,
            },
        )
        if "acknowledge" in {t.key for t in case.rulebook.spec.transitions_from(case.stage)}:
            case_transition(
                actor=None,
                case=case,
                transition="acknowledge",
                reasons=ANONYMOUS_ACK_REASONS,
                rule_applied=AUTO_ACK_RULE,
            )
    return Submitted(report=report, code=code)


def _failures(*, since: dt.datetime) -> Any:
    return ReceiptAttempt.objects.filter(at__gt=since, succeeded=False)


def receipt_use(*, text: str, ip_address: str | None) -> AnonymousReport:
    """The report this receipt code opens, or `ReceiptRefused`.

    The attempt is written (as a failure) before the code is checked, so that concurrent
    guesses count against each other; at most `MAX_FAILURES_PER_LOCATOR` wrong tries per
    locator and `MAX_FAILURES_PER_ADDRESS` per address in any hour are checked at all.
    """
    try:
        code = receipt_code_parse(text)
    except ReceiptMalformed:
        raise ReceiptRefused(MALFORMED) from None
    now = timezone.now()
    with transaction.atomic():
        attempt = ReceiptAttempt.objects.create(
            at=now, ip_address=ip_address or None, locator=code.locator
        )
    recent = _failures(since=now - WINDOW)
    by_address = Q(ip_address=ip_address) if ip_address else Q(pk__in=[])
    if (
        recent.filter(locator=code.locator).count() > MAX_FAILURES_PER_LOCATOR
        or recent.filter(by_address).count() > MAX_FAILURES_PER_ADDRESS
    ):
        raise ReceiptRefused(LOCKED)
    report = AnonymousReport.objects.filter(locator=code.locator).first()
    if report is None:
        secret_check_nothing(code.secret)
        raise ReceiptRefused(WRONG)
    if not secret_matches(code.secret, report.secret_hash):
        raise ReceiptRefused(WRONG)
    with transaction.atomic():
        ReceiptAttempt.objects.filter(pk=attempt.pk).update(succeeded=True)
        AnonymousReport.objects.filter(pk=report.pk).update(last_used_at=now)
        for case_id in report.complaint.cases.order_by("pk").values_list("pk", flat=True):
            event_append(
                actor=None,
                kind=EventKind.RECEIPT_USED,
                case_id=case_id,
                payload={"report": report.pk, "attempt": attempt.pk},
            )
    report.refresh_from_db()
    return report


def report_case(report: AnonymousReport, case_id: Any) -> Case:
    """One of the report's own cases (any other id is refused)."""
    case = report.complaint.cases.select_related("rulebook").filter(pk=case_id).first()
    if case is None:
        raise ReceiptRefused("That case is not part of your report.")
    return case


def reporter_of(report: AnonymousReport) -> Person:
    complaint: Complaint = report.complaint
    return complaint.complainant


def reporter_message_send(*, report: AnonymousReport, case: Case, body: str) -> Message:
    """The reporter writes to the case team, as the case's anonymous complainant."""
    report_case(report, case.pk)
    return message_send(
        case=case, party_person=reporter_of(report), party_role=PartyRole.COMPLAINANT, body=body
    )


@transaction.atomic
def reporter_evidence_add(
    *, report: AnonymousReport, upload: Upload, description: str = ""
) -> list[EvidenceItem]:
    """A further file from the reporter, added to each of the report's open cases."""
    cases = [c for c in report.complaint.cases.order_by("pk") if not c.is_closed]
    if not cases:
        raise EvidenceRefused(NOT_OPEN)
    return [
        evidence_add_file(
            actor=None,
            case=case,
            upload=upload,
            description=description,
            source=Source.ANONYMOUS,
            person=reporter_of(report),
        )
        for case in cases
    ]
