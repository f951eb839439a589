"""Retention (R-61): closed cases are anonymised after the rulebook's `retention_years`,
unless a legal hold is active.

What anonymisation removes, and what it keeps:

- removed: the parties' names, emails and membership numbers (a person is anonymised once
  every case they appear in is anonymised: someone still in a live case keeps their record,
  but this case's text about them goes); complaint summaries; allegation descriptions and
  links; protection reasons; every decision's and challenge's free-text reasons; messages,
  replies and the companion's name; file notes and the reasons for sharing them; evidence
  items and their files (below); duplicate-detection fingerprints; the notification outbox's
  addresses, names and contents; the member number in webhook payloads; the bulk-dossier
  rows' data; approaches' names and text.
- kept, for statistics and the record: the case and complaint rows with reference, category,
  stage, dates, channel, outcome, sanction, the people's kind, membership and branch; who in
  the case team did what and when; the ledger, which holds only ids and hashes and so still
  verifies (`fairhearing ledger verify`).

Evidence rows are immutable (evidence/triggers.py refuses UPDATE). Retention is the one place
that deletes them: `_evidence_purge` below deletes the case's items, then each blob no other
item or dossier uses, then the blob's file. DELETE is not refused by the triggers (they were
written with this job in mind); nothing else in the code base deletes evidence. The ledger's
custody events keep each item's id and SHA-256.

The anonymisation itself is on the ledger (`CASE_ANONYMISED`, with counts and ids).
"""

import datetime as dt
import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from fairhearing.cases.models import Allegation, Case, Complaint, Party, StageChange
from fairhearing.compliance.models import Condition
from fairhearing.core.errors import CaseError
from fairhearing.dossiers.models import Dossier, DossierRow
from fairhearing.evidence.models import (
    Blob,
    CaptureRequest,
    EvidenceItem,
    Redaction,
    WebCapture,
)
from fairhearing.evidence.storage import blob_path
from fairhearing.interests.models import BiasChallenge, Recusal
from fairhearing.ledger.models import EventKind
from fairhearing.ledger.services import event_append
from fairhearing.linking.models import CaseLink, Fingerprint
from fairhearing.notes.models import FileNote
from fairhearing.notifications.models import Notification
from fairhearing.organisations.models import Rulebook
from fairhearing.oversight.models import Approach, Verification
from fairhearing.panels.models import InterimSuspension, Panel, Vote
from fairhearing.people.models import Affiliation, Person
from fairhearing.portal.models import HearingRequest, Message, Reply
from fairhearing.webhooks.models import WebhookEvent

from .models import Anonymisation, LegalHold

log = logging.getLogger(__name__)

REMOVED = "[Removed under the retention policy]"
ANONYMISED_NAME = "Anonymised person"
ON_HOLD = "The case is on legal hold: lift the hold first."
NOT_CLOSED = "Only a closed case can be anonymised."
ALREADY = "The case has already been anonymised."


class RetentionError(CaseError):
    pass


def retention_years(case: Case) -> int:
    return int(case.rulebook.spec.definition.get("retention_years", 6))


def years_before(moment: dt.datetime, years: int) -> dt.datetime:
    """The same moment `years` earlier (28 February for a 29th); negative years go forward."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def retention_due(*, now: dt.datetime | None = None) -> QuerySet[Case]:
    """Closed cases past their rulebook's retention period, not on hold, not yet anonymised."""

    now = now or timezone.now()
    condition = Q(pk__in=[])
    for rulebook in Rulebook.objects.filter(
        Exists(Case.objects.filter(rulebook=OuterRef("pk"), closed_at__isnull=False))
    ):
        years = int(rulebook.spec.definition.get("retention_years", 6))
        condition |= Q(rulebook=rulebook, closed_at__lt=years_before(now, years))
    active_hold = LegalHold.objects.filter(case=OuterRef("pk"), lifted_at__isnull=True)
    return (
        Case.objects.filter(condition, closed_at__isnull=False)
        .exclude(Exists(active_hold))
        .exclude(Exists(Anonymisation.objects.filter(case=OuterRef("pk"))))
        .order_by("closed_at", "pk")
    )


def _people_in(case: Case) -> set[int]:
    ids = {case.respondent_id}
    ids |= set(case.parties.values_list("person_id", flat=True))
    ids |= set(case.complaints.values_list("complainant_id", flat=True))
    return ids


