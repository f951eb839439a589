"""Publishing statistics: figures from aggregate queries, suppressed, frozen with the signed
ledger head of the moment."""

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from fairhearing.cases.models import Case
from fairhearing.core.errors import CaseError
from fairhearing.ledger.heads import head_as_dict, tree_head_sign
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.organisations.models import Organisation
from fairhearing.organisations.models import Organisation as Org

from .confidence import survey_content
from .models import (
    Meeting,
    MeetingPack,
    Recommendation,
    RecommendationUpdate,
    Review,
    StatisticsReport,
)
from .queries import Period, history_figures, pack_content, period_figures, period_of
from .suppression import SMALL, Group, Table, suppress

MIN_FOR_DURATIONS = 6
ALREADY_PUBLISHED = "Statistics for {period} are already published."

TITLES = {
    "by_category": "Complaints received, by category as perceived",
    "by_stage": "Complaints received, by stage now",
    "outcomes": "Cases closed, by outcome",
    "closed_by": "Cases closed, by who closed them",
    "appeal_results": "Appeals decided, by result",
    "closed_by_category": "Cases closed, by category as perceived",
    "clock_stops_asked": "Clock stops asked for, by what became of them",
    "clock_stops_ended": "Clock stops ended, by how the clock restarted",
}


def _table_json(table: Table, title: str, total_shown: str) -> dict[str, Any]:
    return {
        "name": table.name,
        "title": title,
        "total": total_shown,
        "withheld": table.withheld,
        "rows": [{"label": label, "shown": table.shown[label]} for label in table.counts],
    }


def report_content(figures: dict[str, Any]) -> dict[str, Any]:
    """Suppress the raw figures into what may be published."""
    received = Group(
        [Table("by_category", figures["by_category"]), Table("by_stage", figures["by_stage"])]
    )
    closed_by = {
        "Staff (no panel)": figures["closed_by_staff"],
        "Panel": figures["closed"] - figures["closed_by_staff"],
    }
    closed_tables = [Table("outcomes", figures["outcomes"]), Table("closed_by", closed_by)]
    if "closed_by_category" in figures:  # figures made before parity was published have none
        closed_tables.append(Table("closed_by_category", figures["closed_by_category"]))
    closed = Group(closed_tables)
    appeals = Group([Table("appeal_results", figures["appeal_results"])])
    stops = figures["clock_stops"]
    stops_asked = Group([Table("clock_stops_asked", stops["asked"])])
    stops_ended = Group([Table("clock_stops_ended", stops["ended"])])
    tables = []
    for group in (received, closed, appeals, stops_asked, stops_ended):
        suppress(group)
        tables += [_table_json(t, TITLES[t.name], group.total_shown) for t in group.tables]
    limits = []
    for name, counts in sorted(figures["limits"].items()):
        group = suppress(Group([Table(name, {"Met": counts["met"], "Missed": counts["missed"]})]))
        limits.append(_table_json(group.tables[0], f"Time limit: {name}", group.total_shown))
    scalar = {}
    for name, value in (
        ("appeals_lodged", figures["appeals_lodged"]),
        ("interim_suspensions", figures["interim_suspensions"]),
        ("clock_stops_escalated", stops["escalated"]),
    ):
        scalar[name] = SMALL if 1 <= value <= 5 else str(value)
    # The time clocks stood stopped, summed over the stops that ended in the quarter: like
    # the days to outcome, not shown for so few that it would tell of one case.
    stopped_days: dict[str, Any] = {"total": stops["days_stopped"]}
    if stops_ended.total < MIN_FOR_DURATIONS:
        stopped_days = {"total": None, "note": "not shown: fewer than 6 clock stops ended"}
    durations = figures["time_to_outcome_days"]
    if figures["closed"] < MIN_FOR_DURATIONS:
        durations = {"median": None, "p90": None, "note": "not shown: fewer than 6 cases closed"}
    return {
        **_parity_content(figures),
        # Figures made before the surveys were published have none.
        **(survey_content(figures["survey"]) if "survey" in figures else {}),
        "received": received.total_shown,
        "closed": closed.total_shown,
        "tables": tables,
        "limits": limits,
        "time_to_outcome_days": durations,
        "clock_stopped_days": stopped_days,
        **scalar,
        "empty": figures["received"] == 0 and figures["closed"] == 0,
    }


