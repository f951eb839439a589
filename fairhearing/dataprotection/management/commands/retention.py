"""`fairhearing retention run [--dry-run]`: anonymise closed cases past their rulebook's
retention period that are not on legal hold (the worker's sweep does the same every run)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fairhearing.dataprotection.retention import retention_run


class Command(BaseCommand):
    help = "Retention: anonymise closed cases whose retention period has passed."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="anonymise every case that is due")
        run.add_argument("--dry-run", action="store_true", help="list what is due, change nothing")
        run.add_argument("--limit", type=int, default=10_000, help="at most this many cases")

    def handle(self, *args: Any, **options: Any) -> None:
        result = retention_run(dry_run=options["dry_run"], limit=options["limit"])
        for reference in result.due:
            done = (
                "due"
                if options["dry_run"]
                else ("anonymised" if reference in result.anonymised else "skipped")
            )
            self.stdout.write(f"{reference}: {done}")
        verb = "due" if options["dry_run"] else "anonymised"
        count = len(result.due) if options["dry_run"] else len(result.anonymised)
        self.stdout.write(f"{count} case(s) {verb}.")
