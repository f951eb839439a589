"""`fairhearing otp code USERNAME | reset USERNAME`.

`code` prints the code a user's authenticator app shows now. It works only under DEBUG, or
for the demo's published key (`accounts/demo.py`): in production nobody can read a code
from the server. `reset` forgets a user's app and recovery codes (a lost phone): they set up
a new app at their next sign-in.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhearing.accounts.demo import is_demo_device
from fairhearing.accounts.models import User
from fairhearing.accounts.services import (
    second_factor_reset,
    totp_code_now,
    totp_device_confirmed,
)

NOT_HERE = "`otp code` works only with DEBUG on or for the demo's published key."


class Command(BaseCommand):
    help = "Second-factor tools: the current code of a demo login; reset a lost app."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        code = sub.add_parser("code", help="print the current code (DEBUG or demo key only)")
        code.add_argument("username")
        reset = sub.add_parser("reset", help="forget the user's app and recovery codes")
        reset.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        if options["action"] == "reset":
            second_factor_reset(actor=None, user=user)
            self.stdout.write(f"{user.username} will set up a new app at their next sign-in.")
            return
        device = totp_device_confirmed(user)
        if device is None:
            raise CommandError(f"{user.username} has not set up an authenticator app")
        if not (settings.DEBUG or is_demo_device(device)):
            raise CommandError(NOT_HERE)
        self.stdout.write(totp_code_now(device))
