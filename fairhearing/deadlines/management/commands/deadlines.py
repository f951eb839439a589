"""`fairhearing deadlines sweep` (once, now) and `fairhearing deadlines schedule` (enqueue)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fairhearing.deadlines.clock_stops import clock_stops_sweep
from fairhearing.deadlines.services import deadline_sweep
from fairhearing.deadlines.tasks import SWEEP_SCHEDULE
from fairhearing.worker.services import schedule_run_now


class Command(BaseCommand):
    help = "Deadline tools: sweep once, or schedule the recurring sweep for the db_worker."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "sweep",
            help="record breaches, send due reminders, restart and escalate clock stops now",
        )
        sub.add_parser(
            "schedule", help="run the recurring sweep now, in `db_worker` (it then recurs)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "sweep":
            result = deadline_sweep()
            stops = clock_stops_sweep()
            self.stdout.write(
                f"breaches recorded: {result.breaches}, windows ended: {result.expiries}, "
                f"reminders sent: {result.reminders}, clocks restarted: {stops.restarted}, "
                f"clock stops escalated: {stops.escalated}"
            )
        elif schedule_run_now(name=SWEEP_SCHEDULE):
            self.stdout.write("deadline sweep scheduled")
        else:
            self.stdout.write("deadline sweep already scheduled")
