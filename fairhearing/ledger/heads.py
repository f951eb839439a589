"""Signed tree heads and proofs over the ledger's Merkle tree (R-53).

The signing key is an Ed25519 key read from LEDGER_SIGNING_KEY_FILE (32 raw bytes, hex). For
the demo and tests a key is made there on first use; production provides the file.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import merkle
from .models import Event, TreeHead

# The worker signs a head this often (deadlines' sweep); an event appended now is in a signed
# head within this time.
SIGN_HEAD_EVERY = dt.timedelta(hours=1)


def _key_path() -> Path:
    return Path(
        getattr(settings, "LEDGER_SIGNING_KEY_FILE", settings.VAR_DIR / "ledger-signing.key")
    )


def signing_key() -> Ed25519PrivateKey:
    path = _key_path()
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(key.private_bytes_raw().hex())
        path.chmod(0o600)
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(path.read_text().strip()))


def public_key_hex() -> str:
    return signing_key().public_key().public_bytes_raw().hex()


def key_id(public_hex: str) -> str:
    return hashlib.sha256(bytes.fromhex(public_hex)).hexdigest()[:16]


def head_message(tree_size: int, root_hash: str, signed_at: str) -> bytes:
    """The bytes a head's signature covers (canonical JSON)."""
    return json.dumps(
        {"tree_size": tree_size, "root_hash": root_hash, "timestamp": signed_at},
        sort_keys=True,
        separators=(",", ":"),
    ).encode()


def verify_head(head: dict[str, Any], public_hex: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex)).verify(
            bytes.fromhex(head["signature"]),
            head_message(int(head["tree_size"]), head["root_hash"], head["timestamp"]),
        )
    except Exception:  # any malformed or wrong signature
        return False
    return True


def _leaf_hashes(start: int, end: int) -> Iterator[bytes]:
    """Leaf hashes of leaves [start, end), 0-based (leaf i is event seq i + 1)."""
    rows = (
        Event.objects.filter(seq__gt=start, seq__lte=end)
        .order_by("seq")
        .values_list("hash", flat=True)
        .iterator(chunk_size=5000)
    )
    return (merkle.leaf_hash(bytes.fromhex(h)) for h in rows)


def subtree_root(start: int, end: int) -> bytes:
    return merkle.root_from_leaf_hashes(_leaf_hashes(start, end))


def head_as_dict(head: TreeHead) -> dict[str, Any]:
    return {
        "tree_size": head.tree_size,
        "root_hash": head.root_hash,
        "timestamp": head.signed_at.isoformat(),
        "key_id": head.key_id,
        "signature": head.signature,
    }


@transaction.atomic
def tree_head_sign(*, at: dt.datetime | None = None) -> TreeHead:
    """Sign the root of the whole ledger as it stands (or return the head of that size)."""
    size = Event.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    existing = TreeHead.objects.filter(tree_size=size).first()
    if existing is not None:
        return existing
    root = subtree_root(0, size).hex()
    signed_at = (at or timezone.now()).replace(microsecond=0)
    key = signing_key()
    public_hex = key.public_key().public_bytes_raw().hex()
    signature = key.sign(head_message(size, root, signed_at.isoformat())).hex()
    return TreeHead.objects.create(
        tree_size=size,
        root_hash=root,
        signed_at=signed_at,
        key_id=key_id(public_hex),
        signature=signature,
    )


def latest_head() -> TreeHead | None:
    return TreeHead.objects.order_by("-tree_size").first()


def inclusion_proof(seq: int, head: TreeHead) -> dict[str, Any]:
    event = Event.objects.get(seq=seq)
    path = merkle.inclusion_path(seq - 1, head.tree_size, subtree_root)
    return {
        "type": "inclusion",
        "seq": seq,
        "leaf": event.hash,
        "leaf_index": seq - 1,
        "path": [p.hex() for p in path],
        "head": head_as_dict(head),
    }


