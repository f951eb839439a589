"""`fairhearing keys generate|rotate|status`: field-encryption keys (docs/security.md).

Rotation, with no downtime: `keys generate`, put the new key first in FIELD_ENCRYPTION_KEYS
(or the key file) keeping the old ones after it, restart the web and worker processes,
`keys rotate`, check `keys status` shows nothing left under old keys, then remove them.
"""

import secrets
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhearing.core.crypto import generate_fernet_key
from fairhearing.core.progress import ProgressBar
from fairhearing.operations.keys import keys_rotate, keys_status


class Command(BaseCommand):
    help = "Field-encryption keys: generate a key, re-encrypt under the current key, status."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        generate = sub.add_parser("generate", help="print a new key")
        generate.add_argument(
            "--hash", action="store_true", help="a FIELD_HASH_KEY (hex) instead of a Fernet key"
        )
        rotate = sub.add_parser("rotate", help="re-encrypt every value under the current key")
        rotate.add_argument("--batch", type=int, default=500, help="rows per transaction")
        rotate.add_argument("--quiet", action="store_true", help="no progress bar")
        sub.add_parser("status", help="values per table still under an older key")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "generate":
            self.stdout.write(secrets.token_hex(32) if options["hash"] else generate_fernet_key())
        elif action == "rotate":
            if options["batch"] < 1:
                raise CommandError("--batch must be at least 1")
            show = not options["quiet"] and sys.stderr.isatty()
            result = keys_rotate(
                batch=options["batch"], progress=ProgressBar(sys.stderr) if show else None
            )
            self.stdout.write(
                f"{result.rows_read} rows read, {result.values_rotated} values re-encrypted "
                f"in {result.seconds:.1f}s ({result.rate:.0f} rows/s)"
            )
        else:
            stale = keys_status()
            for table, count in stale.items():
                self.stdout.write(f"{table}: {count}")
            left = sum(stale.values())
            self.stdout.write(
                "every value is under the current key: older keys can be removed"
                if not left
                else f"{left} values under older keys: run `fairhearing keys rotate`"
            )
