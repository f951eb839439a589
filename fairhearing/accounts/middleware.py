"""Sign-in plumbing that applies to every request: session lifetime and the second step.

`SessionExpiryMiddleware` signs a user out 8 hours after they signed in (SESSION_COOKIE_AGE,
however active) and after 30 minutes without a request (SESSION_IDLE_TIMEOUT).

`SecondFactorMiddleware` sends a user who has given their password but not yet a code to the
second step, whatever page they ask for, except the sign-in steps themselves, the bearer-token
API, and the pages anyone may read (`OPEN_WITHOUT_SECOND_FACTOR`). It is fail-closed: a new
route is behind the second step unless it is listed there.
"""

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse

from .second_factor import LAST_SEEN_KEY, SIGNED_IN_AT_KEY

# Namespaces that never need the second step: signing in itself, and the API (bearer tokens;
# it never reads the session).
OPEN_NAMESPACES = frozenset({"accounts", "api"})
# Pages anyone may read, signed in or not: they stay open to a half-signed-in user too.
OPEN_WITHOUT_SECOND_FACTOR = frozenset(
    {
        "core:healthz",
        "core:privacy",
        "core:accessibility",
        "core:cookies",
        "core:language",
        "portal:language",
        "worker:readyz",
        "operations:live",
        "operations:ready",
        "intake:start",
        "intake:form",
        "intake:check",
        "intake:submitted",
        "intake:anonymous",
        "intake:anonymous_check",
        "intake:anonymous_receipt",
        "intake:report",
        "intake:report_status",
        "intake:report_message",
        "intake:report_evidence",
        "intake:report_forget",
        "ledger:heads",
        "ledger:inclusion",
        "ledger:consistency",
        "reporting:list",
        "reporting:report",
        "reporting:report_format",
        "reporting:tracker",
        "audits:published",
        "surveys:answer",
        "surveys:thanks",
        "portal:start",
        "portal:sign_in",
        "portal:sign_out",
        "portal:case",
        "portal:reply",
        "portal:hearing",
        "portal:hearing_move",
        "portal:message",
        "portal:bundle",
        "portal:capture",
        "portal:challenge",
        "portal:challenge_sent",
    }
)
IDLE_MESSAGE = "You were signed out because you had not used the service for 30 minutes."
AGE_MESSAGE = "You were signed out because you signed in more than 8 hours ago."

GetResponse = Callable[[HttpRequest], HttpResponse]


class SessionExpiryMiddleware:
    """Absolute and idle session lifetimes for signed-in users (party sessions are the
    portal's own)."""

    # The idle clock is written at most once a minute, not on every request.
    TOUCH_EVERY = 60

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if user.is_authenticated:
            now = int(time.time())
            session = request.session
            signed_in_at = session.get(SIGNED_IN_AT_KEY, now)
            last_seen = session.get(LAST_SEEN_KEY, now)
            expired = None
            if now - signed_in_at > settings.SESSION_COOKIE_AGE:
                expired = AGE_MESSAGE
            elif now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                expired = IDLE_MESSAGE
            if expired:
                logout(request)
                messages.info(request, expired)
            else:
                session.setdefault(SIGNED_IN_AT_KEY, signed_in_at)
                if LAST_SEEN_KEY not in session or now - last_seen >= self.TOUCH_EVERY:
                    session[LAST_SEEN_KEY] = now
        return self.get_response(request)


def second_step_url(next_url: str) -> str:
    return f"{reverse('accounts:two_factor')}?{urlencode({'next': next_url})}"


class SecondFactorMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user: Any = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is None or (match.namespaces and match.namespaces[0] in OPEN_NAMESPACES):
            return None
        if match.view_name in OPEN_WITHOUT_SECOND_FACTOR:
            return None
        # A form posted before the second step cannot be replayed after it: go home instead.
        if request.method == "GET":
            next_url = request.get_full_path()
        else:
            next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
        return redirect(second_step_url(next_url))
