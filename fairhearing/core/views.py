from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers and `make demo`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok", "database": connection.vendor})


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
            "idle_minutes": settings.SESSION_IDLE_TIMEOUT // 60,
            "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        },
    )
