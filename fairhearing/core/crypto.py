"""Field-level encryption (R-60): Fernet under a MultiFernet, and keyed hashes for lookup.

Keys come from settings: `FIELD_ENCRYPTION_KEYS` (Fernet keys, the first encrypts, every one
decrypts, so a new key can be put first and the data re-encrypted online with
`fairhearing keys rotate` before the old key is dropped) and `FIELD_HASH_KEY` (a separate
secret for HMAC-SHA256 lookup columns). settings.py reads them from the environment or from
key files in var/ (generated there for development, the demo and tests; required in
production).

An encrypted column holds a Fernet token (or "" for an empty value, so that "has no email" is
still a plain query). Ciphertext cannot be compared, ordered or searched: the fields refuse
every lookup except `isnull` and `exact` against "" (a mistaken `filter(full_name=...)` fails
loudly instead of silently matching nothing). Where a value must be found, the model keeps a
keyed hash of its normalised form beside it (`keyed_hash`), and queries match the hash.
"""

import functools
import hashlib
import hmac
import json
import unicodedata
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import validators
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact, IsNull


@functools.lru_cache(maxsize=8)
def _multi(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty")
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


def fernet() -> MultiFernet:
    return _multi(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        raise InvalidToken(
            "an encrypted field could not be decrypted with any key in FIELD_ENCRYPTION_KEYS"
        ) from None


@functools.lru_cache(maxsize=8)
def _single(key: str) -> Fernet:
    return Fernet(key)


def current_key_encrypts(token: str) -> bool:
    """Whether the token was made with the current (first) key: rotation skips such values."""
    try:
        _single(settings.FIELD_ENCRYPTION_KEYS[0]).decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def rotate_token(token: str) -> str:
    """The same plaintext under the current key (any key in the list may have made it)."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


def normalise(value: str) -> str:
    """What a lookup compares: NFKC, case-folded, runs of white space made one space."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def keyed_hash(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of the normalised value under FIELD_HASH_KEY; "" for an empty value.

    `purpose` separates columns: the same string as a name and as an email hash differently.
    """
    value = normalise(value or "")
    if not value:
        return ""
    key = settings.FIELD_HASH_KEY
    key_bytes = bytes.fromhex(key) if isinstance(key, str) else key
    return hmac.new(key_bytes, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


def keyed_digests(values: list[str], *, purpose: str) -> list[int]:
    """The first 64 bits of `keyed_hash(value, purpose=purpose)` for each value (already
    normalised), as signed integers: for an index table of many rows, where a bigint keeps
    rows and index small and a collision (about one in 2**64) only ever adds a result."""
    key = settings.FIELD_HASH_KEY
    key_bytes = bytes.fromhex(key) if isinstance(key, str) else key
    keyed = hmac.new(key_bytes, f"{purpose}\x00".encode(), hashlib.sha256)
    digests = []
    for value in values:
        mac = keyed.copy()
        mac.update(value.encode())
        digests.append(int.from_bytes(mac.digest()[:8], "big", signed=True))
    return digests


def generate_fernet_key() -> str:
    return Fernet.generate_key().decode("ascii")


class _EncryptedExact(Exact):
    """Only `= ''` is meaningful on ciphertext (empty values are stored empty)."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.target.name} is encrypted: match its keyed hash column instead"
            )
        return self.rhs

    def get_db_prep_lookup(self, value: Any, connection: Any) -> Any:
        return ("%s", [value])


class EncryptedMixin:
    """Encrypts on the way to the database and decrypts on the way back."""

    encrypted = True

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return _EncryptedExact
        if lookup_name == "isnull":
            return IsNull
        raise FieldError(
            f"encrypted fields cannot be searched with __{lookup_name}: use a keyed hash column"
        )

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(f"encrypted fields have no __{lookup_name}")

    def to_plain(self, value: Any) -> str:
        return str(value)

    def from_plain(self, value: str) -> Any:
        return value

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        plain = self.to_plain(value)
        return encrypt(plain) if plain else ""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        if value == "":
            return self.from_plain("")
        return self.from_plain(decrypt(value))

    def get_internal_type(self) -> str:
        return "TextField"


class EncryptedTextField(EncryptedMixin, models.TextField):
    pass


class EncryptedCharField(EncryptedMixin, models.TextField):
    """A single-line value (a name, a number); stored as text, since ciphertext is longer.

    `max_length` limits the plaintext (forms and `full_clean`), not the column.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def formfield(
        self, form_class: Any = None, choices_form_class: Any = None, **kwargs: Any
    ) -> Any:
        from django import forms

        kwargs.setdefault("max_length", self.max_length)
        return models.Field.formfield(
            self,
            form_class=form_class or forms.CharField,
            choices_form_class=choices_form_class,
            **kwargs,
        )


class EncryptedEmailField(EncryptedCharField):
    default_validators = [validators.validate_email]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 254)
        super().__init__(*args, **kwargs)


class EncryptedJSONField(EncryptedMixin, models.TextField):
    """A JSON value stored as one encrypted text (never queried inside)."""

    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def to_plain(self, value: Any) -> str:
        return json.dumps(value, sort_keys=True, separators=(",", ":"))

    def from_plain(self, value: str) -> Any:
        return json.loads(value) if value else None

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        return encrypt(self.to_plain(value))

    def to_python(self, value: Any) -> Any:
        return value

    def value_to_string(self, obj: Any) -> Any:
        return self.value_from_object(obj)


def encrypted_fields(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]


def encrypted_models() -> list[tuple[type[models.Model], list[str]]]:
    """Every installed model with encrypted columns, and their attnames."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = encrypted_fields(model)
        if names:
            found.append((model, names))
    return found


def encrypt_existing_rows(
    schema_editor: Any,
    table: str,
    columns: list[str],
    *,
    hashes: dict[str, tuple[str, str]] | None = None,
    batch: int = 1000,
) -> int:
    """For data migrations: encrypt the plaintext in `columns` of every row, in batches.

    `hashes` maps a plaintext column to (hash column, purpose): its keyed hash is written too.
    Raw SQL, so that it works whatever the model looks like later. Returns the rows changed.
    """
    hashes = hashes or {}
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    targets = [*columns, *(h for h, _ in hashes.values())]
    select = f"SELECT id, {', '.join(quote(c) for c in columns)} FROM {quote(table)}"  # noqa: S608
    update = (
        f"UPDATE {quote(table)} SET {', '.join(f'{quote(c)} = %s' for c in targets)} "  # noqa: S608
        "WHERE id = %s"
    )
    done, last = 0, 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(f"{select} WHERE id > %s ORDER BY id LIMIT %s", [last, batch])
            rows = cursor.fetchall()
            if not rows:
                return done
            params = []
            for row in rows:
                last = row[0]
                plain = ["" if v is None else str(v) for v in row[1:]]
                values = [encrypt(p) if p else "" for p in plain]
                values += [
                    keyed_hash(plain[columns.index(c)], purpose=p) for c, (_, p) in hashes.items()
                ]
                params.append([*values, row[0]])
            cursor.executemany(update, params)
            done += len(rows)


def decrypt_existing_rows(schema_editor: Any, table: str, columns: list[str]) -> None:
    """The reverse of `encrypt_existing_rows` (for migrating backwards): plaintext again."""
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(quote(c) for c in columns)} FROM {quote(table)}")  # noqa: S608
        rows = cursor.fetchall()
        cursor.executemany(
            f"UPDATE {quote(table)} SET {', '.join(f'{quote(c)} = %s' for c in columns)} "  # noqa: S608
            "WHERE id = %s",
            [[decrypt(v) if v else "" for v in row[1:]] + [row[0]] for row in rows],
        )


def encrypt_migration(table: str, columns: list[str], **kwargs: Any) -> Any:
    """A RunPython operation encrypting `columns` of `table` (reversible)."""
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        encrypt_existing_rows(schema_editor, table, columns, **kwargs)

    def backwards(apps: Any, schema_editor: Any) -> None:
        decrypt_existing_rows(schema_editor, table, columns)

    return migrations.RunPython(forwards, backwards, elidable=False)
