"""`fairhearing ledger verify`: re-compute the hash chain and name the first bad event."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhearing.ledger.models import Event
from fairhearing.ledger.queries import ledger_verify


class Command(BaseCommand):
    help = "Ledger tools. `verify` re-computes the whole hash chain in constant memory."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="check every event's hash and link")
        verify.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self.verify(quiet=options["quiet"])

    def verify(self, *, quiet: bool) -> None:
        total = Event.objects.count()
        show = not quiet and sys.stderr.isatty()

        def progress(done: int) -> None:
            if show and total:
                width = 30
                filled = int(width * done / total)
                sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
                sys.stderr.flush()

        result = ledger_verify(progress=progress)
        if show:
            sys.stderr.write("\n")
        if not result.ok:
            raise CommandError(
                f"ledger verify FAILED at event #{result.bad_seq}: {result.reason} "
                f"({result.checked} events verified before it)",
                returncode=2,
            )
        self.stdout.write(f"ledger verify OK: {result.checked} events, head {result.head_hash}")
