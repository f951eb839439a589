"""`fairhearing api_token create --user NAME --name WHAT --scope S [--scope S]` prints a new
token once; `fairhearing api_token revoke PREFIX` revokes it; `list` shows them."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhearing.accounts.models import User
from fairhearing.api.models import ApiToken, Scope
from fairhearing.api.services import api_token_create, api_token_revoke
from fairhearing.core.errors import CaseError


class Command(BaseCommand):
    help = "Create, list and revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--user", required=True)
        create.add_argument("--name", required=True, help="who or what will use it")
        create.add_argument("--scope", action="append", required=True, choices=Scope.values)
        sub.add_parser("list")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user {options['user']!r}")
            try:
                token, clear = api_token_create(
                    actor=None, user=user, name=options["name"], scopes=options["scope"]
                )
            except CaseError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"{clear}")
            self.stderr.write(
                f"token {token.prefix}… for {user.username}: {', '.join(token.scopes)}"
            )
        elif options["action"] == "list":
            for token in ApiToken.objects.select_related("user").order_by("pk"):
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(
                    f"{token.prefix}…  {token.user.username:<12} {token.name:<24} "
                    f"{','.join(token.scopes):<45} {state}"
                )
        else:
            found = ApiToken.objects.filter(
                prefix=options["prefix"], revoked_at__isnull=True
            ).first()
            if found is None:
                raise CommandError("no active token with that prefix")
            api_token_revoke(actor=None, token=found)
            self.stdout.write(f"revoked {found.prefix}…")
