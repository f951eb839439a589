"""The ledger: one append-only, hash-chained table holding every change to every case.

Rows are written only by `ledger.services.event_append`, inside the transaction that makes the
change. Database triggers (see migration 0002) refuse UPDATE, DELETE and TRUNCATE.
"""

from enum import IntEnum
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Func
from django.db.models.sql.compiler import SQLCompiler

GENESIS_HASH = "0" * 64


class EventKind(IntEnum):
    """Stable integer codes: never renumber, only add."""

    COMPLAINT_RECEIVED = 1
    CASE_OPENED = 2
    CASE_TRANSITIONED = 3
    CASE_ASSIGNED = 4
    CASE_UNASSIGNED = 5
    ACKNOWLEDGEMENT_SENT = 6
    HEARING_SCHEDULED = 7
    DECISION_RECORDED = 8
    APPEAL_DECIDED = 9
    PARTY_ADDED = 10
    ALLEGATION_RULES_SET = 11
    DEADLINE_OPENED = 20
    DEADLINE_PAUSED = 21
    DEADLINE_RESUMED = 22
    DEADLINE_MET = 23
    DEADLINE_BREACHED = 24
    DEADLINE_EXPIRED = 25
    DEADLINE_CANCELLED = 26
    REMINDER_SENT = 27
    CASE_VIEWED = 40
    ACCESS_REFUSED = 41
    APPROACH_RECORDED = 42
    INTEREST_DECLARED = 43
    INTEREST_WITHDRAWN = 44
    RECUSED = 45
    CHALLENGE_RAISED = 46
    CHALLENGE_DECIDED = 47
    PANEL_DRAWN = 50
    PANEL_SEAT_AFFIRMED = 51
    PANEL_SEAT_LEFT = 52
    PANEL_MEMBER_ADDED = 53
    PANEL_VOTE_CAST = 54
    PANEL_DISSOLVED = 55
    INTERIM_SUSPENSION_IMPOSED = 56
    INTERIM_SUSPENSION_LIFTED = 57
    INTERIM_SUSPENSION_REVIEWED = 62
    DECISION_VERIFIED = 58
    DECISION_VETOED = 59
    DECISION_HELD = 61
    SIGN_IN_LINK_SENT = 70
    PARTY_SIGNED_IN = 71
    REPLY_RECEIVED = 72
    HEARING_REQUESTED = 73
    HEARING_MOVED_FOR_COMPANION = 74
    MESSAGE_SENT = 75
    COMPLAINANT_UPDATE_SENT = 76
    IDENTITY_PROTECTED = 77
    NOTIFICATION_SENT = 80
    WEBHOOK_QUEUED = 81
    MEETING_PACK_MADE = 90
    MEETING_SCHEDULED = 93
    WEBHOOK_ENDPOINT_ADDED = 94
    RECOMMENDATIONS_IMPORTED = 91
    RECOMMENDATION_UPDATED = 92
    RULEBOOK_PUBLISHED = 60
    EVIDENCE_ADDED = 100
    EVIDENCE_VIEWED = 101
    EVIDENCE_DISCLOSED = 102
    EVIDENCE_EXPORTED = 103
    ANONYMOUS_REPORT_OPENED = 104
    RECEIPT_USED = 105
    DOSSIER_RECEIVED = 110
    DOSSIER_ROW_IMPORTED = 111
    DOSSIER_FINISHED = 112
    DOSSIER_RESUMED = 113
    COMPLAINT_GROUPED = 120
    CASES_LINKED = 121
    CASES_UNLINKED = 122
    CASES_MERGED = 123
    CASES_UNMERGED = 124
    KEYS_ROTATED = 130
    LEGAL_HOLD_PLACED = 131
    LEGAL_HOLD_REVIEWED = 132
    LEGAL_HOLD_LIFTED = 133
    CASE_ANONYMISED = 134
    SUBJECT_ACCESS_REQUESTED = 135
    SUBJECT_ACCESS_EXPORTED = 136
    SUBJECT_ACCESS_COMPLETED = 137
    SUBJECT_ACCESS_REMINDER = 138
    SUBJECT_ACCESS_BREACHED = 139
    LEGAL_HOLD_REVIEW_DUE = 140
    TASK_GAVE_UP = 150
    TASK_RETRIED = 151
    AFFILIATION_RECORDED = 190
    AFFILIATION_ENDED = 191
    CONDUCT_TIME_LIMIT_WAIVED = 200
    # Reaching a party without email (notifications: letters for post; people: contacts).
    CONTACT_DETAILS_CORRECTED = 210
    # The language a party chose to read in and be written to in (people.Person.language):
    # who, from and to (the language codes), on the case it was chosen from.
    PERSON_LANGUAGE_CHOSEN = 215
    LETTER_TO_POST = 211
    LETTER_POSTED = 212
    TIME_LIMIT_STARTED_ON_SERVICE = 213
    # A person already on record given the email or postal address they lacked by a complaint
    # (or a witness's details) naming them: people.services.person_find_or_create.
    CONTACT_DETAILS_FILLED = 230
    # The case team's working file (notes app): a note's text and a disclosure's reasons are
    # recorded by their hash, never in clear.
    FILE_NOTE_ADDED = 240
    FILE_NOTE_DISCLOSED = 241
    CHECKLIST_TICKED = 242
    CHECKLIST_UNTICKED = 243
    # Governed clock-stops (R-56; deadlines.clock_stops): a stop is asked for with a restart
    # date and, where the rulebook says so, approved or declined by someone else; the clock
    # restarts by itself on that date (a system event), and a stop longer than the rulebook
    # allows before escalation is escalated once, as a breach is recorded once. The clock
    # stopping and a restart by staff are DEADLINE_PAUSED and DEADLINE_RESUMED.
    CLOCK_STOP_REQUESTED = 250
    CLOCK_STOP_APPROVED = 251
    CLOCK_STOP_DECLINED = 252
    CLOCK_RESTARTED_ON_DATE = 253
    CLOCK_STOP_ESCALATED = 254
    # A signed tree head sent to an independent witness (witnesses app), or given up on after
    # every retry: a witness that missed a head shows on the ledger itself.
    HEAD_SENT_TO_WITNESS = 160
    HEAD_NOT_SENT_TO_WITNESS = 161
    # Credentials, second factors and other writes that are not about a case (case_id None).
    API_TOKEN_ISSUED = 170
    API_TOKEN_REVOKED = 171
    SECOND_FACTOR_ENROLMENT_STARTED = 172
    SECOND_FACTOR_ENROLLED = 173
    RECOVERY_CODES_ISSUED = 174
    RECOVERY_CODE_USED = 175
    SECOND_FACTOR_RESET = 176
    WEBHOOK_REPLAYED = 177
    STATISTICS_PUBLISHED = 178
    ORGANISATION_CREATED = 179
    # A course completed, recorded by an administrator (panels.services.training_record): what
    # R-64's check before assignment and the draw read. The course by its hash.
    TRAINING_RECORDED = 180
    # Case-file audits (audits app): a quarter's sample drawn (its seed and the cases drawn),
    # one sampled case's checklist recorded (the findings by their hash), a finding raised as
    # a recommendation in the public tracker.
    AUDIT_ROUND_DRAWN = 260
    AUDIT_CASE_RECORDED = 261
    AUDIT_FINDING_RAISED = 262
    RECOMMENDATION_ADDED = 263
    # Sanction compliance (compliance app): a condition set on the person sanctioned (by the
    # decision's sanction or by the case team), recorded as complied with (with what shows
    # it) or not, withdrawn (the sanction set aside or varied), found overdue (the case team
    # told), and a suspension's or re-admission bar's end reached (membership systems told).
    CONDITION_SET = 280
    CONDITION_COMPLIED = 281
    CONDITION_NOT_COMPLIED = 282
    CONDITION_WITHDRAWN = 283
    CONDITION_OVERDUE = 284
    SANCTION_ENDED = 285
    # A staff account made from the shell when setting up (`fairhearing staff add`): who, in
    # which role (never the password).
    STAFF_ACCOUNT_CREATED = 286
    # Single sign-on through the organisation's OpenID Connect provider (accounts.sso): a
    # sign-in (and how the second factor was met), an account linked to the provider's
    # subject (at its first sign-in, or by an administrator), a sign-in refused (with why;
    # who by hash only), a link forgotten (`fairhearing sso unlink`).
    SSO_SIGNED_IN = 290
    SSO_ACCOUNT_LINKED = 291
    SSO_SIGN_IN_REFUSED = 292
    SSO_ACCOUNT_UNLINKED = 293
    # Confidence surveys (surveys app): a party of a closed case invited (the invitation and
    # party by id, on the case), and an answer recorded, on no case and naming no invitation,
    # party or answer: only the organisation and the quarter (R-55, anonymous by construction).
    SURVEY_INVITED = 270
    SURVEY_ANSWERED = 271
    # Evidence captured from a link (evidence.capture): asked for (again, on a retry or a
    # re-capture), and failed with why; a capture that succeeds is EVIDENCE_ADDED.
    CAPTURE_REQUESTED = 300
    CAPTURE_FAILED = 301
    # A redacted copy of an item made for disclosure (evidence.derivative): the item, the
    # original's and the copy's hashes, how many areas and phrases; the reasons by hash only.
    EVIDENCE_REDACTED = 310

    @property
    def label(self) -> str:
        return KIND_WORDS.get(self) or self.name.replace("_", " ").capitalize()


