"""Authenticator app secrets are encrypted at rest (`accounts.AuthenticatorApp.key`): a stolen
database dump gives no one a user's codes; `fairhearing keys rotate` re-encrypts them; the data
migration moved django-otp's clear-text TOTP devices into it.

Checked that they can fail: with `key` made a plain `models.CharField` in the model, every test
here but the replay test failed; with the check's lower bound (`last_t + 1`) taken out of
`verify_token`, `test_a_code_is_accepted_once` failed; restored.
"""

from base64 import b32encode

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fairhearing.accounts.models import AuthenticatorApp
from fairhearing.accounts.services import second_factor_verify, totp_code_now
from fairhearing.core import crypto
from fairhearing.core.testing.second_factor import code_for, device_for
from fairhearing.core.tests.test_crypto import dump
from fairhearing.operations.keys import keys_rotate, keys_status


def stored_key(device: AuthenticatorApp) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM accounts_authenticatorapp WHERE id = %s", [device.pk])
        return str(cursor.fetchone()[0])


def forms_of(device: AuthenticatorApp) -> list[str]:
    """The secret as hex (django-otp's column), as base32 (what the app is given) and raw."""
    secret = bytes(device.bin_key)
    return [
        device.key.lower(),
        device.key.upper(),
        b32encode(secret).decode().rstrip("="),
        repr(secret)[2:-1],
    ]


@pytest.mark.django_db
def test_the_column_holds_no_clear_secret(case_officer) -> None:
    device = device_for(case_officer)
    stored = stored_key(device)
    assert stored.startswith("gAAAA")  # a Fernet token
    assert crypto.decrypt(stored) == device.key and len(device.bin_key) == 20
    for form in forms_of(device):
        assert form not in stored
    # Read back through the model, it is the key the app was given, and its codes work.
    again = AuthenticatorApp.objects.get(pk=device.pk)
    assert again.key == device.key
    assert second_factor_verify(actor=case_officer, code=code_for(case_officer), ip_address=None)


@pytest.mark.django_db
def test_a_dump_shows_no_secret(case_officer, investigator) -> None:
    devices = [device_for(case_officer), device_for(investigator)]
    text = dump()
    for device in devices:
        for form in forms_of(device):
            assert form not in text


@pytest.mark.django_db
def test_a_code_is_accepted_once(case_officer) -> None:
    code = code_for(case_officer)
    assert second_factor_verify(actor=case_officer, code=code, ip_address=None)
    with pytest.raises(Exception, match="Enter a correct code"):
        second_factor_verify(actor=case_officer, code=code, ip_address=None)


@pytest.mark.django_db
def test_rotation_re_encrypts_the_secret(case_officer, settings) -> None:
    device = device_for(case_officer)
    before = stored_key(device)
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    assert keys_status()["accounts_authenticatorapp"] == 1
    keys_rotate()
    assert keys_status()["accounts_authenticatorapp"] == 0
    assert stored_key(device) != before
    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key dropped: the app still works
    assert AuthenticatorApp.objects.get(pk=device.pk).key == device.key
    assert second_factor_verify(actor=case_officer, code=code_for(case_officer), ip_address=None)


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_clear_totp_devices_into_encrypted_apps(ledger_teardown) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0004_authenticator_app")])
    key = "3132333435363738393031323334353637383930"  # RFC 6238's test key, in hex
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, "
            "email, is_staff, is_active, date_joined, role) VALUES ('!', false, 'mig', '', '', "
            "'', false, true, CURRENT_TIMESTAMP, 'case_officer')"
        )
        cursor.execute("SELECT id FROM accounts_user WHERE username = 'mig'")
        user_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO otp_totp_totpdevice (user_id, name, confirmed, key, step, t0, digits, "
            "tolerance, drift, last_t, throttling_failure_count) "
            "VALUES (%s, 'Authenticator app', true, %s, 30, 0, 6, 1, 1, 12345, 0)",
            [user_id, key],
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM otp_totp_totpdevice")
        assert cursor.fetchone()[0] == 0  # no clear secret left behind
    app = AuthenticatorApp.objects.get(user_id=user_id)
    assert (app.key, app.drift, app.last_t, app.confirmed) == (key, 1, 12345, True)
    assert stored_key(app).startswith("gAAAA") and key not in stored_key(app)
    assert len(totp_code_now(app)) == 6
