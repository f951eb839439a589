"""Background work for deadlines, run by `fairhearing db_worker`.

The sweep is a recurring job (settings.WORKER_SCHEDULES, every 5 minutes): the workers
enqueue each run when the last one is over, so a worker that died mid-sweep stops nothing
(worker/services.py). Every write in it is claimed row by row (a conditional UPDATE, SKIP
LOCKED), so a sweep run again, or by two workers at once, records and sends nothing twice.
"""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from .services import deadline_sweep

SWEEP_SCHEDULE = "deadline-sweep"
SIGN_HEAD_EVERY = dt.timedelta(hours=1)


@task()
def deadline_sweep_task() -> dict[str, int]:
    from fairhearing.intake.services import submissions_record, submissions_refused_purge
    from fairhearing.notifications.services import notifications_send_pending, staff_digests_queue
    from fairhearing.portal.services import complainant_updates_send

    # Submissions whose wake-up was lost (a worker stopped mid-batch) are recorded here.
    submissions = submissions_record()
    submissions_refused_purge()
    result = deadline_sweep()
    updates = complainant_updates_send()
    staff_digests_queue()
    notifications = notifications_send_pending()
    from fairhearing.webhooks.services import (
        webhooks_deliver_pending,
        webhooks_for_expired_sanctions,
    )

    webhooks_for_expired_sanctions()
    deliveries = webhooks_deliver_pending()
    from fairhearing.ledger.heads import latest_head, tree_head_sign
    from fairhearing.reporting.services import meeting_packs_due, statistics_publish_due

    meeting_packs_due()
    statistics_publish_due()
    from fairhearing.dataprotection.retention import retention_run
    from fairhearing.dataprotection.services import legal_hold_reviews_due, subject_access_sweep

    anonymised = retention_run().anonymised
    subject_access = subject_access_sweep()
    holds_due = legal_hold_reviews_due()
    head = latest_head()
    if head is None or head.signed_at < timezone.now() - SIGN_HEAD_EVERY:
        tree_head_sign()
    return {
        "submissions_recorded": submissions["recorded"],
        "breaches": result.breaches,
        "expiries": result.expiries,
        "reminders": result.reminders,
        "complainant_updates": updates,
        "notifications": notifications,
        "webhook_deliveries": deliveries,
        "anonymised": len(anonymised),
        "subject_access_reminders": subject_access["reminders"],
        "subject_access_breaches": subject_access["breaches"],
        "legal_hold_reviews_due": holds_due,
    }
