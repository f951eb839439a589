"""`fairhearing witnesses list` (the latest deliveries of signed heads to the witnesses) and
`fairhearing witnesses send` (queue and send what is due now, as the worker's sweep does)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from fairhearing.witnesses.models import WitnessDelivery
from fairhearing.witnesses.services import witnesses_send_pending


class Command(BaseCommand):
    help = "The ledger's independent witnesses (LEDGER_WITNESSES) and what was sent to them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="the latest 50 deliveries")
        sub.add_parser("send", help="send the heads not yet sent, now")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "send":
            self.stdout.write(f"sent: {witnesses_send_pending()}")
            return
        if not settings.LEDGER_WITNESSES:
            self.stdout.write("No witnesses are configured (LEDGER_WITNESSES).")
        deliveries = WitnessDelivery.objects.select_related("head").order_by("-pk")[:50]
        for delivery in deliveries:
            self.stdout.write(
                f"head of {delivery.head.tree_size} events to {delivery.witness}: "
                f"{delivery.get_status_display()}, {delivery.attempts} attempts"
                + (f" ({delivery.last_error})" if delivery.last_error else "")
            )
