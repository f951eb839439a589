"""Background work for deadlines, run by `fairhearing db_worker`.

The sweep is a recurring job (settings.WORKER_SCHEDULES, every 5 minutes): the workers
enqueue each run when the last one is over, so a worker that died mid-sweep stops nothing
(worker/services.py). Every write in it is claimed row by row (a conditional UPDATE, SKIP
LOCKED), so a sweep run again, or by two workers at once, records and sends nothing twice.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django_tasks import task

from fairhearing.compliance.services import sanction_ends_reach
from fairhearing.dataprotection.retention import retention_run
from fairhearing.dataprotection.services import legal_hold_reviews_due, subject_access_sweep
from fairhearing.intake.services import submissions_record, submissions_refused_purge
from fairhearing.intake.staging import staged_purge
from fairhearing.ledger.heads import SIGN_HEAD_EVERY, latest_head, tree_head_sign
from fairhearing.notifications.sending import notifications_send_pending
from fairhearing.notifications.services import (
    compliance_notices_queue,
    staff_digests_queue,
    training_reminders_queue,
)
from fairhearing.portal.services import complainant_updates_send
from fairhearing.reporting.services import meeting_packs_due, statistics_publish_due
from fairhearing.webhooks.services import webhooks_deliver_pending
from fairhearing.witnesses.services import witnesses_send_pending

from .clock_stops import clock_stops_sweep
from .services import deadline_sweep

log = logging.getLogger(__name__)
SWEEP_SCHEDULE = "deadline-sweep"


class SweepIncomplete(Exception):
    """One or more parts of the sweep failed; the others ran. The next sweep tries again."""


@task()
def deadline_sweep_task(reschedule: bool = False) -> dict[str, int]:
    """Every part runs even if one before it fails (a mail server down must not stop
    breaches, webhooks, retention or signed heads); the run then fails, naming the parts, and
    the next one, five minutes on, tries them again.

    `reschedule` is ignored: runs queued before the workers scheduled the sweep themselves
    carry it, and must still run after an upgrade."""

    def sign_head_if_due() -> None:
        head = latest_head()
        if head is None or head.signed_at < timezone.now() - SIGN_HEAD_EVERY:
            tree_head_sign()

    counts: dict[str, int] = {}
    failed: list[str] = []

    def part(name: str, run: Callable[[], Any]) -> Any:
        try:
            return run()
        except Exception:
            log.exception("deadline sweep: %s failed", name)
            failed.append(name)
            return None

    # Submissions whose wake-up was lost (a worker stopped mid-batch) are recorded here.
    submissions = part("submissions", submissions_record)
    counts["submissions_recorded"] = submissions["recorded"] if submissions else 0
    part("refused submissions", submissions_refused_purge)
    counts["attachments_deleted"] = part("attachments never sent", staged_purge) or 0
    result = part("time limits", deadline_sweep)
    counts["breaches"] = result.breaches if result else 0
    counts["expiries"] = result.expiries if result else 0
    counts["reminders"] = result.reminders if result else 0
    stops = part("clock stops", clock_stops_sweep)
    counts["clocks_restarted"] = stops.restarted if stops else 0
    counts["clock_stops_escalated"] = stops.escalated if stops else 0
    counts["complainant_updates"] = part("complainant updates", complainant_updates_send) or 0
    part("staff digests", staff_digests_queue)
    counts["training_reminders"] = part("training reminders", training_reminders_queue) or 0
    counts["compliance_notices"] = part("sanction compliance", compliance_notices_queue) or 0
    counts["notifications"] = part("notifications", notifications_send_pending) or 0
    counts["sanctions_ended"] = part("sanctions ended", sanction_ends_reach) or 0
    counts["webhook_deliveries"] = part("webhooks", webhooks_deliver_pending) or 0
    part("meeting packs", meeting_packs_due)
    part("statistics", statistics_publish_due)
    retention = part("retention", retention_run)
    counts["anonymised"] = len(retention.anonymised) if retention else 0
    subject_access = part("subject access", subject_access_sweep) or {}
    counts["subject_access_reminders"] = subject_access.get("reminders", 0)
    counts["subject_access_breaches"] = subject_access.get("breaches", 0)
    counts["legal_hold_reviews_due"] = part("legal hold reviews", legal_hold_reviews_due) or 0
    part("tree head", sign_head_if_due)
    # Right after signing, so a new head reaches the witnesses as it is signed.
    counts["witness_deliveries"] = part("witnesses", witnesses_send_pending) or 0
    if failed:
        raise SweepIncomplete(f"parts that failed: {', '.join(failed)}; the rest ran")
    return counts
