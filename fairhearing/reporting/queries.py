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
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q
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
# Overdue time limits listed by name in a meeting pack (all are counted).
PACK_OVERDUE_ROWS = 200


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
    median_days, p90_days = _time_to_outcome(closed)
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
        # Per closed case, whether a panel decided it: a look-up by case, not a set of every
        # decision ever made.
        "closed_by_staff": closed.exclude(
            Exists(
                StageChange.objects.filter(case=OuterRef("pk"), transition__startswith="decide_")
            )
        ).count(),
        "time_to_outcome_days": {"median": median_days, "p90": p90_days},
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


def _time_to_outcome(closed: Any) -> tuple[float | None, float | None]:
    """Median and 90th percentile of days from opening to closing: computed by PostgreSQL
    (no row leaves the database), and from the rows on SQLite, with the same definition
    (the 90th percentile is the value at index int(0.9 n) of the sorted days)."""
    if connection.vendor == "postgresql":
        sql, params = closed.values("pk").query.sql_with_params()
        query = (
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d),"  # noqa: S608 (Django's SQL)
            " (array_agg(d ORDER BY d))[floor(0.9 * count(*))::int + 1]"
            " FROM (SELECT extract(epoch FROM c.closed_at - c.opened_at) / 86400 AS d"
            " FROM cases_case c WHERE c.id IN (" + sql + ")) t"
        )
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            median, p90 = cursor.fetchone()
        if median is None:
            return None, None
        return round(float(median), 1), round(float(p90), 1)
    days = sorted(
        (c - o).total_seconds() / 86400
        for o, c in closed.values_list("opened_at", "closed_at")
        if c is not None
    )
    if not days:
        return None, None
    return (
        round(stats.median(days), 1),
        round(days[min(len(days) - 1, int(0.9 * len(days)))], 1),
    )


def anonymised_reference(reference: str) -> str:
    """A stable alias for a case that tells the governing body nothing about it."""
    digest = hmac.new(settings.SECRET_KEY.encode(), reference.encode(), hashlib.sha256).hexdigest()
    return f"OC-{digest[:6].upper()}"


@replica_reads()
def pack_content(
    organisation: Organisation, *, since: dt.datetime | None, now: dt.datetime
) -> dict[str, Any]:
    overdue = Deadline.objects.filter(
        case__organisation=organisation,
        status=Deadline.Status.OPEN,
        binds=Deadline.Binds.ORGANISATION,
        due_at__lt=now,
    )
    # The longest overdue first, as many as a meeting can read; the total is given beside them.
    # Stage names come from each case's rulebook, read once per rulebook, not once per row.
    labels: dict[int, Any] = {}
    rows = []
    for reference, stage, rulebook_id, label, due_at in overdue.order_by(
        "due_at", "pk"
    ).values_list("case__reference", "case__stage", "case__rulebook_id", "label", "due_at")[
        :PACK_OVERDUE_ROWS
    ]:
        if rulebook_id not in labels:
            labels[rulebook_id] = Rulebook.objects.get(pk=rulebook_id).spec
        rows.append(
            {
                "case": anonymised_reference(reference),
                "stage": labels[rulebook_id].stage_label(stage),
                "limit": label,
                "days_over": (now - due_at).days,
            }
        )
    breaches = Event.objects.filter(
        kind=EventKind.DEADLINE_BREACHED,
        case_id__in=Case.objects.filter(organisation=organisation).values("pk"),
    )
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
        "overdue_total": overdue.count(),
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
