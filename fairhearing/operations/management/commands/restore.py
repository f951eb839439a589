"""`fairhearing restore FILE`: load a backup into an empty database, then check it with the
ledger and the record counts (exit status 2 when the check fails)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhearing.operations.backup import BackupError, database_is_empty, restore


class Command(BaseCommand):
    help = "Restore a backup made by `fairhearing backup` into an empty database, and check it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that already holds ledger events",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["file"].is_file():
            raise CommandError(f"{options['file']}: no such file")
        if not options["force"] and not database_is_empty():
            raise CommandError("the database is not empty: restore into an empty one, or --force")
        try:
            result = restore(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored: ledger verified, {result.events} events, head {result.head}; "
            f"{sum(result.counts.values())} rows in {len(result.counts)} tables"
        )
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(f"check failed: {problem}")
            raise SystemExit(2)
