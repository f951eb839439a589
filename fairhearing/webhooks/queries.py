"""Reads of the webhook deliveries that the operators' metrics share."""

from .models import Delivery

FAILED_STATES = {"retrying": Delivery.Status.FAILED, "gave_up": Delivery.Status.GAVE_UP}


def deliveries_failed_counts(*, cap: int) -> dict[str, int]:
    """Deliveries whose last attempt failed: still to be retried, and given up on; each
    counted up to `cap` by the `delivery_due` index (status first)."""
    return {
        state: int(Delivery.objects.filter(status=status).values("pk")[:cap].count())
        for state, status in FAILED_STATES.items()
    }
