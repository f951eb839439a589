"""`fairhearing organisation create --name NAME --slug SLUG [--prefix FH]`: the organisation a
new installation serves, with the built-in rulebook (docs/deploy.md, "First start");
`fairhearing organisation list` shows them."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhearing.organisations.models import Organisation
from fairhearing.organisations.services import organisation_create


class Command(BaseCommand):
    help = "Create or list organisations."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--name", required=True)
        create.add_argument("--slug", required=True, help="short name, letters and hyphens")
        create.add_argument("--prefix", default="FH", help="case references start with it")
        sub.add_parser("list")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for organisation in Organisation.objects.order_by("pk"):
                self.stdout.write(f"{organisation.slug:<20} {organisation.name}")
            return
        try:
            organisation = organisation_create(
                actor=None,
                name=options["name"],
                slug=options["slug"],
                reference_prefix=options["prefix"],
            )
        except ValidationError as invalid:
            raise CommandError(" ".join(invalid.messages)) from invalid
        self.stdout.write(f"created {organisation.slug}: {organisation.name}")
