import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, gettext_noop

log = logging.getLogger(__name__)


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability: JSON for load balancers and `make demo`; for a
    person's browser (the footer's "Service status"), a page saying the same in words."""
    if "text/html" not in request.headers.get("Accept", ""):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return JsonResponse({"status": "ok", "database": connection.vendor})
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        working = True
    except DatabaseError:
        log.exception("service status: the database cannot be reached")
        working = False
    return render(
        request,
        "core/status.html",
        {"working": working, "checked_at": timezone.localtime()},
        status=200 if working else 503,
    )


def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice: what is kept, why, who sees it, for how long, and people's rights."""
    return render(request, "core/privacy.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def cookies(request: HttpRequest) -> HttpResponse:
    """Only the cookies the service needs, named as the settings name them."""
    return render(
        request,
        "core/cookies.html",
        {
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "language_cookie": settings.LANGUAGE_COOKIE_NAME,
            "idle_minutes": settings.SESSION_IDLE_TIMEOUT // 60,
            "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        },
    )


def language(request: HttpRequest, code: str) -> HttpResponse:
    """The header's language switch ("English", "Cymraeg"): remember the choice in a cookie
    and go back to the page it was made on (on this site only)."""
    if code not in dict(settings.LANGUAGES) or not check_for_language(code):
        raise Http404(gettext_noop("There is no such language."))
    back = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = HttpResponseRedirect(back)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite="Lax",  # settings.LANGUAGE_COOKIE_SAMESITE
    )
    return response
