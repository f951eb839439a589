"""Reads of the emails and letters that the operators' metrics share."""

from .models import Notification

FAILED_STATES = {"retrying": Notification.Status.FAILED, "gave_up": Notification.Status.GAVE_UP}


def emails_failed_counts(*, cap: int) -> dict[str, int]:
    """Emails whose last attempt failed: still to be retried, and given up on; each counted up
    to `cap` by the `notification_due` index (status first)."""
    return {
        state: int(Notification.objects.filter(status=status).values("pk")[:cap].count())
        for state, status in FAILED_STATES.items()
    }
