"""`fairhearing backup FILE`: the database and the evidence in one tar file, with a manifest."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhearing.operations.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (PostgreSQL or SQLite) and the evidence files to one file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="where to write the backup (a .tar file)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_create(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"backup written to {options['file']}: {manifest['database']}, "
            f"{manifest['ledger']['events']} ledger events, {rows} rows"
        )
