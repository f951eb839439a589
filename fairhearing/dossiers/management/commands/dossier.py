"""`fairhearing dossier import FILE --source NAME`: import a dossier here and now, with a
progress bar; `fairhearing dossier report ID`: its row report as CSV."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhearing.accounts.models import User
from fairhearing.core.progress import ProgressBar
from fairhearing.dossiers.importing import dossier_import
from fairhearing.dossiers.models import Dossier
from fairhearing.dossiers.report import report_csv
from fairhearing.dossiers.services import DossierRefused, dossier_receive
from fairhearing.organisations.queries import organisation_default


class Command(BaseCommand):
    help = "Import a bulk dossier (CSV, XLSX or JSON), or print a dossier's row report."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        importing = sub.add_parser("import", help="import a dossier file now")
        importing.add_argument("file", type=Path)
        importing.add_argument("--source", required=True, help="the organisation that sent it")
        importing.add_argument("--user", help="the case officer recording it (username)")
        importing.add_argument("--quiet", action="store_true", help="no progress bar")
        reporting = sub.add_parser("report", help="print a dossier's row report (CSV)")
        reporting.add_argument("dossier_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "report":
            dossier = Dossier.objects.filter(pk=options["dossier_id"]).first()
            if dossier is None:
                raise CommandError(f"no dossier {options['dossier_id']}")
            self.stdout.write(report_csv(dossier), ending="")
            return
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"no user {options['user']}")
        organisation = (
            actor.organisation if actor and actor.organisation else organisation_default()
        )
        try:
            dossier, created = dossier_receive(
                actor=actor,
                organisation=organisation,
                source_name=options["source"],
                filename=path.name,
                data=path.read_bytes(),
            )
        except DossierRefused as exc:
            raise CommandError(str(exc)) from exc
        if not created:
            self.stdout.write(f"dossier {dossier.pk}: this file was imported before")
        progress = None if options["quiet"] else ProgressBar(sys.stderr)
        dossier = dossier_import(dossier=dossier, actor=actor, progress=progress)
        counts = {
            s: dossier.rows.filter(status=s).count() for s in ("accepted", "duplicate", "rejected")
        }
        self.stdout.write(
            f"dossier {dossier.pk}: {dossier.total_rows} rows, {counts['accepted']} accepted, "
            f"{counts['duplicate']} duplicates, {counts['rejected']} rejected "
            f"(report: fairhearing dossier report {dossier.pk})"
        )
