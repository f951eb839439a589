"""The figures for a period, by aggregate queries over every complaint (R-50), including
those closed by staff without a panel, and the meeting packs' figures.

Both read from the read replica when one is configured (`core.routers.replica_reads`): they
are heavy aggregates over the whole history, and a lag of a moment does not change a quarter's
figures. Their callers' writes (the stored report or pack, the signed head) go to default."""

import datetime as dt
import hashlib
import hmac
import re
import statistics as stats
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone

from fairhearing.cases.models import Case, StageChange
from fairhearing.core.routers import replica_reads
from fairhearing.deadlines.models import Deadline
from fairhearing.interests.models import BiasChallenge, Recusal
from fairhearing.ledger.models import Event, EventKind
from fairhearing.organisations.models import Organisation, Rulebook
from fairhearing.oversight.models import AccessAttempt, Approach
from fairhearing.panels.models import InterimSuspension

from .models import Recommendation

PERIOD = re.compile(r"^(\d{4})-Q([1-4])$")
BAD_PERIOD = "A period is a quarter written like 2026-Q3."


@dataclass(frozen=True)
class Period:
    name: str
    starts_on: dt.date
    ends_on: dt.date  # exclusive

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_current_timezone()
        return (
            dt.datetime.combine(self.starts_on, dt.time.min, tzinfo=tz),
            dt.datetime.combine(self.ends_on, dt.time.min, tzinfo=tz),
        )


def period_parse(name: str) -> Period:
    match = PERIOD.match(name.strip().upper())
    if not match:
        raise ValueError(BAD_PERIOD)
    year, quarter = int(match.group(1)), int(match.group(2))
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return Period(f"{year}-Q{quarter}", start, end)


def period_of(day: dt.date) -> Period:
    return period_parse(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


def _counts(rows: Any, key: str, labels: dict[str, str]) -> dict[str, int]:
    found = {row[key]: row["n"] for row in rows}
    counts = {label: found.get(k, 0) for k, label in labels.items()}
    for k, n in found.items():  # values no longer in the rulebook still count
        if k not in labels:
            counts[k or "Not recorded"] = counts.get(k or "Not recorded", 0) + n
    return counts


@replica_reads()
def period_figures(organisation: Organisation, period: Period) -> dict[str, Any]:
    """Raw (unsuppressed) figures for the period; `services.report_publish` suppresses them."""
    spec = organisation.current_rulebook().spec
    start, end = period.bounds()
    cases = Case.objects.filter(organisation=organisation)
    received = cases.filter(opened_at__gte=start, opened_at__lt=end)
    closed = cases.filter(closed_at__gte=start, closed_at__lt=end)
    days = sorted(
        (c - o).total_seconds() / 86400
        for o, c in closed.values_list("opened_at", "closed_at")
        if c is not None
    )
    limits = (
        Deadline.objects.filter(
            case__organisation=organisation,
            closed_at__gte=start,
            closed_at__lt=end,
            binds="organisation",
        )
        .values("kind")
        .annotate(on_time=Count("pk", filter=Q(closed_at__lte=F("due_at"))), n=Count("pk"))
    )
    appeal_outcomes = {
        k: v for k, v in spec.outcomes.items() if k.startswith("appeal") or k == "sanction_varied"
    }
    return {
        "received": received.count(),
        "by_category": _counts(
            received.values("category").annotate(n=Count("pk")), "category", spec.categories
        ),
        "by_stage": _counts(
            received.values("stage").annotate(n=Count("pk")), "stage", spec.stage_labels
        ),
        "closed": closed.count(),
        "outcomes": _counts(
            closed.values("outcome").annotate(n=Count("pk")), "outcome", spec.outcomes
        ),
        "closed_by_staff": closed.exclude(
            pk__in=StageChange.objects.filter(transition__startswith="decide_").values("case_id")
        ).count(),
        "time_to_outcome_days": {
            "median": round(stats.median(days), 1) if days else None,
            "p90": round(days[min(len(days) - 1, int(0.9 * len(days)))], 1) if days else None,
        },
        "limits": {
            row["kind"]: {"met": row["on_time"], "missed": row["n"] - row["on_time"]}
            for row in limits
        },
        "appeals_lodged": StageChange.objects.filter(
            case__organisation=organisation, transition="appeal_lodged", at__gte=start, at__lt=end
        ).count(),
        "appeal_results": _counts(
            closed.filter(outcome__in=appeal_outcomes).values("outcome").annotate(n=Count("pk")),
            "outcome",
            appeal_outcomes,
        ),
        "interim_suspensions": InterimSuspension.objects.filter(
            case__organisation=organisation, imposed_at__gte=start, imposed_at__lt=end
        ).count(),
    }


def anonymised_reference(reference: str) -> str:
    """A stable alias for a case that tells the governing body nothing about it."""
    digest = hmac.new(settings.SECRET_KEY.encode(), reference.encode(), hashlib.sha256).hexdigest()
    return f"OC-{digest[:6].upper()}"


@replica_reads()
def pack_content(
    organisation: Organisation, *, since: dt.datetime | None, now: dt.datetime
) -> dict[str, Any]:
    # Plain values, and each rulebook read and parsed once: one row a limit, and a pack over
    # a long history has hundreds of thousands (benchmarks/meeting_pack.py).
    overdue = list(
        Deadline.objects.filter(
            case__organisation=organisation,
            status=Deadline.Status.OPEN,
            binds=Deadline.Binds.ORGANISATION,
            due_at__lt=now,
        )
        .order_by("due_at")
        .values_list("case__reference", "case__stage", "case__rulebook_id", "label", "due_at")
    )
    specs = {
        rulebook.pk: rulebook.spec
        for rulebook in Rulebook.objects.filter(pk__in={row[2] for row in overdue})
    }
    rows = [
        {
            "case": anonymised_reference(reference),
            "stage": specs[rulebook_id].stage_label(stage),
            "limit": label,
            "days_over": (now - due_at).days,
        }
        for reference, stage, rulebook_id, label, due_at in overdue
    ]
    breaches = Event.objects.filter(kind=EventKind.DEADLINE_BREACHED)
    attempts = AccessAttempt.objects.filter(user__organisation=organisation)
    approaches = Approach.objects.filter(case__organisation=organisation)
    recusals = Recusal.objects.filter(case__organisation=organisation)
    challenges = BiasChallenge.objects.filter(case__organisation=organisation)
    if since is not None:
        breaches = breaches.filter(at__gte=since)
        attempts = attempts.filter(at__gte=since)
        approaches = approaches.filter(recorded_at__gte=since)
        recusals = recusals.filter(at__gte=since)
        challenges = challenges.filter(raised_at__gte=since)
    recommendations = {
        row["status"]: row["n"]
        for row in Recommendation.objects.filter(review__organisation=organisation)
        .values("status")
        .annotate(n=Count("pk"))
    }
    return {
        "since": since.isoformat() if since else None,
        "open_cases": Case.objects.filter(
            organisation=organisation, closed_at__isnull=True
        ).count(),
        "overdue": rows,
        "breaches_since_last_pack": breaches.count(),
        "interference": {
            "refused_attempts": attempts.count(),
            "approaches_recorded": approaches.count(),
            "recusals": recusals.count(),
            "challenges": challenges.count(),
        },
        "recommendations": {
            label: recommendations.get(key, 0) for key, label in Recommendation.Status.choices
        },
    }