def _parity_content(figures: dict[str, Any]) -> dict[str, Any]:
    """Days to outcome by category, where at least `MIN_FOR_DURATIONS` cases of it closed (a
    median of fewer tells too much about each case), and the rolling year's flags: medians
    only. No count of a year is published: with the quarters' counts, one could give away a
    quarter's small number."""
    if "parity" not in figures:
        return {}
    times = [
        {"category": label, "median": median, "p90": p90}
        for label, (closed, median, p90) in figures["times_by_category"].items()
        if closed >= MIN_FOR_DURATIONS and median is not None
    ]
    by_outcome = [
        {"outcome": label, "median": median, "p90": p90}
        for label, (closed, median, p90) in figures["times_by_outcome"].items()
        if closed >= MIN_FOR_DURATIONS and median is not None
    ]
    parity = figures["parity"]
    return {
        "times_by_category": sorted(times, key=lambda row: row["category"].casefold()),
        "times_by_outcome": sorted(by_outcome, key=lambda row: row["outcome"].casefold()),
        "parity": {
            "from": parity["from"],
            "to": parity["to"],
            "threshold_percent": parity["threshold_percent"],
            "min_cases": parity["min_cases"],
            "flags": parity["flags"],
        },
    }


@transaction.atomic
def report_publish(
    *,
    actor: Any,
    organisation: Organisation,
    period: Period,
    figures: dict[str, Any] | None = None,
) -> StatisticsReport:
    """Publish a quarter's statistics (`figures`: its raw figures, if already computed)."""
    if StatisticsReport.objects.filter(organisation=organisation, period=period.name).exists():
        raise CaseError(ALREADY_PUBLISHED.format(period=period.name))
    head = tree_head_sign()
    content = report_content(figures or period_figures(organisation, period))
    content["ledger_head"] = head_as_dict(head)
    report = StatisticsReport.objects.create(
        organisation=organisation,
        period=period.name,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        content=content,
        tree_size=head.tree_size,
        root_hash=head.root_hash,
    )
    # After the head it is frozen with: the report covers the ledger up to that head.
    event_append(
        actor=actor,
        kind=EventKind.STATISTICS_PUBLISHED,
        payload={
            "organisation": organisation.pk,
            "report": report.pk,
            "period": period.name,
            "tree_size": head.tree_size,
        },
    )
    return report


@transaction.atomic
def meeting_pack_make(*, meeting: Meeting, now: dt.datetime | None = None) -> MeetingPack:
    now = now or timezone.now()
    previous = (
        MeetingPack.objects.filter(meeting__organisation=meeting.organisation, generated_at__lt=now)
        .order_by("-generated_at")
        .first()
    )
    pack = MeetingPack.objects.create(
        meeting=meeting,
        generated_at=now,
        content=pack_content(
            meeting.organisation, since=previous.generated_at if previous else None, now=now
        ),
    )
    event_append(
        actor=None,
        kind=EventKind.MEETING_PACK_MADE,
        payload={"pack": pack.pk, "meeting": meeting.pk},
    )
    return pack


def meeting_packs_due(*, today: dt.date | None = None) -> int:
    """Make every pack whose day has come (run by the worker's sweep)."""
    today = today or timezone.localdate()
    made = 0
    for meeting in Meeting.objects.filter(pack__isnull=True, held_on__gte=today):
        if meeting.held_on - dt.timedelta(days=meeting.pack_days_before) <= today:
            meeting_pack_make(meeting=meeting)
            made += 1
    return made


# --- recommendations -------------------------------------------------------------------------

COLUMNS = ("number", "text", "owner", "due_on", "status", "evidence")


@dataclass
class ImportReport:
    accepted: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _rows(data: bytes, filename: str) -> list[dict[str, Any]]:
    text = data.decode("utf-8-sig")
    if filename.lower().endswith(".json"):
        rows = json.loads(text)
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ValueError("JSON must be a list of objects")
        return rows
    return list(csv.DictReader(io.StringIO(text)))


@transaction.atomic
def recommendations_import(
    *,
    actor: Any,
    organisation: Organisation,
    title: str,
    published_on: dt.date,
    data: bytes,
    filename: str,
) -> ImportReport:
    """Import a review's recommendations: every row is checked, and if any is bad nothing is
    imported and each bad row is reported."""
    report = ImportReport()
    try:
        rows = _rows(data, filename)
    except (UnicodeDecodeError, ValueError, json.JSONDecodeError) as exc:
        report.errors.append((0, f"The file cannot be read: {exc}"))
        return report
    cleaned, seen = [], set()
    for line, row in enumerate(rows, start=2 if not filename.lower().endswith(".json") else 1):
        problems = [
            f"missing {c}"
            for c in ("number", "text", "owner", "due_on")
            if not str(row.get(c) or "").strip()
        ]
        status = str(row.get("status") or "not_started").strip()
        if status not in Recommendation.Status.values:
            problems.append(f"unknown status {status!r}")
        try:
            due_on = dt.date.fromisoformat(str(row.get("due_on") or "").strip())
        except ValueError:
            problems.append("due_on must be a date like 2027-03-31")
            due_on = None
        number = str(row.get("number") or "").strip()
        if number in seen:
            problems.append(f"duplicate number {number}")
        seen.add(number)
        if problems or due_on is None:
            report.errors.append((line, "; ".join(problems)))
        else:
            cleaned.append(
                (
                    number,
                    str(row["text"]).strip(),
                    str(row["owner"]).strip(),
                    due_on,
                    status,
                    str(row.get("evidence") or "").strip(),
                )
            )
    if not cleaned and not report.errors:
        report.errors.append((0, "The file has no recommendations."))
    if report.errors:
        return report
    review = Review.objects.create(
        organisation=organisation, title=title, published_on=published_on
    )
    for number, text, owner, due_on, status, evidence in cleaned:
        recommendation = Recommendation.objects.create(
            review=review,
            number=number,
            text=text,
            owner=owner,
            due_on=due_on,
            status=status,
            evidence=evidence,
        )
        RecommendationUpdate.objects.create(
            recommendation=recommendation, actor=actor, status=status, evidence=evidence
        )
    report.accepted = len(cleaned)
    event_append(
        actor=actor,
        kind=EventKind.RECOMMENDATIONS_IMPORTED,
        payload={"review": review.pk, "recommendations": len(cleaned)},
    )
    return report


