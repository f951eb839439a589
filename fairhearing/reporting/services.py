"""Publishing statistics: figures from aggregate queries, suppressed, frozen with the signed
ledger head of the moment."""

from typing import Any

from django.db import transaction

from fairhearing.ledger.heads import head_as_dict, tree_head_sign
from fairhearing.organisations.models import Organisation

from .models import StatisticsReport
from .queries import Period, period_figures
from .suppression import SMALL, Group, Table, suppress

MIN_FOR_DURATIONS = 6
ALREADY_PUBLISHED = "Statistics for {period} are already published."

TITLES = {
    "by_category": "Complaints received, by category as perceived",
    "by_stage": "Complaints received, by stage now",
    "outcomes": "Cases closed, by outcome",
    "closed_by": "Cases closed, by who closed them",
    "appeal_results": "Appeals decided, by result",
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
    closed = Group([Table("outcomes", figures["outcomes"]), Table("closed_by", closed_by)])
    appeals = Group([Table("appeal_results", figures["appeal_results"])])
    tables = []
    for group in (received, closed, appeals):
        suppress(group)
        tables += [_table_json(t, TITLES[t.name], group.total_shown) for t in group.tables]
    limits = []
    for kind, counts in sorted(figures["limits"].items()):
        group = suppress(Group([Table(kind, {"Met": counts["met"], "Missed": counts["missed"]})]))
        limits.append(
            _table_json(group.tables[0], f"Time limit: {kind.replace('_', ' ')}", group.total_shown)
        )
    scalar = {}
    for name in ("appeals_lodged", "interim_suspensions"):
        value = figures[name]
        scalar[name] = SMALL if 1 <= value <= 5 else str(value)
    durations = figures["time_to_outcome_days"]
    if figures["closed"] < MIN_FOR_DURATIONS:
        durations = {"median": None, "p90": None, "note": "not shown: fewer than 6 cases closed"}
    return {
        "received": received.total_shown,
        "closed": closed.total_shown,
        "tables": tables,
        "limits": limits,
        "time_to_outcome_days": durations,
        **scalar,
        "empty": figures["received"] == 0 and figures["closed"] == 0,
    }


@transaction.atomic
def report_publish(*, actor: Any, organisation: Organisation, period: Period) -> StatisticsReport:
    from fairhearing.cases.services import CaseError

    if StatisticsReport.objects.filter(organisation=organisation, period=period.name).exists():
        raise CaseError(ALREADY_PUBLISHED.format(period=period.name))
    head = tree_head_sign()
    content = report_content(period_figures(organisation, period))
    content["ledger_head"] = head_as_dict(head)
    return StatisticsReport.objects.create(
        organisation=organisation,
        period=period.name,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        content=content,
        tree_size=head.tree_size,
        root_hash=head.root_hash,
    )
