"""Case-file audits in the demo: the quarter before last audited in full (its counts
published, one finding in the tracker), and the last quarter's sample drawn and part-audited,
with findings and one raised as a recommendation."""

import datetime as dt
import random

from django.utils import timezone

from fairhearing.accounts.models import User
from fairhearing.audits.models import AuditedCase
from fairhearing.audits.queries import quarter_to_audit
from fairhearing.audits.services import audit_finding_raise, audit_round_draw, audited_case_record
from fairhearing.core.errors import CaseError
from fairhearing.organisations.models import Organisation
from fairhearing.panels.models import Panel

# What a check not met looks like in a file, by check (fictional).
FINDINGS = {
    "reasons_given": "The decision letter states the outcome but gives no reasons for it.",
    "time_limits_met": "The reply window was extended by ten working days with no reason "
    "recorded on the file.",
    "notice_and_evidence_disclosed": "The respondent was sent the allegations but not the two "
    "screenshots the decision relied on.",
    "conflicts_checked": "No declaration of interests is on file for one of the panel members.",
}
RECOMMENDATION = (
    "Every decision letter gives the reasons for the outcome, and the case officer checks "
    "this before it is sent."
)


def _audit(audited: AuditedCase, oversight: User, rng: random.Random) -> AuditedCase:
    """Mostly met; about one check in six not met, with what was found."""
    keys = [c["key"] for c in audited.round.checks]
    heard = Panel.objects.filter(case_id=audited.case_id).exists()
    answers = {key: "no" if rng.random() < 0.17 else "yes" for key in keys}
    if not heard and "conflicts_checked" in answers:
        answers["conflicts_checked"] = "not_applicable"  # nobody sat to be checked
    if audited.position == 1:
        answers["reasons_given"] = "no"  # the demo's finding raised as a recommendation
    findings = " ".join(
        FINDINGS.get(k, "A check was not met.") for k, a in answers.items() if a == "no"
    )
    return audited_case_record(actor=oversight, audited=audited, answers=answers, findings=findings)


def audits_demo(organisation: Organisation, oversight: User, rng: random.Random) -> None:
    last = quarter_to_audit(timezone.localdate())
    before = quarter_to_audit(last.starts_on)
    due_on = timezone.localdate() + dt.timedelta(days=120)
    for period, audit_all in ((before, True), (last, False)):
        try:
            audit_round = audit_round_draw(
                actor=oversight,
                organisation=organisation,
                period=period,
                seed=f"{rng.getrandbits(128):032x}",
            )
        except CaseError:  # a small demo may have closed nothing that quarter
            continue
        sample = list(audit_round.audited.order_by("position"))
        done = sample if audit_all else sample[: max(1, len(sample) // 2)]
        audited = [_audit(a, oversight, rng) for a in done]
        audit_finding_raise(
            actor=oversight,
            audited=audited[0],
            text=RECOMMENDATION,
            owner="Head of Complaints",
            due_on=due_on,
        )