# Kinds whose name does not read well with its underscores taken out.
KIND_WORDS: dict[EventKind, str] = {
    EventKind.API_TOKEN_ISSUED: "API token issued",
    EventKind.CAPTURE_REQUESTED: "Capture from a link asked for",
    EventKind.CAPTURE_FAILED: "Capture from a link failed",
    EventKind.EVIDENCE_REDACTED: "Redacted copy of evidence made for disclosure",
    EventKind.API_TOKEN_REVOKED: "API token revoked",
    EventKind.SECOND_FACTOR_ENROLMENT_STARTED: "Authenticator app set-up started",
    EventKind.SECOND_FACTOR_ENROLLED: "Authenticator app set up",
    EventKind.RECOVERY_CODES_ISSUED: "Recovery codes issued",
    EventKind.RECOVERY_CODE_USED: "Recovery code used to sign in",
    EventKind.SECOND_FACTOR_RESET: "Authenticator app and recovery codes reset",
    EventKind.WEBHOOK_REPLAYED: "Webhook delivery sent again",
    EventKind.CONTACT_DETAILS_FILLED: "Missing contact details filled in",
    EventKind.FILE_NOTE_DISCLOSED: "File note shared with the parties",
    EventKind.CHECKLIST_TICKED: "Checklist item ticked",
    EventKind.CHECKLIST_UNTICKED: "Checklist item unticked",
    EventKind.TRAINING_RECORDED: "Training recorded",
    EventKind.CLOCK_STOP_REQUESTED: "Clock stop asked for",
    EventKind.CLOCK_STOP_APPROVED: "Clock stop approved",
    EventKind.CLOCK_STOP_DECLINED: "Clock stop declined",
    EventKind.CLOCK_RESTARTED_ON_DATE: "Clock restarted on its restart date",
    EventKind.CLOCK_STOP_ESCALATED: "Clock stopped too long: escalated",
    EventKind.AUDIT_ROUND_DRAWN: "Case-file audit sample drawn",
    EventKind.AUDIT_CASE_RECORDED: "Case file audited",
    EventKind.AUDIT_FINDING_RAISED: "Audit finding raised as a recommendation",
    EventKind.CONDITION_SET: "Sanction condition set",
    EventKind.CONDITION_COMPLIED: "Sanction condition complied with",
    EventKind.CONDITION_NOT_COMPLIED: "Sanction condition not complied with",
    EventKind.CONDITION_WITHDRAWN: "Sanction condition withdrawn",
    EventKind.CONDITION_OVERDUE: "Sanction condition overdue: case team told",
    EventKind.SANCTION_ENDED: "Suspension or re-admission bar ended",
    EventKind.STAFF_ACCOUNT_CREATED: "Staff account created",
    EventKind.SSO_SIGNED_IN: "Signed in through the identity provider",
    EventKind.SSO_ACCOUNT_LINKED: "Account linked to the identity provider",
    EventKind.SSO_SIGN_IN_REFUSED: "Sign-in through the identity provider refused",
    EventKind.SSO_ACCOUNT_UNLINKED: "Account unlinked from the identity provider",
    EventKind.SURVEY_INVITED: "Party invited to the confidence survey",
    EventKind.SURVEY_ANSWERED: "Confidence survey answered",
}


