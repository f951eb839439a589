"""Throttling sign-in: after repeated failures an account (or an address) is locked out for a
while. Failures are counted in the database, so every web process sees the same count."""

import datetime as dt

from django.utils import timezone

from .models import SignInFailure

WINDOW = dt.timedelta(minutes=15)
MAX_PER_USERNAME = 5
MAX_PER_ADDRESS = 20
LOCKED_OUT = "Too many failed attempts. Wait 15 minutes, then try again."


def sign_in_locked(
    *, username: str, ip_address: str | None, now: dt.datetime | None = None
) -> bool:
    since = (now or timezone.now()) - WINDOW
    recent = SignInFailure.objects.filter(at__gte=since)
    if recent.filter(username__iexact=username).count() >= MAX_PER_USERNAME:
        return True
    return bool(ip_address) and recent.filter(ip_address=ip_address).count() >= MAX_PER_ADDRESS


def sign_in_failure_record(*, username: str, ip_address: str | None) -> SignInFailure:
    return SignInFailure.objects.create(
        username=username[:150], ip_address=ip_address or None, at=timezone.now()
    )
