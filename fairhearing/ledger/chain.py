"""Canonical encoding and hashing of ledger events.

hash = SHA-256(bytes(previous hash) || canonical JSON of the event). The canonical form sorts
keys, has no insignificant whitespace and writes times as UTC ISO-8601 with microseconds, so
it re-computes identically from either database.
"""

import datetime as dt
import hashlib
import json
from typing import Any

_ALLOWED_SCALARS = (str, int, bool, type(None))


class PayloadError(ValueError):
    """A payload held something the ledger cannot store canonically."""


def sanitise_payload(value: Any) -> Any:
    """Return a copy safe for canonical JSON and for PostgreSQL jsonb.

    NUL characters are removed (jsonb rejects them); floats are refused because they do not
    round-trip canonically; keys must be strings.
    """
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, bool | int) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [sanitise_payload(item) for item in value]
    if isinstance(value, dict):
        clean: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise PayloadError(f"payload keys must be strings, not {type(key).__name__}")
            clean[key.replace("\x00", "")] = sanitise_payload(item)
        return clean
    raise PayloadError(
        f"payload values must be str, int, bool, None, list or dict, not {type(value).__name__}"
    )


def format_time(at: dt.datetime) -> str:
    if at.tzinfo is None:
        raise PayloadError("ledger times must be timezone-aware")
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_bytes(
    *, seq: int, at: dt.datetime, actor_id: int | None, case_id: int | None, kind: int, payload: Any
) -> bytes:
    document = {
        "seq": seq,
        "at": format_time(at),
        "actor": actor_id,
        "case": case_id,
        "kind": kind,
        "payload": payload,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


_PAYLOAD = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_bytes_fast(
    seq: int, at: dt.datetime, actor_id: int | None, case_id: int | None, kind: int, payload: Any
) -> bytes:
    """`canonical_bytes`, byte for byte, built without encoding the outer document as JSON:
    its keys are fixed (so their sorted order is too) and its values are integers, null and a
    timestamp of digits and punctuation. `ledger_verify` calls it once per event; the tests
    check it against `canonical_bytes` on random events."""
    utc = at.astimezone(dt.UTC) if at.utcoffset() else at
    stamp = (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:"
        f"{utc.second:02d}.{utc.microsecond:06d}Z"
    )
    actor = "null" if actor_id is None else str(actor_id)
    case = "null" if case_id is None else str(case_id)
    return (
        f'{{"actor":{actor},"at":"{stamp}","case":{case},"kind":{kind},'
        f'"payload":{_PAYLOAD.encode(payload)},"seq":{seq}}}'
    ).encode()


def event_hash(prev_hash: str, canonical: bytes) -> str:
    return hashlib.sha256(bytes.fromhex(prev_hash) + canonical).hexdigest()


def content_hash(text: str) -> str:
    """SHA-256 of free text, for payloads that must not carry the text itself."""
    return hashlib.sha256(text.encode()).hexdigest()
