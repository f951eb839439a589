"""Helpers for the emails the service sends."""

from urllib.parse import urlsplit

from django.conf import settings


def stable_message_id(*parts: object) -> str:
    """A Message-ID made from what the message is (`stable_message_id("reminder", 12, 50)`),
    not drawn at random: should a crash between the mail server's acceptance and our record
    of it make the worker send it again, mail clients show the two as one message."""
    host = urlsplit(settings.SITE_URL).hostname or "fairhearing.invalid"
    return f"<{'.'.join(str(part) for part in parts)}@{host}>"
