"""Every write is audited (issue 19 item 6): each service that takes an `actor` appends a ledger
event recording that actor, in its own transaction.

The services are found by introspection (every public function in a fairhearing module taking a
keyword-only `actor`), so a new one is walked as soon as it exists: it must be given a sample
call in SAMPLES below, or a reason in EXEMPT. Each sample builds what the call needs, then the
call must leave at least one new event whose actor is the sample's actor.
"""

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from functools import cached_property
from typing import Any

import pytest
from django.utils import timezone

import fairhearing
from fairhearing.accounts.models import Role, User
from fairhearing.cases.models import AllegationType, Assignment, Channel, Party
from fairhearing.conftest import PASSWORD, TO_HEARING, make_user, walk
from fairhearing.demo.panels import panel_pool_ensure, panel_prepare
from fairhearing.evidence.derivative import Area
from fairhearing.evidence.services import evidence_redact
from fairhearing.evidence.tests.captures import capture_failed, capture_recorded
from fairhearing.intake.details import AllegationDetails
from fairhearing.ledger.models import Event
from fairhearing.notes.services import note_add
from fairhearing.people.services import PersonDetails
from fairhearing.workflow.services import case_assign, case_schedule_hearing

pytestmark = pytest.mark.django_db

SKIP_PARTS = {"tests", "migrations", "management", "testing"}


