"""Who may read the metrics: the configured scraper alone (docs/operations.md)."""

import hmac
import ipaddress

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

NO_SUCH_PAGE = "No such page."
NOT_THE_SCRAPER = "Only the configured scraper reads the metrics."


def _bearer_token(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _address_allowed(request: HttpRequest) -> bool:
    """The TCP peer (never a forwarded header) is in an allowed network."""
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED_NETWORKS)


def metrics_scraper_check(request: HttpRequest) -> None:
    """Returns when the request is the configured scraper's: from an allowed address when
    `METRICS_ALLOWED_NETWORKS` is set, with the bearer token when `METRICS_TOKEN` is (both
    when both are). Raises `Http404` when neither is set (there is no such page), and
    `PermissionDenied` otherwise, the same whatever was wrong. The token is compared in
    constant time."""
    token, networks = settings.METRICS_TOKEN, settings.METRICS_ALLOWED_NETWORKS
    if not token and not networks:
        raise Http404(NO_SUCH_PAGE)
    address_ok = not networks or _address_allowed(request)
    token_ok = not token or hmac.compare_digest(_bearer_token(request).encode(), token.encode())
    if not (address_ok and token_ok):
        raise PermissionDenied(NOT_THE_SCRAPER)
