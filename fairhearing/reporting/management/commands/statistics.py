"""`fairhearing statistics publish 2026-Q3` (default: the last full quarter);
`fairhearing statistics publish --history`: every full quarter not yet published."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fairhearing.core.errors import CaseError
from fairhearing.organisations.queries import organisation_default
from fairhearing.reporting.queries import period_of, period_parse
from fairhearing.reporting.services import report_publish, reports_publish_history


class Command(BaseCommand):
    help = "Publish the statistics for a quarter."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        publish = sub.add_parser("publish")
        publish.add_argument(
            "period", nargs="?", help="e.g. 2026-Q3; default the last full quarter"
        )
        publish.add_argument(
            "--history",
            action="store_true",
            help="every full quarter since the first case that is not published yet",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["history"]:
            if options["period"]:
                raise CommandError("give a period or --history, not both")
            reports = reports_publish_history(actor=None, organisation=organisation_default())
            for report in reports:
                self.stdout.write(
                    f"published statistics for {report.period}: "
                    f"{report.content['received']} received"
                )
            self.stdout.write(f"{len(reports)} quarters published")
            return
        try:
            if options["period"]:
                period = period_parse(options["period"])
            else:
                this = period_of(timezone.localdate())
                period = period_of(this.starts_on - dt.timedelta(days=1))
            report = report_publish(actor=None, organisation=organisation_default(), period=period)
        except (ValueError, CaseError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"published statistics for {report.period}: {report.content['received']} received"
        )
