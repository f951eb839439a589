"""How long free text may be, everywhere it is typed (forms, the API), with the message in
GOV.UK's words. Nothing longer reaches the permanent record."""

from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext

REASONS_MAX = 10_000  # reasons for a decision, a pause, a hold, a challenge, a vote
RULE_MAX = 500  # the rule applied: a reference to the rulebook, not an essay
NOTE_MAX = 2_000  # a short account: an approach, evidence of a recommendation done
REPLY_MAX = 20_000  # a respondent's reply, the longest thing a person writes here
MESSAGE_MAX = 5_000  # a message between a party and the case team
FILE_NOTE_MAX = 10_000  # a file note: a call, a meeting, an interview, in the case team's words
AFFILIATION_NAME_MAX = 200  # a group, faction or employer's name
ADDRESS_MAX = 500  # a postal address, as the lines of an envelope
EMAIL_MAX = 254  # an email address (RFC 5321's longest path)
PASSWORD_MAX = 1_024  # never hash a megabyte


def _too_long_message(what: Any, limit: int) -> str:
    return gettext("%(what)s must be %(limit)s characters or fewer.") % {
        "what": what,
        "limit": f"{limit:,}",
    }


def too_long(what: Any, limit: int) -> dict[str, Any]:
    """A form field's error message for text over its limit (in the reader's language when
    it is shown: `what` may be a lazy translation)."""
    return {"max_length": lazy(_too_long_message, str)(what, limit)}
