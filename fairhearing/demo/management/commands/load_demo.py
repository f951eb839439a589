"""`fairhearing load_demo`: fictional demo data, once; prints the URL and logins every time."""

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from fairhearing.accounts.demo import DEMO_TOTP_SECRET, demo_second_factor_ensure
from fairhearing.accounts.models import User
from fairhearing.cases.models import Case
from fairhearing.demo.data import DEMO_PASSWORD, DEMO_RECEIPT, DEMO_SLUG, DEMO_USERS, PANEL_POOL
from fairhearing.demo.load import demo_loaded, load_demo


class Command(BaseCommand):
    help = "Load the fictional demo organisation, its users and a few hundred cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=320)

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_loaded():
            self.stdout.write("Demo data already loaded.")
        else:
            show = sys.stderr.isatty()

            def progress(done: int, total: int) -> None:
                if show:
                    filled = int(30 * done / total)
                    sys.stderr.write(
                        f"\rLoading demo [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}"
                    )
                    if done == total:
                        sys.stderr.write("\n")

            load_demo(cases=options["cases"], progress=progress)
            self.stdout.write(f"Demo data loaded: {Case.objects.count()} cases.")
        demo_second_factor_ensure(User.objects.filter(organisation__slug=DEMO_SLUG))
        self.stdout.write("")
        self.stdout.write(f"Fairhearing demo: {settings.SITE_URL}/")
        self.stdout.write(f"Staff sign in: {settings.SITE_URL}/accounts/sign-in/")
        self.stdout.write(f"Every demo login has the password: {DEMO_PASSWORD}")
        for username, role, first, last in DEMO_USERS:
            self.stdout.write(f"  {username:<13} {role.label} ({first} {last})")
        pool = ", ".join(username for username, *_ in PANEL_POOL)
        self.stdout.write(f"  Independent panel pool (same password): {pool}")
        self.stdout.write(
            f"Second step: every demo login has the same authenticator key, {DEMO_TOTP_SECRET}"
            " (add it to any authenticator app), or print the current code with:"
            " fairhearing otp code USERNAME"
        )
        self.stdout.write(
            "Governing body and administrator logins see no individual case: trying is refused "
            "and recorded in the interference register (sign in as oversight to read it)."
        )
        self.stdout.write(
            f"Anonymous report: {settings.SITE_URL}/report/ with the receipt code {DEMO_RECEIPT}"
        )
