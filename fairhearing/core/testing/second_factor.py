"""The second sign-in step in tests.

`Client.login()` and `Client.force_login()` in this suite sign in with both factors: the
autouse fixture in `fairhearing/conftest.py` gives the user an authenticator app if they
have none and marks the session verified (`client_login_verified`). To test the second step
itself, post to the sign-in form instead. Browser tests sign in through the pages with
`pages.sign_in`, which enters a code from `code_for`.
"""

from typing import Any

from django.http import HttpRequest
from django.test import Client

from fairhearing.accounts.models import AuthenticatorApp
from fairhearing.accounts.second_factor import mark_verified
from fairhearing.accounts.services import TOTP_DEVICE_NAME, totp_code_now, totp_device_confirmed

_plain_login = Client._login  # type: ignore[attr-defined]


def device_for(user: Any) -> AuthenticatorApp:
    """The user's confirmed authenticator app, set up now if they have none."""
    device = totp_device_confirmed(user)
    if device is None:
        device = AuthenticatorApp.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
    return device


def code_for(user: Any) -> str:
    """A code the user's app shows now that the server will accept: the device forgets the
    last code used, so a test may sign the same user in twice within one 30-second step."""
    device = device_for(user)
    AuthenticatorApp.objects.filter(pk=device.pk).update(last_t=-1, drift=0)
    device.refresh_from_db()
    return totp_code_now(device)


def client_login_verified(self: Client, user: Any, backend: str | None = None) -> None:
    """`Client._login`, then the session is verified with the user's app as well."""
    _plain_login(self, user, backend)
    request = HttpRequest()
    request.session = self.session
    request.user = user
    mark_verified(request, device_for(user))
    request.session.save()
    self._set_login_cookies(request)  # type: ignore[attr-defined]
