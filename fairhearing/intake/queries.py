"""Reads for the anonymous reporter's status page, and for following a complaint submitted
through the API."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fairhearing.cases.models import Case, Complaint
from fairhearing.evidence.models import EvidenceItem
from fairhearing.portal.models import Message

from .models import AnonymousReport, Submission

# What each stage of the default rulebook means, for someone who has never seen the rulebook.
PLAIN_STAGES = {
    "received": _("We have received your report."),
    "acknowledged": _("We have received your report. A case officer will assess it."),
    "assessment": _("A case officer is assessing your report to decide what should happen."),
    "informal_resolution": _("The case team is trying to resolve it informally."),
    "notice": _("The person reported has been told what is alleged and may reply."),
    "investigation": _("It is being investigated."),
    "charge_decision": _("The case team is deciding whether to bring a charge."),
    "hearing": _("It is going to a hearing before an independent panel."),
    "decision": _("The panel is deciding."),
    "verification": _("The panel has decided; an independent reviewer is checking the decision."),
    "appeal_window": _("The panel has decided; the time to appeal is running."),
    "appeal": _("The decision has been appealed."),
    "closed": _("The case is closed."),
}


def stage_in_plain_words(case: Case) -> str:
    """In the reader's language: the rulebook's own words (a stage it names, an outcome)
    as far as the catalogue has them (organisations/translations.py)."""
    plain = str(PLAIN_STAGES.get(case.stage) or gettext(case.stage_label))
    if case.is_closed and case.outcome:
        outcome = case.rulebook.spec.outcomes.get(case.outcome, case.outcome)
        plain = gettext("%(stage)s Outcome: %(outcome)s.") % {
            "stage": plain,
            "outcome": gettext(outcome),
        }
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
