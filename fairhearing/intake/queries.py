"""Reads for the anonymous reporter's status page, and for following a complaint submitted
through the API."""

from dataclasses import dataclass
from typing import Any

from fairhearing.cases.models import Case, Complaint
from fairhearing.evidence.models import EvidenceItem
from fairhearing.portal.models import Message

from .models import AnonymousReport, Submission

# What each stage of the default rulebook means, for someone who has never seen the rulebook.
PLAIN_STAGES = {
    "received": "We have received your report.",
    "acknowledged": "We have received your report. A case officer will assess it.",
    "assessment": "A case officer is assessing your report to decide what should happen.",
    "informal_resolution": "The case team is trying to resolve it informally.",
    "notice": "The person reported has been told what is alleged and may reply.",
    "investigation": "It is being investigated.",
    "charge_decision": "The case team is deciding whether to bring a charge.",
    "hearing": "It is going to a hearing before an independent panel.",
    "decision": "The panel is deciding.",
    "verification": "The panel has decided; an independent reviewer is checking the decision.",
    "appeal_window": "The panel has decided; the time to appeal is running.",
    "appeal": "The decision has been appealed.",
    "closed": "The case is closed.",
}


def stage_in_plain_words(case: Case) -> str:
    plain = PLAIN_STAGES.get(case.stage) or case.stage_label
    if case.is_closed and case.outcome:
        outcome = case.rulebook.spec.outcomes.get(case.outcome, case.outcome)
        plain = f"{plain} Outcome: {outcome}."
    return plain


@dataclass(frozen=True)
class ReportCase:
    case: Case
    stage: str
    messages: list[Message]
    evidence: list[EvidenceItem]


def report_cases(report: AnonymousReport) -> list[Case]:
    return list(report.complaint.cases.select_related("rulebook", "respondent").order_by("pk"))


def report_status(report: AnonymousReport) -> list[ReportCase]:
    """Each case of the report: its stage in plain words, the reporter's thread with the case
    team, and the evidence the reporter gave (their own items only)."""
    person: Any = report.complaint.complainant
    cases = report_cases(report)
    messages = list(
        Message.objects.filter(case__in=cases, party_person=person).order_by("at", "pk")
    )
    items = list(
        EvidenceItem.objects.filter(case__in=cases, added_by_person=person).order_by("number")
    )
    return [
        ReportCase(
            case=case,
            stage=stage_in_plain_words(case),
            messages=[m for m in messages if m.case_id == case.pk],
            evidence=[i for i in items if i.case_id == case.pk],
        )
        for case in cases
    ]


def complaint_status(*, user: Any, reference: str) -> dict[str, Any] | None:
    """Where a complaint `user` submitted stands: queued, refused (with the reason) or
    recorded (with its cases); None for any complaint they did not submit."""
    waiting = (
        Submission.objects.filter(
            reference=reference, organisation=user.organisation, submitted_by=user
        )
        .exclude(status=Submission.Status.RECORDED)  # the complaint says more
        .first()
    )
    if waiting is not None:
        return {
            "reference": waiting.reference,
            "status": waiting.status,
            "reason": waiting.reason,
            "cases": [],
            "acknowledged": False,
        }
    complaint = Complaint.objects.filter(
        reference=reference, organisation=user.organisation, recorded_by=user
    ).first()
    if complaint is None:
        return None
    cases = list(complaint.cases.order_by("pk"))
    return {
        "reference": complaint.reference,
        "status": "recorded",
        "reason": "",
        "cases": [c.reference for c in cases],
        "acknowledged": all(c.stage != "received" for c in cases),
    }