def _still_needed(person_id: int, done: set[int]) -> bool:
    """Whether the person appears in a case not (being) anonymised."""
    cases = Case.objects.filter(
        Q(respondent_id=person_id)
        | Q(parties__person_id=person_id)
        | Q(complaints__complainant_id=person_id)
    ).exclude(pk__in=done)
    return cases.exclude(Exists(Anonymisation.objects.filter(case=OuterRef("pk")))).exists()


def _evidence_purge(case: Case, *, also: Collection[str] = ()) -> dict[str, Any]:
    """Delete the case's evidence items and the blobs nothing else uses (see module doc), and
    of the blobs `also` names (a sanction's proofs, already unlinked) those nothing uses."""

    items = list(EvidenceItem.objects.filter(case=case).values("pk", "sha256", "blob_id"))
    # What hangs on the items goes first: captures' records and files, redacted copies, and
    # the requests to capture.
    captures = WebCapture.objects.filter(item__case=case)
    redactions = Redaction.objects.filter(item__case=case)
    kept = {
        *captures.values_list("html_blob_id", flat=True),
        *captures.values_list("warc_blob_id", flat=True),
        *redactions.exclude(blob=None).values_list("blob_id", flat=True),
    }
    CaptureRequest.objects.filter(case=case).delete()
    redactions.delete()
    captures.delete()
    EvidenceItem.objects.filter(case=case).delete()
    blob_ids = {i["blob_id"] for i in items if i["blob_id"]} | kept | set(also)
    unused = (
        Blob.objects.filter(sha256__in=blob_ids)
        .exclude(Exists(EvidenceItem.objects.filter(blob=OuterRef("pk"))))
        .exclude(Exists(WebCapture.objects.filter(html_blob=OuterRef("pk"))))
        .exclude(Exists(WebCapture.objects.filter(warc_blob=OuterRef("pk"))))
        .exclude(Exists(Redaction.objects.filter(blob=OuterRef("pk"))))
        .exclude(Exists(Dossier.objects.filter(blob=OuterRef("pk"))))
        .exclude(Exists(Condition.objects.filter(proof=OuterRef("pk"))))
    )
    gone = list(unused.values_list("sha256", flat=True))
    unused.delete()

    def unlink() -> None:
        for sha256 in gone:
            try:
                blob_path(sha256).unlink(missing_ok=True)
            except OSError:
                log.exception("could not remove evidence file %s", sha256)

    transaction.on_commit(unlink)  # files go only if the deletion commits
    return {"items": [[i["pk"], i["sha256"]] for i in items], "blobs": len(gone)}


@dataclass
class AnonymiseResult:
    case: Case
    counts: dict[str, int] = field(default_factory=dict)


