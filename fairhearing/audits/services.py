"""Every write of a case-file audit: the quarter's sample drawn, a sampled case's checklist
recorded, a finding raised as a recommendation. Each appends its ledger event in the same
transaction; findings are recorded on the ledger by their hash."""

import datetime as dt
import random
import secrets
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from fairhearing.core.errors import CaseError
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.organisations.models import Organisation
from fairhearing.reporting.models import Recommendation
from fairhearing.reporting.queries import Period
from fairhearing.reporting.services import recommendation_add

from .models import Answer, AuditedCase, AuditRound
from .queries import audit_population

QUARTER_NOT_ENDED = "{period} has not ended yet: a quarter is audited once it is over."
ALREADY_DRAWN = "The sample for {period} has already been drawn."
NOTHING_CLOSED = "No cases were closed in {period}: there is nothing to audit."
ANSWER_EVERY_CHECK = "Answer every check."
SAY_WHAT_WAS_FOUND = "Say what was found where a check was not met."
ROUND_PUBLISHED = "This round's results are published: its audits can no longer be changed."
NOT_AUDITED_YET = "Record the audit of this case before raising a finding."
NO_FINDINGS = "This audit recorded no findings to raise."
ALREADY_RAISED = "A finding of this audit is already in the tracker as {number}."


def audit_sample(case_ids: Sequence[int], seed: str, size: int) -> list[int]:
    """The cases a round draws, in the order drawn: `size` of `case_ids` (all of them if
    fewer), chosen by Python's Mersenne Twister seeded with `seed`. Pure, so anyone holding
    the recorded seed and the quarter's closed cases draws the same sample again."""
    population = sorted(case_ids)
    return random.Random(seed).sample(population, min(size, len(population)))


@transaction.atomic
def audit_round_draw(
    *,
    actor: Any,
    organisation: Organisation,
    period: Period,
    today: dt.date | None = None,
    seed: str | None = None,
) -> AuditRound:
    """Draw the quarter's sample: once per organisation and quarter, after it has ended, from
    the cases closed in it, as many as the rulebook's `audit.sample_size`. The seed is fresh
    randomness unless given (tests), and is recorded on the round and the ledger."""
    today = today or timezone.localdate()
    if period.ends_on > today:
        raise CaseError(QUARTER_NOT_ENDED.format(period=period.name))
    # Serialise draws of one organisation, so two at once cannot both pass the check below.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if AuditRound.objects.filter(organisation=organisation, period=period.name).exists():
        raise CaseError(ALREADY_DRAWN.format(period=period.name))
    population = audit_population(organisation.pk, period)
    if not population:
        raise CaseError(NOTHING_CLOSED.format(period=period.name))
    spec = organisation.current_rulebook().spec
    seed = seed or secrets.token_hex(16)
    audit_round = AuditRound.objects.create(
        organisation=organisation,
        period=period.name,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        seed=seed,
        sample_size=spec.audit_sample_size,
        population=len(population),
        checks=[{"key": c.key, "label": c.label} for c in spec.audit_checks],
        drawn_by=actor,
    )
    drawn = audit_sample(population, seed, spec.audit_sample_size)
    AuditedCase.objects.bulk_create(
        AuditedCase(round=audit_round, case_id=case_id, position=n)
        for n, case_id in enumerate(drawn, start=1)
    )
    event_append(
        actor=actor,
        kind=EventKind.AUDIT_ROUND_DRAWN,
        payload={
            "round": audit_round.pk,
            "period": period.name,
            "seed": seed,
            "population": len(population),
            "sample_size": spec.audit_sample_size,
            "drawn": drawn,
        },
    )
    return audit_round


def _round_complete(audit_round: AuditRound) -> bool:
    return not audit_round.audited.filter(completed_at__isnull=True).exists()


@transaction.atomic
def audited_case_record(
    *, actor: Any, audited: AuditedCase, answers: dict[str, str], findings: str
) -> AuditedCase:
    """Record (or correct) one sampled case's audit: an answer to every check of the round,
    and findings wherever a check was not met. Once every case of the round is audited its
    counts are published, and no audit of it changes again."""
    audited = AuditedCase.objects.select_for_update().select_related("round").get(pk=audited.pk)
    if _round_complete(audited.round):
        raise CaseError(ROUND_PUBLISHED)
    keys = [c["key"] for c in audited.round.checks]
    if any(answers.get(key) not in Answer.values for key in keys):
        raise CaseError(ANSWER_EVERY_CHECK)
    findings = findings.strip()
    if not findings and any(answers[key] == Answer.NO for key in keys):
        raise CaseError(SAY_WHAT_WAS_FOUND)
    audited.answers = {key: answers[key] for key in keys}
    audited.findings = findings
    audited.completed_at = timezone.now()
    audited.completed_by = actor
    audited.save(update_fields=["answers", "findings", "completed_at", "completed_by"])
    event_append(
        actor=actor,
        kind=EventKind.AUDIT_CASE_RECORDED,
        case_id=audited.case_id,
        payload={
            "round": audited.round_id,
            "answers": audited.answers,
            "findings_sha256": content_hash(findings),
        },
    )
    return audited


@transaction.atomic
def audit_finding_raise(
    *, actor: Any, audited: AuditedCase, text: str, owner: str, due_on: dt.date
) -> Recommendation:
    """Raise an audit's findings as a recommendation in the public tracker, in a review
    named for the round (opened with its first recommendation). One per audited case."""
    audited = AuditedCase.objects.select_for_update().select_related("round").get(pk=audited.pk)
    if audited.completed_at is None:
        raise CaseError(NOT_AUDITED_YET)
    if not audited.findings:
        raise CaseError(NO_FINDINGS)
    if audited.recommendation_id is not None:
        number = Recommendation.objects.get(pk=audited.recommendation_id).number
        raise CaseError(ALREADY_RAISED.format(number=number))
    audit_round = AuditRound.objects.select_for_update().get(pk=audited.round_id)
    recommendation = recommendation_add(
        actor=actor,
        organisation=audit_round.organisation,
        review=audit_round.review,
        title=f"Case-file audit {audit_round.period}",
        text=text,
        owner=owner,
        due_on=due_on,
    )
    if audit_round.review_id is None:
        audit_round.review = recommendation.review
        audit_round.save(update_fields=["review"])
    audited.recommendation = recommendation
    audited.save(update_fields=["recommendation"])
    event_append(
        actor=actor,
        kind=EventKind.AUDIT_FINDING_RAISED,
        case_id=audited.case_id,
        payload={"round": audit_round.pk, "recommendation": recommendation.pk},
    )
    return recommendation
