"""The session's record of the second factor, and re-authentication for sensitive actions.

django-otp keeps which device verified the session (`django_otp.login`); we also keep when
(`VERIFIED_AT_KEY`), so that a sensitive page can ask for the password and a code again when
the last verification is older than a few minutes::

    @login_required
    @require_recent_auth()          # settings.RECENT_AUTH_MAX_AGE, 15 minutes
    def tracker_import_view(request): ...
"""

import functools
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.models import Device

SIGNED_IN_AT_KEY = "fh_signed_in_at"
LAST_SEEN_KEY = "fh_last_seen"
VERIFIED_AT_KEY = "fh_verified_at"
RECOVERY_CODES_KEY = "fh_recovery_codes"


def session_started(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """`user_logged_in` receiver: the session's lifetime clocks start now."""
    now = int(time.time())
    request.session[SIGNED_IN_AT_KEY] = now
    request.session[LAST_SEEN_KEY] = now
    request.session.pop(VERIFIED_AT_KEY, None)


def mark_verified(request: HttpRequest, device: Device) -> None:
    """The user has just given a good code (and, for re-authentication, their password)."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session[VERIFIED_AT_KEY] = int(time.time())


def verified_within(request: HttpRequest, max_age: int) -> bool:
    user: Any = request.user
    if not (user.is_authenticated and user.is_verified()):
        return False
    verified_at = request.session.get(VERIFIED_AT_KEY)
    return verified_at is not None and time.time() - verified_at <= max_age


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    """`candidate` if it is a URL on this site, else the signed-in home page."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def reauth_url(request: HttpRequest) -> str:
    """Where to re-authenticate, coming back to this page (or, after a POST, to the page the
    form was on: the POST itself is not replayed)."""
    if request.method == "GET":
        back = request.get_full_path()
    else:
        back = safe_next(request, request.headers.get("Referer"))
    return f"{reverse('accounts:reauth')}?{urlencode({'next': back})}"


View = Callable[..., HttpResponse]


def require_recent_auth(max_age: int | None = None) -> Callable[[View], View]:
    """Ask for the password and a code again unless the user gave them within `max_age`
    seconds (default settings.RECENT_AUTH_MAX_AGE). Put it below `login_required`."""

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            limit = settings.RECENT_AUTH_MAX_AGE if max_age is None else max_age
            if not verified_within(request, limit):
                return redirect(reauth_url(request))
            return view(request, *args, **kwargs)

        wrapped.requires_recent_auth = True  # type: ignore[attr-defined]
        return wrapped

    return decorator
