"""Reads the audit pages, the published counts and the meeting pack share."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet

from fairhearing.cases.models import Case
from fairhearing.reporting.queries import Period, period_of

from .models import Answer, AuditedCase, AuditRound


def quarter_to_audit(today: dt.date) -> Period:
    """The last quarter that has ended: the one a round drawn today would sample."""
    return period_of(period_of(today).starts_on - dt.timedelta(days=1))


def audit_population(organisation_id: int, period: Period) -> list[int]:
    """The ids of the organisation's cases closed in the quarter, in id order: what a round
    samples from (the order matters: the seed draws from this list)."""
    starts, ends = period.bounds()
    return list(
        Case.objects.filter(
            organisation_id=organisation_id, closed_at__gte=starts, closed_at__lt=ends
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@dataclass
class CheckCount:
    label: str
    yes: int = 0
    no: int = 0
    not_applicable: int = 0


@dataclass
class RoundCounts:
    """A round's results as counts: how many audited cases met each check, and of how many."""

    period: str
    population: int
    sample_size: int
    drawn: int
    audited: int
    checks: list[CheckCount] = field(default_factory=list)
    recommendations: int = 0

    @property
    def complete(self) -> bool:
        return self.drawn > 0 and self.audited == self.drawn


def round_counts(audit_round: AuditRound) -> RoundCounts:
    checks = {c["key"]: CheckCount(c["label"]) for c in audit_round.checks}
    rows = list(audit_round.audited.values_list("answers", "completed_at", "recommendation_id"))
    counts = RoundCounts(
        period=audit_round.period,
        population=audit_round.population,
        sample_size=audit_round.sample_size,
        drawn=len(rows),
        audited=sum(completed is not None for _, completed, _ in rows),
        checks=list(checks.values()),
        recommendations=sum(rec is not None for _, _, rec in rows),
    )
    for answers, completed, _ in rows:
        if completed is None:
            continue
        for key, answer in answers.items():
            if key in checks and answer in Answer.values:
                count = checks[key]
                setattr(count, answer, getattr(count, answer) + 1)
    return counts


def rounds_of(organisation_id: int) -> list[tuple[AuditRound, int, int]]:
    """Each round, newest first, with how many cases were drawn and how many are audited."""
    rounds = _rounds(organisation_id)
    return [(r, r.drawn, r.done) for r in rounds.order_by("-starts_on")]


def _rounds(organisation_id: int) -> QuerySet[Any]:
    done = Q(audited__completed_at__isnull=False)
    return AuditRound.objects.filter(organisation_id=organisation_id).annotate(
        drawn=Count("audited"),
        done=Count("audited", filter=done),
        finished_at=Max("audited__completed_at"),
    )


def published_counts(
    organisation_id: int, *, as_of: dt.datetime | None = None
) -> list[RoundCounts]:
    """The results of every round whose sample is all audited, newest first: counts only.
    With `as_of`, only those finished by then (a meeting pack shows what was published when it
    was made: a finished round's audits no longer change)."""
    rounds = _rounds(organisation_id).filter(drawn__gt=0, done=F("drawn"))
    if as_of is not None:
        rounds = rounds.filter(finished_at__lte=as_of)
    return [round_counts(audit_round) for audit_round in rounds.order_by("-starts_on")]


def sample_of(audit_round: AuditRound) -> list[AuditedCase]:
    return list(audit_round.audited.select_related("case", "case__rulebook", "recommendation"))