def services_taking_actor() -> dict[str, Callable[..., Any]]:
    """Every public function of the project that takes `actor` as a keyword-only argument."""
    found: dict[str, Callable[..., Any]] = {}
    for info in pkgutil.walk_packages(fairhearing.__path__, "fairhearing."):
        if SKIP_PARTS & set(info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != info.name or name.startswith("_"):
                continue
            actor = inspect.signature(function).parameters.get("actor")
            if actor is not None and actor.kind is inspect.Parameter.KEYWORD_ONLY:
                found[f"{info.name.removeprefix('fairhearing.')}.{name}"] = function
    return found


# Services that take an actor but rightly append nothing themselves, each with why.
EXEMPT = {
    # The ledger's own writers: everything else calls them.
    "ledger.services.event_append": "the ledger itself",
    "ledger.services.event_append_many": "the ledger itself",
    # A step of case_transition and of oversight's verify, inside their transaction: the
    # decision's own event (CASE_TRANSITIONED / DECISION_VERIFIED) records it, with the actor.
    "workflow.services.case_apply_decision": "a step inside the decision that records it",
    # A step of case_apply_decision (above): its CONDITION_SET events, with the decision's
    # actor, are pinned in compliance/tests.
    "compliance.services.conditions_for_decision": "a step inside the decision that records it",
    # Oversight's own record of its verify or veto, inside workflow's verification_verify and
    # verification_veto (both walked, and their DECISION_VERIFIED / DECISION_VETOED come
    # from here).
    "oversight.services.verification_decide": "a step inside verify and veto, which are walked",
    # Loops that write only through a walked service (case_anonymise, report_publish), one
    # transaction each; with nothing due they rightly write nothing.
    "dataprotection.retention.retention_run": "writes only through case_anonymise",
    "reporting.services.reports_publish_history": "writes only through report_publish",
    # Queues the submission without taking the ledger's lock (the API's intake under load);
    # the worker records it with complaint_record, the submitting user as the actor
    # (intake/services.py, submissions_record), which is walked.
    "intake.queue.complaint_accept": "recorded when the worker records the submission",
    # A step of complaint_submit (walked), writing only through evidence_add_file
    # (EVIDENCE_ADDED, walked).
    "intake.services.complaint_file_keep": "writes only through the evidence services",
    # Builds a captured post, unsaved, for evidence_add_post and for recording complaints
    # (both walked, EVIDENCE_ADDED): it writes nothing itself.
    "evidence.services.post_item": "builds an item; its callers write and record it",
    # The save of an item the capture worker built (capture_record.capture_keep), with its
    # EVIDENCE_ADDED by the user who asked for the capture: pinned in
    # evidence/tests/test_capture.py with a real capture.
    "evidence.services.evidence_record": "the worker's save of a capture, pinned there",
    # A user's own shortcuts to the case list: no case, nor anyone else's work, changes (the
    # lists they open are read through the same access rules as any address of the list).
    "caselist.services.saved_view_save": "a personal preference, not a change to a case",
    "caselist.services.saved_view_delete": "a personal preference, not a change to a case",
}


def _captured_item(w: "World") -> Any:
    return capture_recorded(w.case, w.colleague).item


def _redaction(w: "World") -> Any:
    item = _captured_item(w)  # a screenshot
    area = Area(page=1, left=0, top=0, width=1, height=0.2)
    return evidence_redact(actor=w.colleague, item=item, areas=[area], phrases=[], reasons="Id.")


def _failed_capture(w: "World") -> Any:
    return capture_failed(w.case, w.colleague)


class World:
    """What the samples need, made on first use: an organisation, its staff, a case."""

    def __init__(self, organisation: Any, make_complaint: Any, settings: Any) -> None:
        self.organisation = organisation
        self.make_complaint = make_complaint
        self.settings = settings

    @cached_property
    def officer(self) -> User:
        return make_user(self.organisation, "olwen", Role.CASE_OFFICER, first_name="Olwen")

    @cached_property
    def colleague(self) -> User:
        return make_user(self.organisation, "marcus", Role.CASE_OFFICER, first_name="Marcus")

    @cached_property
    def admin(self) -> User:
        return make_user(self.organisation, "ada", Role.ADMINISTRATOR, first_name="Ada")

    @cached_property
    def oversight(self) -> User:
        return make_user(self.organisation, "odile", Role.OVERSIGHT, first_name="Odile")

    def fresh_user(self) -> User:
        """A user without a second factor yet."""
        return User.objects.create_user(
            username="newcomer",
            password=PASSWORD,
            role=Role.CASE_OFFICER,
            organisation=self.organisation,
        )

    @cached_property
    def case(self) -> Any:
        return self.make_complaint().cases.get()

    def another_case(self, name: str = "Ellis Moreno") -> Any:
        return self.make_complaint(respondents=(name,)).cases.get()

    @cached_property
    def complainant(self) -> Party:
        return self.case.parties.get(role=Party.Role.COMPLAINANT)

    @cached_property
    def at_hearing(self) -> Any:
        panel_pool_ensure(self.organisation, password=PASSWORD)
        return walk(self.case, self.officer, *TO_HEARING)

    @cached_property
    def panel(self) -> Any:
        from fairhearing.panels.models import Panel

        panel_prepare(self.at_hearing, self.officer)
        return Panel.objects.get(case=self.at_hearing, kind="hearing")

    @cached_property
    def chair(self) -> User:
        return self.panel.seats.get(is_chair=True).user

    @cached_property
    def deadline(self) -> Any:
        return self.case.deadlines.filter(status="open").first()

    @cached_property
    def item(self) -> Any:
        from fairhearing.evidence.services import Upload, evidence_add_file

        return evidence_add_file(actor=None, case=self.case, upload=Upload("note.txt", b"A note."))

    @cached_property
    def closed_case(self) -> Any:
        return walk(
            self.another_case("Tobiah Grunwald"),
            self.officer,
            "acknowledge",
            "begin_assessment",
            "assess_investigate",
            "reply_received",
            "complete_investigation",
            "charge_no_further_action",
        )

    @cached_property
    def decided(self) -> Any:
        """A decision in a protected category, held for oversight to verify."""
        from fairhearing.oversight.tests.test_verification import decided

        return decided(self.make_complaint, self.officer, "antisemitism")

    @cached_property
    def verification(self) -> Any:
        from fairhearing.oversight.models import Verification

        return Verification.objects.get(case=self.decided)

    def dossier(self, **extra: Any) -> Any:
        from fairhearing.dossiers.services import dossier_receive
        from fairhearing.dossiers.tests.test_dossiers import row, to_csv

        dossier, _ = dossier_receive(
            actor=None,
            organisation=self.organisation,
            source_name="Campaign for Fair Branches",
            filename="branch.csv",
            data=to_csv([row("Ada One"), row("Bo Two")]),
        )
        return dossier

    def stalled_dossier(self) -> Any:
        from fairhearing.dossiers.models import Dossier

        dossier = self.dossier()
        Dossier.objects.filter(pk=dossier.pk).update(
            status=Dossier.Status.RUNNING, progress_at=timezone.now() - dt.timedelta(minutes=10)
        )
        dossier.refresh_from_db()
        return dossier

    def allegation(self) -> AllegationDetails:
        return AllegationDetails(
            allegation_type=AllegationType.IN_PERSON,
            category="bullying",
            description="Shouted at a member at the branch meeting.",
            conduct_date=dt.date(2026, 3, 3),
        )

    def complaint_kwargs(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "channel": Channel.EMAIL,
            "complainant": PersonDetails(full_name="Ysolde Pemberton"),
            "respondents": [PersonDetails(full_name="Tobiah Grunwald")],
            "allegation": self.allegation(),
            "summary": "Shouting at the branch meeting.",
        }

    def failed_task(self) -> Any:
        from fairhearing.worker import services
        from fairhearing.worker.tests.tasks import note_run

        self.settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        note_run.enqueue("/nonexistent", 7)
        services.worker_register(worker_id="w1")
        from django_tasks_db.models import DBTaskResult

        result = services.task_claim(worker_id="w1", tasks=DBTaskResult.objects.ready())
        assert result is not None
        services.task_finish(worker_id="w1", result=result, error=RuntimeError("disk full"))
        result.refresh_from_db()
        return result


Sample = Callable[[World], tuple[Any, dict[str, Any]]]


def _second_factor_verify(w: World) -> tuple[Any, dict[str, Any]]:
    from fairhearing.accounts.services import recovery_codes_issue

    codes = recovery_codes_issue(actor=w.officer)
    return w.officer, {"code": codes[0], "ip_address": "192.0.2.1"}


def _totp_enrolment_confirm(w: World) -> tuple[Any, dict[str, Any]]:
    from fairhearing.accounts.services import totp_code_now, totp_enrolment_start

    user = w.fresh_user()
    device = totp_enrolment_start(actor=user)
    return user, {"code": totp_code_now(device), "ip_address": "192.0.2.1"}


def _api_token_revoke(w: World) -> tuple[Any, dict[str, Any]]:
    from fairhearing.api.services import api_token_create

    token, _ = api_token_create(actor=w.admin, user=w.officer, name="Sync", scopes=["cases:read"])
    return w.admin, {"token": token}


def _case_unassign(w: World) -> tuple[Any, dict[str, Any]]:
    assignment = case_assign(
        actor=None, case=w.case, user=w.officer, role=Assignment.Role.CASE_OFFICER
    )
    return w.colleague, {"assignment": assignment}


def _legal_hold(w: World) -> Any:
    from fairhearing.dataprotection.services import legal_hold_place

    return legal_hold_place(
        actor=w.officer,
        case=w.closed_case,
        reasons="A claim is pending.",
        review_on=timezone.localdate() + dt.timedelta(days=30),
    )


def _subject_access(w: World) -> Any:
    from fairhearing.dataprotection.services import subject_access_open

    return subject_access_open(actor=w.officer, person=w.case.respondent)


def _subject_access_complete(w: World) -> tuple[Any, dict[str, Any]]:
    from fairhearing.dataprotection.services import subject_access_export

    request = _subject_access(w)
    subject_access_export(actor=w.officer, request=request, fmt="json")
    return w.officer, {"request": request}


def _stop_asked(w: World) -> Any:
    """A pause of the case's running limit, asked for by a colleague, awaiting approval."""
    from fairhearing.deadlines.clock_stops import deadline_pause

    return deadline_pause(
        actor=w.colleague,
        deadline=w.deadline,
        reasons="Waiting for the minutes.",
        restart_on=timezone.localdate() + dt.timedelta(days=14),
    )


def _paused(w: World) -> Any:
    from fairhearing.deadlines.clock_stops import clock_stop_approve

    clock_stop_approve(actor=w.oversight, stop=_stop_asked(w), reasons="Minutes are due.")
    w.deadline.refresh_from_db()
    return w.deadline


def _challenge(w: World) -> Any:
    from fairhearing.workflow.bias import challenge_raise

    case_assign(actor=None, case=w.case, user=w.officer, role=Assignment.Role.CASE_OFFICER)
    return challenge_raise(
        actor=w.officer,
        case=w.case,
        challenged=w.officer,
        raised_by=w.case.respondent,
        grounds="The officer campaigned against me.",
    )


def _declaration(w: World) -> Any:
    from fairhearing.interests.services import interest_declare

    return interest_declare(actor=w.officer, kind="other", text="Volunteer at a food bank")


def _link(w: World) -> Any:
    from fairhearing.linking.services import case_link

    return case_link(actor=w.colleague, case=w.case, other=w.another_case(), reasons="Same branch.")


def _suspended(w: World) -> Any:
    from fairhearing.panels.services import interim_suspension_impose

    interim_suspension_impose(
        actor=w.chair,
        case=w.at_hearing,
        reasons="Risk to members.",
        ends_on=timezone.localdate() + dt.timedelta(days=60),
    )
    return w.at_hearing


def _empty_seat(w: World) -> Any:
    from fairhearing.workflow.bias import case_recuse

    seat = w.panel.seats.filter(is_chair=False).first()
    case_recuse(actor=seat.user, case=w.at_hearing, reasons="I know the respondent.")
    return w.panel


def _vote(w: World) -> tuple[Any, dict[str, Any]]:
    case = w.at_hearing
    case_schedule_hearing(
        actor=w.officer, case=case, hearing_at=timezone.now() + dt.timedelta(days=21)
    )
    case = walk(case, w.officer, "hearing_held")
    panel_prepare(case, w.officer)
    seat = w.panel.seats.get(is_chair=True)
    return seat.user, {
        "seat": seat,
        "transition": "decide_upheld",
        "reasons": "Proven on the minutes.",
        "sanction": "formal_warning",
    }


def _unaffirmed_seat(w: World) -> tuple[Any, dict[str, Any]]:
    from fairhearing.panels.services import panel_draw

    panel_pool_ensure(w.organisation, password=PASSWORD)
    panel = panel_draw(actor=None, case=w.at_hearing, kind="hearing", seed=7)
    seat = panel.seats.get(is_chair=True)
    return seat.user, {"seat": seat}


def _recommendation(w: World) -> Any:
    from fairhearing.reporting.models import Recommendation
    from fairhearing.reporting.services import recommendations_import
    from fairhearing.reporting.tests.test_packs_and_tracker import GOOD_CSV

    recommendations_import(
        actor=None,
        organisation=w.organisation,
        title="Independent review",
        published_on=dt.date(2026, 6, 1),
        data=GOOD_CSV,
        filename="r.csv",
    )
    return Recommendation.objects.get(number="R2")


def _delivery(w: World) -> Any:
    from fairhearing.webhooks.models import Delivery
    from fairhearing.webhooks.services import webhook_endpoint_add, webhook_raise

    webhook_endpoint_add(
        actor=None,
        organisation=w.organisation,
        url="https://members.example.invalid/hook",
        secret="s" * 32,
        events=["sanction.imposed"],
    )
    webhook_raise(case=w.case, name="sanction.imposed", dedupe_key="x", details={})
    return Delivery.objects.get()


def _period(w: World) -> Any:
    from fairhearing.reporting.queries import period_of

    return period_of(timezone.localdate() - dt.timedelta(days=120))


def _audit_period(w: World) -> Any:
    """A quarter that has ended, with one case closed in it."""
    from fairhearing.cases.models import Case

    period = _period(w)
    closed_at = timezone.make_aware(dt.datetime.combine(period.starts_on, dt.time(12)))
    Case.objects.filter(pk=w.closed_case.pk).update(closed_at=closed_at)
    return period


def _audit_round(w: World) -> Any:
    """That quarter's audit sample, drawn by nobody."""
    from fairhearing.audits.services import audit_round_draw

    return audit_round_draw(actor=None, organisation=w.organisation, period=_audit_period(w))


AUDIT_ANSWERS = {
    "reasons_given": "no",
    "time_limits_met": "yes",
    "notice_and_evidence_disclosed": "yes",
    "conflicts_checked": "not_applicable",
}


def _audited(w: World) -> Any:
    from fairhearing.audits.services import audited_case_record

    return audited_case_record(
        actor=None,
        audited=_audit_round(w).audited.get(),
        answers=AUDIT_ANSWERS,
        findings="The decision letter gave no reasons.",
    )


def _sanctioned(w: World) -> Any:
    """The case, with a sanction decided (its decision stood in for, as in the demo's history)."""
    from fairhearing.cases.models import Case, StageChange

    StageChange.objects.create(
        case=w.case,
        transition="decide_upheld",
        from_stage="decision",
        to_stage="appeal_window",
        reasons="Upheld.",
        rule_applied="CC-1.3",
        sanction="formal_warning",
    )
    Case.objects.filter(pk=w.case.pk).update(sanction="formal_warning")
    w.case.refresh_from_db()
    return w.case


def _condition(w: World) -> Any:
    from fairhearing.compliance.models import Condition

    return Condition.objects.create(
        case=_sanctioned(w),
        sanction="formal_warning",
        kind="apology",
        description="Apologise to the complainant in writing",
        due_on=timezone.localdate() + dt.timedelta(days=28),
    )


def _survey_case(w: World) -> Any:
    """A case closed without its parties yet invited to the survey (as its closing does)."""
    from fairhearing.cases.models import Case

    Case.objects.filter(pk=w.case.pk).update(
        stage="closed", closed_at=timezone.now(), outcome="no_further_action"
    )
    return w.case


def _rulebook(w: World) -> Any:
    from fairhearing.organisations.default_rulebook import DEFAULT_RULEBOOK

    return DEFAULT_RULEBOOK


SAMPLES: dict[str, Sample] = {
    # accounts: the second factor
    "accounts.services.recovery_codes_issue": lambda w: (w.officer, {}),
    "accounts.services.second_factor_reset": lambda w: (w.admin, {"user": w.officer}),
    "accounts.services.second_factor_verify": _second_factor_verify,
    "accounts.services.totp_enrolment_confirm": _totp_enrolment_confirm,
    "accounts.services.totp_enrolment_start": lambda w: (w.fresh_user(), {}),
    # api tokens
    "api.services.api_token_create": lambda w: (
        w.admin,
        {"user": w.officer, "name": "Membership sync", "scopes": ["cases:read"]},
    ),
    "api.services.api_token_revoke": _api_token_revoke,
    # cases
    "cases.services.allegation_set_conduct_rules": lambda w: (
        w.officer,
        {"allegation": w.case.allegations.get(), "refs": ["CC-1.3"]},
    ),
    "cases.services.case_add_witness": lambda w: (
        w.officer,
        {"case": w.case, "details": PersonDetails(full_name="Esme Holroyd")},
    ),
    "workflow.services.case_assign": lambda w: (
        w.colleague,
        {"case": w.case, "user": w.officer, "role": Assignment.Role.CASE_OFFICER},
    ),
    "workflow.services.cases_bulk_assign": lambda w: (
        w.colleague,
        {
            "cases": [w.case, w.another_case()],
            "user": w.officer,
            "role": Assignment.Role.CASE_OFFICER,
            "reasons": "Marcus shares out the unassigned cases.",
        },
    ),
    "workflow.services.case_move": lambda w: (
        w.officer,
        {
            "case": w.case,
            "stage": w.case.rulebook.spec.transitions["acknowledge"].target,
            "at": timezone.now(),
        },
    ),
    "workflow.services.case_schedule_hearing": lambda w: (
        w.officer,
        {"case": w.at_hearing, "hearing_at": timezone.now() + dt.timedelta(days=21)},
    ),
    "workflow.services.case_transition": lambda w: (
        w.officer,
        {
            "case": w.case,
            "transition": "acknowledge",
            "reasons": "Received.",
            "rule_applied": "Rule 1",
        },
    ),
    "cases.services.case_unassign": _case_unassign,
    "intake.record.complaint_record": lambda w: (w.officer, w.complaint_kwargs()),
    "cases.services.conduct_exception_allow": lambda w: (
        w.oversight,
        {"case": _old_conduct(w), "reasons": "Fresh evidence only now.", "rule_applied": "4.2"},
    ),
    "cases.services.party_protect_identity": lambda w: (
        w.officer,
        {"party": w.complainant, "reason": "Fears reprisals at work."},
    ),
    # encryption keys, retention, subject access
    "operations.keys.keys_rotate": lambda w: (w.admin, {}),
    "dataprotection.retention.case_anonymise": lambda w: (w.officer, {"case": w.closed_case}),
    "dataprotection.services.legal_hold_lift": lambda w: (
        w.officer,
        {"hold": _legal_hold(w), "reasons": "Tribunal decided."},
    ),
    "dataprotection.services.legal_hold_place": lambda w: (
        w.officer,
        {
            "case": w.closed_case,
            "reasons": "A claim is pending.",
            "review_on": timezone.localdate() + dt.timedelta(days=30),
        },
    ),
    "dataprotection.services.legal_hold_review": lambda w: (
        w.officer,
        {
            "hold": _legal_hold(w),
            "reasons": "Claim still running.",
            "review_on": timezone.localdate() + dt.timedelta(days=90),
        },
    ),
    "dataprotection.services.subject_access_complete": _subject_access_complete,
    "dataprotection.services.subject_access_export": lambda w: (
        w.officer,
        {"request": _subject_access(w), "fmt": "json"},
    ),
    "dataprotection.services.subject_access_open": lambda w: (
        w.officer,
        {"person": w.case.respondent},
    ),
    # deadlines
    "deadlines.services.deadline_close": lambda w: (
        w.officer,
        {"deadline": w.deadline, "at": timezone.now()},
    ),
    "deadlines.services.deadline_open": lambda w: (
        w.officer,
        {
            "case": w.case,
            "kind": "extra",
            "label": "Extra time",
            "working_days": 5,
            "at": timezone.now(),
        },
    ),
    "deadlines.clock_stops.deadline_pause": lambda w: (
        w.officer,
        {
            "deadline": w.deadline,
            "reasons": "Waiting for the minutes.",
            "restart_on": timezone.localdate() + dt.timedelta(days=14),
        },
    ),
    "deadlines.clock_stops.clock_stop_approve": lambda w: (
        w.officer,
        {"stop": _stop_asked(w), "reasons": "Minutes are due."},
    ),
    "deadlines.clock_stops.clock_stop_decline": lambda w: (
        w.officer,
        {"stop": _stop_asked(w), "reasons": "Not a reason to stop."},
    ),
    "deadlines.services.deadlines_pause_merged": lambda w: (
        w.officer,
        {"case": w.case, "reasons": "Merged into another case."},
    ),
    "deadlines.services.deadline_resume": lambda w: (
        w.officer,
        {"deadline": _paused(w), "reasons": "Minutes received."},
    ),
    "deadlines.services.deadlines_start_on_service": lambda w: (
        w.officer,
        {"case": _notice_by_post(w), "served_on": timezone.localdate()},
    ),
    "deadlines.services.deadlines_follow_stage": lambda w: (
        w.officer,
        {"case": _staged(w.case, "closed"), "at": timezone.now()},
    ),
    # dossiers
    "dossiers.importing.dossier_import": lambda w: (w.officer, {"dossier": w.dossier()}),
    "dossiers.services.dossier_receive": lambda w: (
        w.officer,
        {
            "organisation": w.organisation,
            "source_name": "Campaign for Fair Branches",
            "filename": "branch.csv",
            "data": b"respondent_name,category,description\nAda One,bullying,Abuse.\n",
        },
    ),
    "dossiers.services.dossier_resume": lambda w: (w.officer, {"dossier": w.stalled_dossier()}),
    "dossiers.services.dossier_uploaded_again": lambda w: (
        w.officer,
        {"dossier": w.stalled_dossier()},
    ),
    # evidence
    "evidence.services.bundle_make": lambda w: (
        w.officer,
        {"case": w.case, "audience": "panel"},
    ),
    "evidence.services.evidence_add_file": lambda w: (
        w.officer,
        {"case": w.case, "upload": _upload()},
    ),
    "evidence.services.evidence_add_files": lambda w: (
        w.officer,
        {"case": w.case, "uploads": [_upload()]},
    ),
    "evidence.services.evidence_add_post": lambda w: (
        w.officer,
        {"case": w.case, "captured_text": "You will regret this."},
    ),
    "evidence.services.evidence_open": lambda w: (w.officer, {"item": w.item}),
    "evidence.services.evidence_open_capture_file": lambda w: (
        w.officer,
        {"item": _captured_item(w), "part": "warc"},
    ),
    "evidence.services.evidence_redact": lambda w: (
        w.officer,
        {"item": w.item, "areas": [], "phrases": ["note"], "reasons": "A third party."},
    ),
    "evidence.services.evidence_open_redacted": lambda w: (
        w.officer,
        {"redaction": _redaction(w)},
    ),
    "evidence.services.evidence_preview": lambda w: (
        w.officer,
        {"item": _captured_item(w), "page": 1},
    ),
    "evidence.capture_queue.capture_request": lambda w: (
        w.officer,
        {"case": w.case, "url": "https://example.org/fictional_member/status/1"},
    ),
    "evidence.capture_queue.capture_retry": lambda w: (w.officer, {"request": _failed_capture(w)}),
    "evidence.capture_queue.evidence_recapture": lambda w: (
        w.officer,
        {"item": _captured_item(w)},
    ),
    # notes: the case team's file notes and stage checklists
    "notes.services.note_add": lambda w: (
        w.officer,
        {"case": w.case, "text": "Rang the complainant: she will send the screenshots."},
    ),
    "notes.services.note_disclose": lambda w: (
        w.officer,
        {"note": _note(w), "audience": "respondent", "reasons": "They asked what was said."},
    ),
    "notes.services.checklist_tick": lambda w: (
        w.officer,
        {"case": _at_assessment(w), "key": "code_checked", "done": True},
    ),
    "notes.services.checklist_update": lambda w: (
        w.officer,
        {"case": _at_assessment(w), "done": {"conflicts_checked"}, "shown_done": set()},
    ),
    # intake
    "intake.services.complaint_submit": lambda w: (w.officer, w.complaint_kwargs()),
    # interests
    "workflow.bias.case_recuse": lambda w: (
        w.officer,
        {"case": _assigned(w), "reasons": "I know the complainant."},
    ),
    "workflow.bias.challenge_decide": lambda w: (
        w.colleague,
        {"challenge": _challenge(w), "upheld": False, "reasons": "No grounds."},
    ),
    "workflow.bias.challenge_raise": lambda w: (
        w.colleague,
        {
            "case": _assigned(w),
            "challenged": w.officer,
            "raised_by": w.case.respondent,
            "grounds": "The officer campaigned against me.",
        },
    ),
    "interests.services.interest_declare": lambda w: (
        w.officer,
        {"kind": "other", "text": "Volunteer at a food bank"},
    ),
    "interests.services.interest_withdraw": lambda w: (
        w.officer,
        {"declaration": _declaration(w)},
    ),
    # linking
    "linking.services.case_link": lambda w: (
        w.officer,
        {"case": w.case, "other": w.another_case(), "reasons": "Same branch."},
    ),
    "linking.services.case_merge": lambda w: (
        w.officer,
        {"case": w.case, "other": w.another_case(), "reasons": "Same post."},
    ),
    "linking.services.case_unlink": lambda w: (
        w.officer,
        {"link": _link(w), "reasons": "Not related after all."},
    ),
    "linking.services.complaint_group": lambda w: (
        w.officer,
        {
            "complaint": w.another_case().complaints.get(),
            "case": w.case,
            "reason": "same_url",
            "score": 1.0,
        },
    ),
    # organisations
    "organisations.services.organisation_create": lambda w: (
        w.admin,
        {"name": "Harbour Workers Union", "slug": "harbour", "reference_prefix": "HW"},
    ),
    "organisations.services.rulebook_publish": lambda w: (
        w.admin,
        {"organisation": w.organisation, "definition": _rulebook(w)},
    ),
    # oversight
    "oversight.services.approach_record": lambda w: (
        w.officer,
        {
            "case": w.case,
            "approached_on": timezone.localdate(),
            "approached_by": "A councillor",
            "channel": "in_person",
            "asked": "Can you drop it?",
            "answered": "No.",
        },
    ),
    "oversight.services.verification_open": lambda w: (
        w.officer,
        {"change": _change(w)},
    ),
    "workflow.services.verification_verify": lambda w: (
        w.oversight,
        {"verification": w.verification, "reasons": "Sound reasoning."},
    ),
    "workflow.services.verification_veto": lambda w: (
        w.oversight,
        {"verification": w.verification, "reasons": "The rule was misread."},
    ),
    # panels
    "panels.services.interim_suspension_impose": lambda w: (
        w.chair,
        {
            "case": w.at_hearing,
            "reasons": "Risk to members.",
            "ends_on": timezone.localdate() + dt.timedelta(days=60),
        },
    ),
    "panels.services.interim_suspension_lift": lambda w: (
        w.chair,
        {"case": _suspended(w), "reasons": "Risk gone."},
    ),
    "panels.services.interim_suspension_review": lambda w: (
        w.chair,
        {"case": _suspended(w), "reasons": "Still needed."},
    ),
    "panels.services.panel_add_member": lambda w: (w.officer, {"panel": _empty_seat(w)}),
    "panels.services.panel_constitute": lambda w: (
        w.officer,
        {"case": w.at_hearing, "kind": "hearing"},
    ),
    "panels.services.panel_dissolve": lambda w: (
        w.officer,
        {"panel": w.panel, "reasons": "Drawn in error."},
    ),
    "panels.services.panel_draw": lambda w: (
        w.officer,
        {"case": w.at_hearing, "kind": "hearing"},
    ),
    "panels.services.panel_vote": _vote,
    "panels.services.seat_affirm": _unaffirmed_seat,
    "panels.services.seat_leave": lambda w: (
        w.officer,
        {"user": w.chair, "case": w.at_hearing, "why": "recused"},
    ),
    # people
    "people.services.affiliation_end": lambda w: (
        w.officer,
        {"affiliation": _affiliation(w), "reasons": "They left the caucus in May."},
    ),
    "people.services.affiliation_record": lambda w: (
        w.officer,
        {
            "person": w.case.respondent,
            "kind": "faction",
            "name": "Quillmoor Unity Caucus",
            "source": "The caucus's list of supporters",
            "source_date": dt.date(2026, 1, 14),
        },
    ),
    "people.services.person_find_or_create": lambda w: (
        w.officer,
        {
            "organisation": w.organisation,
            "details": _member_without_email(w),
        },
    ),
    "people.services.person_contact_correct": lambda w: (
        w.officer,
        {
            "person": w.case.respondent,
            "email": "",
            "postal_address": "4 Mill Lane\nNorthfield NF1 2AB",
            "reasons": "From the branch's membership list.",
        },
    ),
    # notifications: a letter for post
    "notifications.services.letter_record_posted": lambda w: (
        w.officer,
        {"letter": _letter(w), "posted_on": timezone.localdate()},
    ),
    # portal
    "workflow.sign_in.sign_in_link_send": lambda w: (
        w.officer,
        {"case": w.case, "person": w.complainant.person},
    ),
    # reporting
    "panels.services.training_record": lambda w: (
        w.admin,
        {
            "user": w.officer,
            "course": "Complaints handling",
            "completed_on": dt.date(2026, 11, 2),
            "expires_on": dt.date(2028, 11, 2),
        },
    ),
    "reporting.services.meeting_schedule": lambda w: (
        w.admin,
        {
            "organisation": w.organisation,
            "title": "Executive committee",
            "held_on": timezone.localdate() + dt.timedelta(days=30),
        },
    ),
    "reporting.services.recommendation_add": lambda w: (
        w.admin,
        {
            "organisation": w.organisation,
            "review": None,
            "title": "Case-file audit 2026-Q3",
            "text": "Every decision letter gives its reasons.",
            "owner": "Head of complaints",
            "due_on": dt.date(2027, 3, 31),
        },
    ),
    # accounts, from the shell
    "accounts.services.staff_account_create": lambda w: (
        w.admin,
        {
            "organisation": w.organisation,
            "username": "casey",
            "role": "case_officer",
            "email": "casey@northfield.invalid",
            "first_name": "Casey",
            "last_name": "Marlow",
            "password": "a long and unusual passphrase",
        },
    ),
    # compliance
    "compliance.services.condition_add": lambda w: (
        w.officer,
        {
            "case": _sanctioned(w),
            "kind": "apology",
            "description": "Apologise to the complainant in writing",
            "due_on": timezone.localdate() + dt.timedelta(days=28),
        },
    ),
    "compliance.services.condition_complied": lambda w: (
        w.officer,
        {"condition": _condition(w), "note": "The letter of apology, seen on 2 March."},
    ),
    "compliance.services.condition_not_complied": lambda w: (
        w.officer,
        {"condition": _condition(w), "reasons": "No apology was sent."},
    ),
    # audits
    "audits.services.audit_round_draw": lambda w: (
        w.oversight,
        {"organisation": w.organisation, "period": _audit_period(w)},
    ),
    "audits.services.audited_case_record": lambda w: (
        w.oversight,
        {
            "audited": _audit_round(w).audited.get(),
            "answers": AUDIT_ANSWERS,
            "findings": "The decision letter gave no reasons.",
        },
    ),
    "audits.services.audit_finding_raise": lambda w: (
        w.oversight,
        {
            "audited": _audited(w),
            "text": "Every decision letter gives its reasons.",
            "owner": "Head of complaints",
            "due_on": dt.date(2027, 3, 31),
        },
    ),
    # surveys (the answer takes no actor: the party is not signed in, and must not be named)
    "surveys.services.survey_invitations_make": lambda w: (
        w.officer,
        {"case": _survey_case(w), "parties": [(w.complainant.person, "complainant")]},
    ),
    "notifications.services.notifications_for_survey": lambda w: (
        w.officer,
        {"case": _survey_case(w)},
    ),
    "reporting.services.recommendation_update": lambda w: (
        w.admin,
        {"recommendation": _recommendation(w), "status": "in_progress", "evidence": ""},
    ),
    "reporting.services.recommendations_import": lambda w: (
        w.admin,
        {
            "organisation": w.organisation,
            "title": "Independent review",
            "published_on": dt.date(2026, 6, 1),
            "data": b"number,text,owner,due_on\nR1,Publish the procedure,Secretary,2027-01-31\n",
            "filename": "r.csv",
        },
    ),
    "reporting.services.report_publish": lambda w: (
        w.admin,
        {"organisation": w.organisation, "period": _period(w)},
    ),
    # webhooks
    "webhooks.services.delivery_replay": lambda w: (w.admin, {"delivery": _delivery(w)}),
    "webhooks.services.webhook_endpoint_add": lambda w: (
        w.admin,
        {
            "organisation": w.organisation,
            "url": "https://members.example.invalid/hook",
            "secret": "s" * 32,
            "events": ["sanction.imposed"],
        },
    ),
    # worker
    "worker.services.task_retry": lambda w: (w.admin, {"result": w.failed_task()}),
}


def _staged(case: Any, stage: str) -> Any:
    case.stage = stage  # as case_move leaves it, before its time limits follow
    return case


def _old_conduct(w: World) -> Any:
    """A case about conduct seven years old, at the charge decision (R-29)."""
    today = timezone.localdate()
    case = w.make_complaint(conduct_date=today.replace(year=today.year - 7)).cases.get()
    return walk(case, w.officer, *TO_HEARING[:5])


def _affiliation(w: World) -> Any:
    from fairhearing.people.services import affiliation_record

    return affiliation_record(
        actor=None,
        person=w.case.respondent,
        kind="faction",
        name="Quillmoor Unity Caucus",
        source="The caucus's list of supporters",
        source_date=dt.date(2026, 1, 14),
    )


def _member_without_email(w: World) -> PersonDetails:
    """A member on record without email, named again with one (filled in)."""
    from fairhearing.people.models import Person

    Person.objects.create(
        organisation=w.organisation,
        full_name="Rowan Ashby",
        membership_number="NCL-3003",
        is_member=True,
    )
    return PersonDetails(
        full_name="Rowan Ashby", membership_number="NCL-3003", email="rowan@example.invalid"
    )


def _notice_by_post(w: World) -> Any:
    """A case at the notice stage whose respondent has no email: the reply window waits."""
    return walk(w.case, w.officer, "acknowledge", "begin_assessment", "assess_investigate")


def _letter(w: World) -> Any:
    from fairhearing.notifications.models import Notification
    from fairhearing.people.models import Person

    case = _notice_by_post(w)
    Person.objects.filter(pk=case.respondent_id).update(postal_address="4 Mill Lane")
    return Notification.objects.get(case=case, channel="post")


def _note(w: World) -> Any:
    return note_add(actor=w.officer, case=w.case, text="Called the respondent's branch.")


def _at_assessment(w: World) -> Any:
    return walk(w.case, w.officer, "acknowledge", "begin_assessment")


def _upload() -> Any:
    from fairhearing.evidence.services import Upload

    return Upload("minutes.txt", b"Branch minutes, 3 March.")


def _assigned(w: World) -> Any:
    case_assign(actor=None, case=w.case, user=w.officer, role=Assignment.Role.CASE_OFFICER)
    return w.case


def _change(w: World) -> Any:
    from fairhearing.cases.models import StageChange

    walk(w.case, w.officer, "acknowledge")
    return StageChange.objects.filter(case=w.case).latest("pk")


def test_every_service_taking_an_actor_has_a_sample_or_a_reason() -> None:
    found = set(services_taking_actor())
    assert not (missing := sorted(found - set(SAMPLES) - set(EXEMPT))), (
        f"give these a sample call in SAMPLES (or a reason in EXEMPT): {missing}"
    )
    assert not (gone := sorted((set(SAMPLES) | set(EXEMPT)) - found)), f"no longer exist: {gone}"
    assert not set(SAMPLES) & set(EXEMPT)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_service_records_its_actor_on_the_ledger(
    name: str, organisation: Any, make_complaint: Any, settings: Any, mailoutbox: Any
) -> None:
    function = services_taking_actor()[name]
    world = World(organisation, make_complaint, settings)
    actor, kwargs = SAMPLES[name](world)
    before = Event.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    function(actor=actor, **kwargs)
    written = Event.objects.filter(seq__gt=before)
    assert written.filter(actor_id=actor.pk).exists(), (
        f"{name} wrote {written.count()} event(s), none with its actor"
    )


def test_credential_events_carry_ids_never_a_secret(organisation: Any) -> None:
    from fairhearing.accounts.services import (
        second_factor_reset,
        second_factor_verify,
        totp_code_now,
        totp_enrolment_confirm,
        totp_enrolment_start,
    )
    from fairhearing.api.services import api_token_create, api_token_revoke
    from fairhearing.ledger.models import EventKind

    world = World(organisation, None, None)
    user, admin = world.fresh_user(), world.admin
    device = totp_enrolment_start(actor=user)
    _, codes = totp_enrolment_confirm(actor=user, code=totp_code_now(device), ip_address=None)
    second_factor_verify(actor=user, code=codes[0], ip_address=None)
    token, clear = api_token_create(actor=admin, user=user, name="Sync", scopes=["cases:read"])
    api_token_revoke(actor=admin, token=token)
    second_factor_reset(actor=admin, user=user)
    events = list(Event.objects.filter(kind__gte=170, kind__lte=177).order_by("seq"))
    assert [(EventKind(e.kind).name, e.actor_id) for e in events] == [
        ("SECOND_FACTOR_ENROLMENT_STARTED", user.pk),
        ("SECOND_FACTOR_ENROLLED", user.pk),
        ("RECOVERY_CODES_ISSUED", user.pk),
        ("RECOVERY_CODE_USED", user.pk),
        ("API_TOKEN_ISSUED", admin.pk),
        ("API_TOKEN_REVOKED", admin.pk),
        ("SECOND_FACTOR_RESET", admin.pk),
    ]
    assert all(e.case_id is None for e in events)
    recorded = " ".join(e.canonical for e in events)
    secrets = [clear, clear[:10], clear[3:13], device.key, *[c.replace("-", "") for c in codes]]
    assert not [s for s in secrets if s in recorded]
    assert events[3].payload["left"] == 9
    # In words wherever events are listed.
    assert [e.kind_label for e in events[-3:]] == [
        "API token issued",
        "API token revoked",
        "Authenticator app and recovery codes reset",
    ]