@transaction.atomic
def case_anonymise(*, actor: Any, case: Case, now: dt.datetime | None = None) -> Anonymisation:
    """Remove the personal data of one closed case (see the module doc for what goes)."""

    now = now or timezone.now()
    case = Case.objects.select_for_update().select_related("rulebook").get(pk=case.pk)
    if not case.is_closed:
        raise RetentionError(NOT_CLOSED)
    if Anonymisation.objects.filter(case=case).exists():
        raise RetentionError(ALREADY)
    if LegalHold.objects.filter(case=case, lifted_at__isnull=True).exists():
        raise RetentionError(ON_HOLD)
    counts: dict[str, int] = {}
    # Complaints: only those whose every case is (now) anonymised.
    complaints = []
    for complaint in Complaint.objects.filter(cases=case):
        others = complaint.cases.exclude(pk=case.pk).exclude(
            Exists(Anonymisation.objects.filter(case=OuterRef("pk")))
        )
        if not others.exists():
            complaints.append(complaint.pk)
    counts["complaints"] = Complaint.objects.filter(pk__in=complaints).update(summary=REMOVED)
    counts["allegations"] = Allegation.objects.filter(case=case).update(description=REMOVED, url="")
    counts["parties"] = Party.objects.filter(case=case).update(protection_reason="")
    counts["decisions"] = StageChange.objects.filter(case=case).update(reasons=REMOVED)
    counts["messages"] = Message.objects.filter(case=case).update(body=REMOVED)
    counts["replies"] = Reply.objects.filter(case=case).update(text=REMOVED)
    counts["file_notes"] = FileNote.objects.filter(case=case).update(text=REMOVED)
    FileNote.objects.filter(case=case).exclude(disclosure_reasons="").update(
        disclosure_reasons=REMOVED
    )
    HearingRequest.objects.filter(case=case).update(companion_name="")
    Recusal.objects.filter(case=case).update(reasons=REMOVED)
    BiasChallenge.objects.filter(case=case).update(grounds=REMOVED, decision_reasons="")
    Verification.objects.filter(case=case).exclude(reasons="").update(reasons=REMOVED)
    Approach.objects.filter(case=case).update(
        approached_by=REMOVED, asked=REMOVED, answered=REMOVED
    )
    CaseLink.objects.filter(Q(case=case) | Q(other=case)).update(reasons=REMOVED)
    CaseLink.objects.filter(Q(case=case) | Q(other=case)).exclude(undo_reasons="").update(
        undo_reasons=REMOVED
    )
    Vote.objects.filter(panel__case=case).update(reasons=REMOVED)
    InterimSuspension.objects.filter(case=case).update(reasons=REMOVED)
    InterimSuspension.objects.filter(case=case).exclude(lifted_reasons="").update(
        lifted_reasons=REMOVED
    )
    Panel.objects.filter(case=case).exclude(dissolved_reason="").update(dissolved_reason=REMOVED)
    counts["notifications"] = Notification.objects.filter(case=case).update(
        to_email="", to_name="", context={}, subject="", last_error=""
    )
    for event in WebhookEvent.objects.filter(case=case):
        if (event.payload.get("member") or {}).get("membership_number"):
            event.payload["member"] = {"membership_number": None}
            event.save(update_fields=["payload"])
    counts["dossier_rows"] = DossierRow.objects.filter(complaint_id__in=complaints).update(data={})
    fingerprints = Fingerprint.objects.filter(case=case)
    counts["fingerprints"] = fingerprints.count()
    fingerprints.delete()  # bands cascade
    # A sanction's conditions: what was done or why not, and the file that showed it, go
    # with the evidence (what was asked, its dates and its status stay, as decisions do).
    conditions = Condition.objects.filter(case=case)
    proofs = set(conditions.exclude(proof=None).values_list("proof_id", flat=True))
    counts["conditions"] = conditions.exclude(finish_note="").update(finish_note=REMOVED)
    conditions.update(proof=None, proof_name="")
    evidence = _evidence_purge(case, also=proofs)
    counts["evidence_items"] = len(evidence["items"])
    counts["evidence_files"] = evidence["blobs"]
    # People: anonymised when no other live case needs them.
    people = []
    being_done = {case.pk}
    for person_id in sorted(_people_in(case)):
        if not _still_needed(person_id, being_done):
            people.append(person_id)
    Person.objects.filter(pk__in=people).update(
        full_name=ANONYMISED_NAME, email="", membership_number="", anonymised_at=now
    )
    counts["people"] = len(people)
    # Their affiliations too (a faction can be a political opinion); the ledger keeps ids.
    counts["affiliations"], _ = Affiliation.objects.filter(person_id__in=people).delete()
    years = retention_years(case)
    record = Anonymisation.objects.create(
        case=case, at=now, actor=actor, retention_years=years, counts=counts
    )
    event_append(
        actor=actor,
        kind=EventKind.CASE_ANONYMISED,
        case_id=case.pk,
        payload={
            "anonymisation": record.pk,
            "retention_years": years,
            "closed_at": case.closed_at.isoformat() if case.closed_at else None,
            "people": people,
            "complaints": complaints,
            "evidence_items": evidence["items"],
            "counts": counts,
        },
    )
    return record


@dataclass
class RetentionRun:
    due: list[str] = field(default_factory=list)
    anonymised: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def retention_run(
    *, actor: Any = None, dry_run: bool = False, now: dt.datetime | None = None, limit: int = 200
) -> RetentionRun:
    """Anonymise every case that is due, one transaction each (a failure skips that case)."""
    result = RetentionRun()
    for case in retention_due(now=now)[:limit]:
        result.due.append(case.reference)
        if dry_run:
            continue
        try:
            case_anonymise(actor=actor, case=case, now=now)
        except RetentionError:
            result.failed.append(case.reference)  # held or done meanwhile
        else:
            result.anonymised.append(case.reference)
    return result
