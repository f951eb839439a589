"""`fairhearing staff add USERNAME --organisation SLUG --role ROLE --email EMAIL --name "First
Last"`: a staff account, its password typed at the prompt (or one line on standard input with
`--password-stdin`, for scripts). The person sets up their authenticator app at their first
sign-in (docs/deploy.md, "First start")."""

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhearing.accounts.models import Role
from fairhearing.accounts.services import staff_account_create
from fairhearing.core.errors import CaseError
from fairhearing.organisations.models import Organisation


class Command(BaseCommand):
    help = "Add a staff account."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add")
        add.add_argument("username")
        add.add_argument("--organisation", required=True, help="the organisation's slug")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument("--email", required=True)
        add.add_argument("--name", required=True, help='"First Last"')
        add.add_argument("--password-stdin", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"no organisation {options['organisation']!r}")
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                raise CommandError("the passwords differ")
        first, _, last = options["name"].strip().partition(" ")
        try:
            user = staff_account_create(
                actor=None,
                organisation=organisation,
                username=options["username"],
                role=options["role"],
                email=options["email"],
                first_name=first,
                last_name=last,
                password=password,
            )
        except CaseError as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(f"added {user.username} ({user.get_role_display()})")
