"""Receipt codes for anonymous reporters: made, shown, normalised and checked.

A code is a locator (8 characters, public part, stored as it is to find the report) and a
secret (16 characters, 80 bits from `secrets`, stored only as an Argon2 hash), both in
Crockford's base32 alphabet (no I, L, O or U: nothing to misread). It is shown in groups of
four, e.g. ``ABCD-EFGH-JKMN-PQRS-TVWX-YZ23``; what is typed back is normalised (case,
spaces, dashes, O for 0, I and L for 1) before it is looked at.

Argon2 is used directly (argon2-cffi), not through Django's password hashers, so that the
settings' choice of hasher (MD5 in tests) never weakens a stored receipt.
"""

import functools
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: 32 symbols, 5 bits each
LOCATOR_LENGTH = 8
SECRET_LENGTH = 16
CODE_LENGTH = LOCATOR_LENGTH + SECRET_LENGTH
SECRET_BITS = SECRET_LENGTH * 5  # 80
GROUP = 4
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -_.\t\r\n\u00a0\u2010\u2011\u2012\u2013\u2014")

# argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane): about 0.1 s a check.
# The secret is 80 random bits, so even a fast hash would not be reversed offline; the cost
# only has to make the stored hash useless in bulk while keeping a web worker small (the
# default profile takes 64 MiB and half a second). Each hash records its own parameters, so
# changing them later still verifies the old ones.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


class ReceiptMalformed(ValueError):
    """The text cannot be a receipt code (wrong length or characters)."""


@dataclass(frozen=True)
class ReceiptCode:
    locator: str
    secret: str

    def __str__(self) -> str:
        return grouped(self.locator + self.secret)

    def __repr__(self) -> str:  # never print the secret by accident (logs, tracebacks)
        return f"ReceiptCode(locator={self.locator!r}, secret=<hidden>)"


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def receipt_code_new() -> ReceiptCode:
    return ReceiptCode(locator=_random(LOCATOR_LENGTH), secret=_random(SECRET_LENGTH))


def grouped(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def receipt_code_parse(text: str) -> ReceiptCode:
    """The code a person typed, normalised; `ReceiptMalformed` if it cannot be one."""
    normal = text.upper().translate(_SEPARATORS).translate(_CONFUSABLE)
    if len(normal) != CODE_LENGTH or any(c not in ALPHABET for c in normal):
        raise ReceiptMalformed(normal)
    return ReceiptCode(locator=normal[:LOCATOR_LENGTH], secret=normal[LOCATOR_LENGTH:])


def secret_hash(secret: str) -> str:
    return _hasher.hash(secret)


def secret_matches(secret: str, stored_hash: str) -> bool:
    try:
        return _hasher.verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    return secret_hash(_random(SECRET_LENGTH))


def secret_check_nothing(secret: str) -> bool:
    """Spend the time a check would, and fail: when the locator matches nothing, the answer's
    timing does not tell which locators exist."""
    secret_matches(secret, _dummy_hash())
    return False
