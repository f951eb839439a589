"""`fairhearing ledger verify|sign-head|proof|consistency|check-proof|public-key`.

`verify` re-computes the hash chain and names the first bad event; `check-proof` checks a
signed head and an inclusion or consistency proof from a file, without the database."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhearing.ledger import heads
from fairhearing.ledger.models import Event, TreeHead
from fairhearing.ledger.queries import ledger_verify


class Command(BaseCommand):
    help = "Ledger tools. `verify` re-computes the whole hash chain in constant memory."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="check every event's hash and link")
        verify.add_argument("--quiet", action="store_true", help="no progress bar")
        sub.add_parser("sign-head", help="sign the Merkle root of the ledger as it stands")
        sub.add_parser("public-key", help="print the public key that verifies tree heads")
        proof = sub.add_parser("proof", help="inclusion proof of an event in the latest head")
        proof.add_argument("--seq", type=int, required=True)
        consistency = sub.add_parser("consistency", help="consistency proof between two heads")
        consistency.add_argument("--from", dest="old", type=int, required=True, help="tree size")
        consistency.add_argument("--to", dest="new", type=int, required=True, help="tree size")
        check = sub.add_parser(
            "check-proof",
            help="check a proof file (no database needed), or heads saved earlier (from "
            "/ledger/heads or a witness's message) against the ledger as it stands",
        )
        check.add_argument("file")
        check.add_argument(
            "--public-key",
            help="hex Ed25519 public key (default: the one the file names, else this ledger's)",
        )

    def handle(self, *args: Any, **options: Any) -> None:

        action = options["action"]
        if action == "verify":
            self.verify(quiet=options["quiet"])
        elif action == "sign-head":
            self.stdout.write(json.dumps(heads.head_as_dict(heads.tree_head_sign()), indent=2))
        elif action == "public-key":
            self.stdout.write(heads.public_key_hex())
        elif action == "proof":
            head = heads.tree_head_sign()
            if not 0 < options["seq"] <= head.tree_size:
                raise CommandError(f"no event #{options['seq']} in the latest head")
            self.stdout.write(json.dumps(heads.inclusion_proof(options["seq"], head), indent=2))
        elif action == "consistency":
            old = TreeHead.objects.filter(tree_size=options["old"]).first()
            new = TreeHead.objects.filter(tree_size=options["new"]).first()
            if old is None or new is None or old.tree_size > new.tree_size:
                raise CommandError("give the sizes of two signed heads, older first")
            self.stdout.write(json.dumps(heads.consistency_proof(old, new), indent=2))
        else:
            self.check_proof(Path(options["file"]), options["public_key"])

    def check_proof(self, path: Path, public_key: str | None) -> None:

        try:
            document = json.loads(path.read_text())
            if isinstance(document, dict) and "type" in document:
                public = public_key or document.get("public_key") or heads.public_key_hex()
                problems = heads.check_proof(document, public)
                saved = None
            else:
                saved, named = heads.saved_heads(document)
                public = public_key or named or heads.public_key_hex()
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"unreadable proof: {exc}", returncode=2) from exc
        if saved is None:
            if problems:
                raise CommandError("proof FAILED: " + "; ".join(problems), returncode=2)
            self.stdout.write("proof OK")
            return
        failed = []
        for head in saved:
            try:
                name = f"the head of {int(head['tree_size'])} events signed {head['timestamp']}"
                problems = heads.check_saved_head(head, public)
            except (ValueError, KeyError, TypeError) as exc:
                raise CommandError(f"unreadable head: {exc}", returncode=2) from exc
            if problems:
                failed.append(f"{name}: " + "; ".join(problems))
            else:
                self.stdout.write(f"{name}: OK, the ledger today extends it")
        if failed:
            raise CommandError(
                f"check-proof FAILED for {len(failed)} of {len(saved)} saved heads:\n"
                + "\n".join(failed),
                returncode=2,
            )
        latest = heads.latest_head()
        if latest is not None:
            self.stdout.write(
                f"the ledger's head now: {latest.tree_size} events, signed "
                f"{latest.signed_at.isoformat()}, root {latest.root_hash}"
            )

    def verify(self, *, quiet: bool) -> None:
        total = Event.objects.count()
        show = not quiet and sys.stderr.isatty()

        def progress(done: int) -> None:
            if show and total:
                width = 30
                filled = int(width * done / total)
                sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
                sys.stderr.flush()

        result = ledger_verify(progress=progress)
        if show:
            sys.stderr.write("\n")
        if result.bad_seq is not None:
            raise CommandError(
                f"ledger verify FAILED at event #{result.bad_seq}: {result.reason} "
                f"({result.checked} events verified before it)",
                returncode=2,
            )
        if result.bad_head is not None:
            raise CommandError(
                f"ledger verify FAILED: {result.bad_head} (the chain of {result.checked} "
                f"events links up; {result.heads_checked} earlier signed heads match)",
                returncode=2,
            )
        self.stdout.write(
            f"ledger verify OK: {result.checked} events, head {result.head_hash}; "
            f"{result.heads_checked} signed heads match"
        )