def consistency_proof(old: TreeHead, new: TreeHead) -> dict[str, Any]:
    path = merkle.consistency_path(old.tree_size, new.tree_size, subtree_root)
    return {
        "type": "consistency",
        "old_head": head_as_dict(old),
        "new_head": head_as_dict(new),
        "path": [p.hex() for p in path],
    }


def check_proof(document: dict[str, Any], public_hex: str) -> list[str]:
    """Everything wrong with a proof document (empty: it checks out). Needs no database."""
    problems = []
    if document.get("type") == "inclusion":
        head = document["head"]
        if not verify_head(head, public_hex):
            problems.append("the tree head's signature does not verify")
        if not merkle.verify_inclusion(
            int(document["leaf_index"]),
            int(head["tree_size"]),
            bytes.fromhex(document["leaf"]),
            [bytes.fromhex(p) for p in document["path"]],
            bytes.fromhex(head["root_hash"]),
        ):
            problems.append("the event is not included in the tree head")
    elif document.get("type") == "consistency":
        old, new = document["old_head"], document["new_head"]
        for name, head in (("old", old), ("new", new)):
            if not verify_head(head, public_hex):
                problems.append(f"the {name} tree head's signature does not verify")
        if not merkle.verify_consistency(
            int(old["tree_size"]),
            int(new["tree_size"]),
            bytes.fromhex(old["root_hash"]),
            bytes.fromhex(new["root_hash"]),
            [bytes.fromhex(p) for p in document["path"]],
        ):
            problems.append("the new tree head does not extend the old one")
    else:
        problems.append("not a proof document")
    return problems


SAVED_SIGNATURE = "its signature does not verify with the public key {public}"
LATEST_SIGNATURE = "the ledger's latest head does not verify with the public key {public}"
SAVED_BEYOND = (
    "it covers {size} events and the ledger now holds only {have}: events were removed since"
)
NOT_EXTENDED = (
    "the ledger today ({have} events) does not extend it: some of its first {size} events "
    "were changed since it was signed"
)


def saved_heads(document: Any) -> tuple[list[dict[str, Any]], str | None]:
    """The heads in a document someone saved: the heads endpoint's listing or a witness's
    message (`{"public_key": ..., "heads": [...]}`), or one head alone; and the public key it
    names, if any."""
    if isinstance(document, dict) and isinstance(document.get("heads"), list):
        return list(document["heads"]), document.get("public_key")
    if isinstance(document, dict) and "tree_size" in document and "root_hash" in document:
        return [document], document.get("public_key")
    raise ValueError("not a signed tree head, a list of them, or a proof")


def check_saved_head(saved: dict[str, Any], public_hex: str) -> list[str]:
    """Everything wrong with a head saved earlier, checked against the ledger as it stands:
    its signature, and a consistency proof from it to a head of the whole ledger now (signed
    if the ledger has grown), computed from the live events. Empty: the ledger today extends
    the saved head, so none of the events it covers was changed or removed."""
    size = int(saved["tree_size"])
    problems = []
    if not verify_head(saved, public_hex):
        problems.append(SAVED_SIGNATURE.format(public=public_hex))
    latest = tree_head_sign()
    if not verify_head(head_as_dict(latest), public_hex):
        problems.append(LATEST_SIGNATURE.format(public=public_hex))
    if latest.tree_size < size:
        problems.append(SAVED_BEYOND.format(size=size, have=latest.tree_size))
        return problems
    if size == 0:
        consistent = saved["root_hash"] == merkle.EMPTY_ROOT.hex()
    else:
        path = merkle.consistency_path(size, latest.tree_size, subtree_root)
        consistent = merkle.verify_consistency(
            size,
            latest.tree_size,
            bytes.fromhex(saved["root_hash"]),
            bytes.fromhex(latest.root_hash),
            path,
        )
    if not consistent:
        problems.append(NOT_EXTENDED.format(size=size, have=latest.tree_size))
    return problems