class CanonicalPayload(Func):
    """The "payload" member of an event's canonical JSON, as the database reads it.

    The payload column is generated from this expression: the database derives it from the
    bytes the hash covers on every insert, so it cannot say anything else (changing it means
    changing the bytes, which breaks the hash). Verification therefore needs no JSON work at
    all: re-building canonical JSON from jsonb is impossible in SQL (jsonb's text is not the
    canonical form) and parsing both sides was three quarters of the check's time.
    """

    output_field = models.JSONField()
    template = "((%(expressions)s)::jsonb -> 'payload')"  # PostgreSQL

    def __init__(self) -> None:
        super().__init__(models.F("canonical"))

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> Any:
        return self.as_sql(
            compiler, connection, template="(%(expressions)s -> '$.payload')", **extra_context
        )


# What `ledger_verify` expects the payload column's generation expression to be, as
# PostgreSQL's catalogue prints it (pg_get_expr): a column made plain
# again is checked row by row instead.
PAYLOAD_GENERATION_POSTGRESQL = "((canonical)::jsonb -> 'payload'::text)"


class Event(models.Model):
    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    case_id = models.BigIntegerField(null=True, blank=True)
    # An EventKind value; no `choices`, so adding a kind needs no migration.
    kind = models.PositiveSmallIntegerField()
    # The exact bytes the hash covers (UTF-8 text of the canonical JSON, chain.py). PostgreSQL
    # checks the whole chain itself (`ledger_verify`): each hash over these bytes, and that the
    # scalar columns above print as these bytes begin.
    canonical = models.TextField(default="", editable=False)
    # Generated by the database from `canonical` (see CanonicalPayload): never written.
    payload = models.GeneratedField(
        expression=CanonicalPayload(), output_field=models.JSONField(), db_persist=True
    )
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        indexes = [
            models.Index(fields=["case_id", "seq"], name="ledger_event_case_seq"),
            models.Index(fields=["kind", "at"], name="ledger_event_kind_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind_label}"

    @property
    def kind_enum(self) -> EventKind:
        return EventKind(self.kind)

    @property
    def kind_label(self) -> str:
        return EventKind(self.kind).label


class TreeHead(models.Model):
    """A signed statement of the ledger's Merkle root at a size (R-53). Published in every
    report; anyone holding one can check later heads extend it and that events are in it."""

    tree_size = models.BigIntegerField(unique=True)
    root_hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    key_id = models.CharField(max_length=16, help_text="First 16 hex of SHA-256(public key)")
    signature = models.CharField(max_length=128)

    def __str__(self) -> str:
        return f"head {self.tree_size} {self.root_hash[:12]}…"
