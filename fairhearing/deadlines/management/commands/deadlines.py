"""`fairhearing deadlines sweep` (once, now) and `fairhearing deadlines schedule` (enqueue)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fairhearing.deadlines.services import deadline_sweep
from fairhearing.deadlines.tasks import deadline_sweep_task, sweep_pending


class Command(BaseCommand):
    help = "Deadline tools: sweep once, or schedule the recurring sweep for the db_worker."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("sweep", help="record breaches and send due reminders now")
        sub.add_parser("schedule", help="enqueue the recurring sweep for `db_worker`")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "sweep":
            result = deadline_sweep()
            self.stdout.write(
                f"breaches recorded: {result.breaches}, windows ended: {result.expiries}, "
                f"reminders sent: {result.reminders}"
            )
        elif sweep_pending():
            self.stdout.write("deadline sweep already scheduled")
        else:
            deadline_sweep_task.enqueue(reschedule=True)
            self.stdout.write("deadline sweep scheduled")
