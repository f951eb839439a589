"""`fairhearing webhooks add URL --secret S [--event NAME ...]`, `list`, `deliver` (now)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fairhearing.organisations.queries import organisation_default
from fairhearing.webhooks.models import Delivery, WebhookEvent
from fairhearing.webhooks.services import webhook_endpoint_add, webhooks_deliver_pending


class Command(BaseCommand):
    help = "Webhook endpoints for membership systems, and their delivery log."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add")
        add.add_argument("url")
        add.add_argument("--secret", required=True)
        add.add_argument("--event", action="append", default=[], choices=WebhookEvent.Name.values)
        sub.add_parser("list")
        sub.add_parser("deliver")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "add":
            endpoint = webhook_endpoint_add(
                actor=None,
                organisation=organisation_default(),
                url=options["url"],
                secret=options["secret"],
                events=options["event"],
            )
            self.stdout.write(f"endpoint {endpoint.pk}: {endpoint.url}")
        elif options["action"] == "list":
            for delivery in Delivery.objects.select_related("endpoint", "event").order_by("-pk")[
                :50
            ]:
                self.stdout.write(
                    f"{delivery.pk:>6} {delivery.event.name:<20} {delivery.status:<10} "
                    f"attempts={delivery.attempts} last={delivery.last_status_code} "
                    f"{delivery.endpoint.url}"
                )
        else:
            self.stdout.write(f"delivered: {webhooks_deliver_pending()}")