NEEDS_EVIDENCE = "Give the evidence of implementation."


@transaction.atomic
def recommendation_update(
    *, actor: Any, recommendation: Recommendation, status: str, evidence: str
) -> Recommendation:
    if status not in Recommendation.Status.values:
        raise CaseError("Choose a status from the list.")
    if status == Recommendation.Status.IMPLEMENTED and not evidence.strip():
        raise CaseError(NEEDS_EVIDENCE)
    recommendation.status, recommendation.evidence = status, evidence.strip()
    recommendation.save(update_fields=["status", "evidence"])
    RecommendationUpdate.objects.create(
        recommendation=recommendation, actor=actor, status=status, evidence=evidence.strip()
    )
    event_append(
        actor=actor,
        kind=EventKind.RECOMMENDATION_UPDATED,
        payload={"recommendation": recommendation.pk, "status": status},
    )
    return recommendation


@transaction.atomic
def recommendation_add(
    *,
    actor: Any,
    organisation: Organisation,
    review: Review | None,
    title: str,
    text: str,
    owner: str,
    due_on: dt.date,
) -> Recommendation:
    """One recommendation added to the tracker, numbered next in its review (A1, A2, ...);
    with no review yet, a review called `title`, published today, is opened for it (a
    case-file audit's findings: audits.services.audit_finding_raise)."""
    if review is None:
        review = Review.objects.create(
            organisation=organisation, title=title, published_on=timezone.localdate()
        )
    number = f"A{review.recommendations.count() + 1}"
    recommendation = Recommendation.objects.create(
        review=review, number=number, text=text.strip(), owner=owner.strip(), due_on=due_on
    )
    RecommendationUpdate.objects.create(
        recommendation=recommendation, actor=actor, status=recommendation.status
    )
    event_append(
        actor=actor,
        kind=EventKind.RECOMMENDATION_ADDED,
        payload={"review": review.pk, "recommendation": recommendation.pk},
    )
    return recommendation


@transaction.atomic
def reports_publish_history(
    *, actor: Any, organisation: Organisation, today: dt.date | None = None
) -> list[StatisticsReport]:
    """Publish every full quarter since the first case that is not published yet (an
    organisation starting with its history imported): their figures in one pass."""

    first = (
        Case.objects.filter(organisation=organisation)
        .order_by("opened_at")
        .values_list("opened_at", flat=True)
        .first()
    )
    if first is None:
        return []
    this = period_of(today or timezone.localdate())
    periods = []
    day = timezone.localtime(first).date()
    while day < this.starts_on:
        periods.append(period_of(day))
        day = periods[-1].ends_on
    published = set(
        StatisticsReport.objects.filter(organisation=organisation).values_list("period", flat=True)
    )
    todo = [period for period in periods if period.name not in published]
    figures = history_figures(organisation, todo)
    return [
        report_publish(
            actor=actor, organisation=organisation, period=period, figures=figures[period.name]
        )
        for period in todo
    ]


def statistics_publish_due(*, today: dt.date | None = None) -> StatisticsReport | None:
    """Publish the last full quarter if it is not yet published (run by the worker's sweep)."""

    today = today or timezone.localdate()
    last = period_of(period_of(today).starts_on - dt.timedelta(days=1))
    report = None
    for organisation in Org.objects.all():
        if not StatisticsReport.objects.filter(
            organisation=organisation, period=last.name
        ).exists():
            report = report_publish(actor=None, organisation=organisation, period=last)
    return report


@transaction.atomic
def meeting_schedule(
    *,
    actor: Any,
    organisation: Organisation,
    title: str,
    held_on: dt.date,
    pack_days_before: int = 7,
) -> Meeting:
    meeting = Meeting(
        organisation=organisation, title=title, held_on=held_on, pack_days_before=pack_days_before
    )
    meeting.full_clean()
    meeting.save()
    event_append(
        actor=actor,
        kind=EventKind.MEETING_SCHEDULED,
        payload={"meeting": meeting.pk, "held_on": held_on.isoformat()},
    )
    return meeting
