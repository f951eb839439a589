"""`fairhearing bench generate --cases N`: fictional data at scale for the benchmarks."""

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from fairhearing.core.progress import ProgressBar
from fairhearing.demo.benchdata import generate
from fairhearing.organisations.models import Organisation
from fairhearing.organisations.services import organisation_create


class Command(BaseCommand):
    help = "Generate fictional cases at scale (for benchmarks; never on a live system)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        make = sub.add_parser("generate")
        make.add_argument("--cases", type=int, required=True)
        make.add_argument("--seed", type=int, default=1)
        make.add_argument("--quiet", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug="bench").first()
        if organisation is None:
            with transaction.atomic():
                organisation = organisation_create(
                    actor=None, name="Benchmark Union", slug="bench", reference_prefix="BN"
                )
        started = time.monotonic()
        events = generate(
            organisation=organisation,
            cases=options["cases"],
            seed=options["seed"],
            progress=None if options["quiet"] else ProgressBar(sys.stderr, unit="cases"),
        )
        seconds = time.monotonic() - started
        self.stdout.write(
            f"generated {options['cases']} cases and {events} ledger events in {seconds:.1f} s "
            f"({options['cases'] / seconds:.0f} cases/s)"
        )
