"""The demo's second factor: every demo login shares one published authenticator key.

Add the key to any authenticator app once and it gives the code for every demo login; or run
`fairhearing otp code USERNAME`. The key is printed by `load_demo`: it is for the demo only.
"""

from base64 import b32encode
from collections.abc import Iterable

from .models import AuthenticatorApp, User

DEMO_TOTP_KEY = b"fairhearing-demo-2fa"  # 20 bytes, as RFC 4226 recommends; public
DEMO_TOTP_SECRET = b32encode(DEMO_TOTP_KEY).decode("ascii").rstrip("=")
DEMO_DEVICE_NAME = "Demo authenticator (published key)"


def demo_second_factor_ensure(users: Iterable[User]) -> int:
    """Give each user without an authenticator app the demo's; returns how many were given."""
    given = 0
    for user in users:
        if not AuthenticatorApp.objects.filter(user=user, confirmed=True).exists():
            AuthenticatorApp.objects.create(
                user=user, name=DEMO_DEVICE_NAME, key=DEMO_TOTP_KEY.hex(), confirmed=True
            )
            given += 1
    return given


def is_demo_device(device: AuthenticatorApp) -> bool:
    return bytes(device.bin_key) == DEMO_TOTP_KEY
