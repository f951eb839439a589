"""`fairhearing sso link USERNAME SUBJECT | unlink USERNAME | show USERNAME`.

Single sign-on links a staff account to its user at the provider at the first sign-in, by a
verified email address (docs/sso.md). An administrator links one by hand when the provider
does not vouch for email addresses (`link`, with the provider's `sub` for that person), and
forgets a link when the person's account at the provider was replaced (`unlink`: the next
sign-in matches by email again). The issuer is the configured one.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhearing.accounts.models import ProviderIdentity, User
from fairhearing.accounts.services import (
    LINKED_BY_ADMINISTRATOR,
    provider_identity_link,
    provider_identity_unlink,
)

OFF = "Single sign-on is off: set FAIRHEARING_OIDC_ISSUER and FAIRHEARING_OIDC_CLIENT_ID."


class Command(BaseCommand):
    help = "Single sign-on: link a staff account to its user at the provider, or forget it."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        link = sub.add_parser("link", help="link the account to the provider's subject (sub)")
        link.add_argument("username")
        link.add_argument("subject")
        unlink = sub.add_parser("unlink", help="forget the account's link to the provider")
        unlink.add_argument("username")
        show = sub.add_parser("show", help="say whether the account is linked, and since when")
        show.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.SSO_ENABLED:
            raise CommandError(OFF)
        issuer = settings.OIDC_ISSUER
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        linked = ProviderIdentity.objects.filter(user=user, issuer=issuer).first()
        if options["action"] == "show":
            if linked is None:
                self.stdout.write(f"{user.username} is not linked to {issuer}.")
            else:
                self.stdout.write(
                    f"{user.username} is linked to {issuer} as {linked.subject} "
                    f"since {linked.linked_at:%Y-%m-%d %H:%M}."
                )
        elif options["action"] == "unlink":
            if not provider_identity_unlink(user=user, issuer=issuer):
                raise CommandError(f"{user.username} is not linked to {issuer}")
            self.stdout.write(f"{user.username} will be matched by email at their next sign-in.")
        else:
            subject = options["subject"].strip()
            if linked is not None:
                raise CommandError(f"{user.username} is already linked: unlink them first")
            other = ProviderIdentity.objects.filter(issuer=issuer, subject=subject).first()
            if other is not None:
                raise CommandError(f"that subject is already linked to {other.user.username}")
            provider_identity_link(
                user=user, issuer=issuer, subject=subject, how=LINKED_BY_ADMINISTRATOR
            )
            self.stdout.write(f"{user.username} is linked to {issuer} as {subject}.")
