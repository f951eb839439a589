"""Stored-XSS data: a payload in every free text a user, a party, a reporter or an outsider can
write, through the services (or the request, for what the register takes from a request)."""

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fairhearing.accounts.models import Role, User
from fairhearing.audits.models import AuditedCase
from fairhearing.audits.services import audit_finding_raise, audit_round_draw, audited_case_record
from fairhearing.caselist.services import saved_view_save
from fairhearing.cases.models import AllegationType, Case, Channel
from fairhearing.cases.services import (
    case_add_witness,
    case_unassign,
    conduct_exception_allow,
    party_protect_identity,
)
from fairhearing.compliance.models import Condition
from fairhearing.conftest import hearing_took_place, make_user, signed_in
from fairhearing.core.testing.pages import PASSWORD
from fairhearing.dataprotection.models import SubjectAccessRequest
from fairhearing.dataprotection.services import (
    legal_hold_lift,
    legal_hold_place,
    legal_hold_review,
    subject_access_open,
)
from fairhearing.deadlines.clock_stops import (
    clock_stop_approve,
    clock_stop_decline,
    deadline_pause,
)
from fairhearing.demo.panels import panel_pool_ensure, panel_prepare, panel_ready_for
from fairhearing.dossiers.importing import dossier_import
from fairhearing.dossiers.models import Dossier
from fairhearing.dossiers.services import dossier_receive
from fairhearing.evidence.capture_queue import capture_request
from fairhearing.evidence.capture_record import capture_keep
from fairhearing.evidence.services import (
    Upload,
    evidence_add_file,
    evidence_add_post,
    evidence_redact,
)
from fairhearing.evidence.tests.captures import captured
from fairhearing.evidence.tests.files import png
from fairhearing.intake import anonymous as intake_anonymous
from fairhearing.intake.details import AllegationDetails
from fairhearing.intake.record import complaint_record
from fairhearing.interests.models import BiasChallenge
from fairhearing.interests.services import interest_declare
from fairhearing.linking.services import case_link, case_unlink
from fairhearing.notes.services import note_add, note_disclose
from fairhearing.notifications.sending import notifications_send_pending
from fairhearing.organisations.models import Organisation
from fairhearing.oversight.models import Verification
from fairhearing.oversight.services import approach_record
from fairhearing.panels.queries import active_seats, sitting_panel
from fairhearing.panels.services import (
    interim_suspension_impose,
    interim_suspension_lift,
    panel_dissolve,
    panel_vote,
    training_record,
)
from fairhearing.people.services import PersonDetails, affiliation_end, affiliation_record
from fairhearing.portal.services import hearing_request_submit, message_send, reply_submit
from fairhearing.reporting.models import MeetingPack, Recommendation, Review
from fairhearing.reporting.queries import period_of
from fairhearing.reporting.services import (
    meeting_pack_make,
    meeting_schedule,
    recommendation_update,
    recommendations_import,
)
from fairhearing.surveys.models import Answer
from fairhearing.surveys.queries import MIN_FOR_COMMENTS
from fairhearing.surveys.services import survey_answer, survey_invitations_make
from fairhearing.workflow.bias import case_recuse, challenge_decide, challenge_raise
from fairhearing.workflow.services import (
    case_assign,
    case_schedule_hearing,
    case_transition,
    verification_verify,
)
from fairhearing.workflow.sign_in import sign_in_link_send

# Script, an attribute break-out with an event handler, and a javascript: URL, in one.
PAYLOAD = '<script>window.__xss=1</script>"><img src=x onerror=window.__xss=1>javascript:alert(1)'
SHORT = '"><img src=x onerror=window.__xss=1>'  # for fields of up to 40 characters
ESCAPED = ("&lt;script&gt;window.__xss=1&lt;/script&gt;", "&lt;img src=x onerror=")
RAW = ("<script>window.__xss", "<img src=x", "onerror=window.__xss=1>")


@dataclass
class XssWorld:
    case: Case
    officer: User
    oversight: User
    admin: User
    party: Client  # the complainant's portal session
    reporter: Client  # an anonymous reporter's session
    dossier: Dossier
    held: Case  # on legal hold, reviewed
    lifted: Case  # a hold placed and lifted
    sar: SubjectAccessRequest  # about the respondent of `case`
    later: Case  # walked to a decision: reply, hearing request, panel, votes, verification
    respondent: Client  # the respondent of `later`, through the portal
    governing: User
    recommendation: Recommendation  # updated after the import
    pack: MeetingPack  # for a meeting whose title carries the payload
    audited: AuditedCase  # a closed case audited, its findings raised as a recommendation
    condition: Condition  # a sanction's condition on `later`, overdue


def _portal_session(*, actor: User, case: Case, person: object) -> Client:
    """A party's portal session, opened with the link the party is emailed."""
    sign_in_link_send(actor=actor, case=case, person=person)  # type: ignore[arg-type]
    token = re.search(r"/portal/sign-in/([^/]+)/", str(mail.outbox[-1].body)).group(1)  # type: ignore[union-attr]
    client = Client()
    client.post(reverse("portal:sign_in", args=[token]))
    return client


def build_xss_world(organisation: Organisation) -> XssWorld:
    officer = make_user(organisation, "olwen", Role.CASE_OFFICER)
    oversight = make_user(organisation, "otto", Role.OVERSIGHT)
    admin = make_user(organisation, "ada", Role.ADMINISTRATOR)
    colleague = make_user(
        organisation, "cato", Role.CASE_OFFICER, first_name=PAYLOAD[:150], last_name=SHORT
    )
    complaint = complaint_record(
        actor=None,
        organisation=organisation,
        channel=Channel.WEB,
        complainant=PersonDetails(full_name="C " + PAYLOAD, email="priya@example.invalid"),
        respondents=[
            PersonDetails(
                full_name="R " + PAYLOAD, membership_number=SHORT, postal_address="Addr " + PAYLOAD
            )
        ],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST,
            category="bullying",
            description="D " + PAYLOAD,
            conduct_date=dt.date(2026, 3, 3),
            url="https://x.com/rowan/status/1",
            acting_account="AA " + PAYLOAD,
        ),
        summary="S " + PAYLOAD,
    )
    case = complaint.cases.get()
    other = complaint_record(
        actor=None,
        organisation=organisation,
        channel=Channel.WEB,
        complainant=PersonDetails(full_name="Tamsin Keogh"),
        respondents=[PersonDetails(full_name="R " + PAYLOAD)],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST, category="bullying", description="D " + PAYLOAD
        ),
        summary="Other",
    ).cases.get()
    case_assign(actor=None, case=case, user=officer, role="case_officer")
    case_assign(actor=None, case=other, user=officer, role="case_officer")
    case_assign(actor=None, case=case, user=colleague, role="case_officer")
    # A colleague who joined another case and left it, each with reasons.
    case_unassign(
        actor=None,
        assignment=case_assign(
            actor=None, case=other, user=colleague, role="case_officer", reasons="R " + PAYLOAD
        ),
        reasons="E " + PAYLOAD,
    )
    case_transition(
        actor=officer,
        case=case,
        transition="acknowledge",
        reasons="T " + PAYLOAD,
        rule_applied="Rule " + PAYLOAD,
    )
    case_add_witness(actor=officer, case=case, details=PersonDetails(full_name="W " + PAYLOAD))
    complainant = case.parties.get(role="complainant")
    party_protect_identity(actor=officer, party=complainant, reason="P " + PAYLOAD)
    # Clock stops: one declined, one awaiting approval on the case (its reasons on the case
    # page and the approval page); on the other case, one approved (the clock paused).
    deadline = case.deadlines.filter(status="open")[0]
    restart_on = timezone.localdate() + dt.timedelta(days=14)
    declined = deadline_pause(
        actor=colleague, deadline=deadline, reasons="CSX " + PAYLOAD, restart_on=restart_on
    )
    clock_stop_decline(actor=officer, stop=declined, reasons="CSD " + PAYLOAD)
    deadline_pause(
        actor=colleague, deadline=deadline, reasons="CS " + PAYLOAD, restart_on=restart_on
    )
    approved = deadline_pause(
        actor=officer,
        deadline=other.deadlines.filter(status="open")[0],
        reasons="Pause " + PAYLOAD,
        restart_on=restart_on,
    )
    clock_stop_approve(actor=oversight, stop=approved, reasons="CSA " + PAYLOAD)
    saved_view_save(actor=officer, name="SV " + PAYLOAD[:51], query="queue=all&stage=" + SHORT)
    approach_record(
        actor=officer,
        case=case,
        approached_on=timezone.localdate(),
        approached_by="A " + PAYLOAD,
        channel="phone",
        asked="Q " + PAYLOAD,
        answered="Ans " + PAYLOAD,
    )
    interest_declare(actor=officer, kind="other", text="I " + PAYLOAD)
    for prefix in ("Af ", "Af2 "):
        affiliation = affiliation_record(
            actor=officer,
            person=case.respondent,
            kind="faction",
            name=prefix + PAYLOAD,
            source="Src " + PAYLOAD,
            source_date=dt.date(2026, 1, 14),
            case_id=case.pk,
        )
    affiliation_end(actor=officer, affiliation=affiliation, reasons="AfE " + PAYLOAD)
    challenge = challenge_raise(
        actor=officer,
        case=case,
        challenged=colleague,
        raised_by=case.respondent,
        grounds="G " + PAYLOAD,
    )
    challenge_decide(actor=officer, challenge=challenge, upheld=False, reasons="CD " + PAYLOAD)
    evidence_add_file(
        actor=officer,
        case=case,
        upload=Upload(PAYLOAD[:120] + ".png", png()),
        description="E " + PAYLOAD,
    )
    post = evidence_add_post(
        actor=officer,
        case=case,
        url="https://x.com/rowan/status/1",
        author_handle=SHORT,
        captured_text="Post " + PAYLOAD,
        description="PD " + PAYLOAD,
    )
    # Its redacted copy: the reasons typed by staff, a phrase withheld (shown back on the
    # item's page) and the captured text as disclosed.
    evidence_redact(
        actor=officer,
        item=post,
        areas=[],
        phrases=["Post", "Q " + SHORT],
        reasons="RR " + PAYLOAD,
    )
    # A capture from a link: its description typed by staff; its title and what was left out
    # written by the page captured (anyone's).
    # Kept in the transaction that asks, so the task queued on its commit finds it done.
    with transaction.atomic():
        asked = capture_request(
            actor=officer,
            case=case,
            url="https://x.com/rowan/status/2",
            description="CapD " + PAYLOAD,
        )
        capture_keep(
            asked.pk,
            dataclasses.replace(
                captured(text="CapX " + PAYLOAD),
                title="CapT " + PAYLOAD[:200],
                notes=["CapN " + PAYLOAD],
            ),
        )
    case_link(actor=officer, case=case, other=other, reasons="L " + PAYLOAD)
    message_send(
        case=case,
        party_person=complainant.person,
        party_role="complainant",
        body="Staff " + PAYLOAD,
        from_staff=officer,
    )
    # File notes: one internal, one shared with the complainants (with the reasons).
    note_add(actor=officer, case=case, text="FN " + PAYLOAD)
    note_disclose(
        actor=officer,
        note=note_add(actor=officer, case=case, text="FN2 " + PAYLOAD),
        audience="complainants",
        reasons="FNR " + PAYLOAD,
    )
    # The complainant, through the portal.
    party = _portal_session(actor=officer, case=case, person=complainant.person)
    party.post(reverse("portal:message", args=[case.reference]), {"body": "M " + PAYLOAD})
    # An anonymous reporter.
    submitted = intake_anonymous.anonymous_report_submit(
        organisation=organisation,
        respondents=[PersonDetails(full_name="AR " + PAYLOAD)],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST, category="bullying", description="AD " + PAYLOAD
        ),
        summary="AS " + PAYLOAD,
        upload=Upload("shot.png", png(colour="green")),
        upload_description="AE " + PAYLOAD,
    )
    reporter = Client()
    reporter.post(reverse("intake:report"), {"code": str(submitted.code)})
    reporter_case = submitted.report.complaint.cases.get()
    reporter.post(
        reverse("intake:report_message"), {"case": reporter_case.pk, "body": "RM " + PAYLOAD}
    )
    case_assign(actor=None, case=reporter_case, user=officer, role="case_officer")
    # An outsider (or a curious insider) leaves their marks in the interference register.
    nosy = make_user(organisation, "gwen", Role.GOVERNING_BODY)
    signed_in(nosy).get(
        "/cases/" + case.reference + "/", HTTP_USER_AGENT="UA " + PAYLOAD, secure=False
    )
    signed_in(nosy).get("/cases/X" + "%22%3E%3Cimg%20src=x%20onerror=window.__xss=1%3E/")
    signed_in(nosy).get("/cases/", {"search": "Q " + PAYLOAD[:200]})  # asked: their search
    # Conduct older than the time limit, and oversight's exception with its reasons.
    old = complaint_record(
        actor=None,
        organisation=organisation,
        channel=Channel.WEB,
        complainant=PersonDetails(full_name="Tamsin Keogh"),
        respondents=[PersonDetails(full_name="Old " + SHORT)],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST,
            category="bullying",
            description="Old",
            conduct_date=dt.date(2015, 5, 1),
        ),
        summary="Old",
    ).cases.get()
    conduct_exception_allow(
        actor=oversight, case=old, reasons="CE " + PAYLOAD, rule_applied="Rule " + PAYLOAD
    )
    # A dossier from an outside organisation, and a review's recommendations.
    data = (
        "respondent_name,category,description,post_text\n"
        f'"N {PAYLOAD.replace(chr(34), chr(34) * 2)}",bullying,'
        f'"DD {PAYLOAD.replace(chr(34), chr(34) * 2)}",\n'
        f'"N2",not-a-category-{SHORT.replace(chr(34), "")},x,\n'
    ).encode()
    dossier, _ = dossier_receive(
        actor=officer,
        organisation=organisation,
        source_name="Src " + PAYLOAD,
        filename=PAYLOAD[:100] + ".csv",
        data=data,
    )
    dossier_import(dossier=dossier)
    training_record(  # a course by the name an administrator typed
        actor=admin,
        user=colleague,
        course="TR " + PAYLOAD[:150],
        completed_on=dt.date(2026, 1, 5),
        expires_on=dt.date(2028, 1, 5),
    )
    recommendations_import(
        actor=admin,
        organisation=organisation,
        title="Review " + PAYLOAD,
        published_on=dt.date(2026, 1, 1),
        data=(
            "number,text,owner,due_on,status,evidence\n"
            f'R1,"Rec {PAYLOAD.replace(chr(34), chr(34) * 2)}",'
            f'"Owner {PAYLOAD.replace(chr(34), chr(34) * 2)}",2027-01-31,implemented,'
            f'"Ev {PAYLOAD.replace(chr(34), chr(34) * 2)}"\n'
        ).encode(),
        filename="recs.csv",
    )
    assert Review.objects.filter(title__startswith="Review").exists()
    # Legal holds and a subject access request.
    soon = timezone.localdate() + dt.timedelta(days=30)
    hold = legal_hold_place(actor=officer, case=other, reasons="H " + PAYLOAD, review_on=soon)
    legal_hold_review(actor=officer, hold=hold, reasons="HR " + PAYLOAD, review_on=soon)
    lifted = legal_hold_place(
        actor=officer, case=reporter_case, reasons="H2 " + PAYLOAD, review_on=soon
    )
    legal_hold_lift(actor=officer, hold=lifted, reasons="HL " + PAYLOAD)
    sar = subject_access_open(actor=officer, person=case.respondent)
    later, respondent = _walk_to_a_decision(
        organisation, officer=officer, colleague=colleague, oversight=oversight, first=case
    )
    recommendation = Recommendation.objects.get(number="R1", review__organisation=organisation)
    recommendation_update(
        actor=admin, recommendation=recommendation, status="in_progress", evidence="RU " + PAYLOAD
    )
    governing = make_user(organisation, "gideon", Role.GOVERNING_BODY)
    meeting = meeting_schedule(
        actor=admin,
        organisation=organisation,
        title="Mtg " + PAYLOAD,
        held_on=timezone.localdate() + dt.timedelta(days=3),
    )
    pack = meeting_pack_make(meeting=meeting)
    audited = _audit(organisation, officer=officer, oversight=oversight)
    # A sanction's conditions on the decided case: one due, one recorded (free text in both).
    due = Condition.objects.create(
        case=later,
        sanction="formal_warning",
        kind="apology",
        description="Cond " + PAYLOAD,
        due_on=timezone.localdate() - dt.timedelta(days=2),
    )
    Condition.objects.create(
        case=later,
        sanction="formal_warning",
        kind="other",
        description="Done " + PAYLOAD,
        due_on=timezone.localdate() - dt.timedelta(days=9),
        status="complied",
        finished_at=timezone.now(),
        finished_by=officer,
        finish_note="Proof " + PAYLOAD,
    )
    _survey_answered(organisation, later)
    return XssWorld(
        case=case,
        officer=officer,
        oversight=oversight,
        admin=admin,
        party=party,
        reporter=reporter,
        dossier=dossier,
        held=other,
        lifted=reporter_case,
        sar=sar,
        later=later,
        respondent=respondent,
        governing=governing,
        recommendation=recommendation,
        pack=pack,
        audited=audited,
        condition=due,
    )


def _survey_answered(organisation: Organisation, case: Case) -> None:
    """The complainant of `case` answers the confidence survey, in a quarter that has ended,
    with the payload in their comments, among enough others' answers for oversight to read
    the quarter's comments."""
    complainant = case.parties.get(role="complainant").person
    then = timezone.now() - dt.timedelta(days=120)  # a quarter that has ended
    ((_, token),) = survey_invitations_make(
        actor=None, case=case, parties=[(complainant, "complainant")], now=then
    )
    levels = {"fair": 1, "explained": 2, "informed": 3, "confidence": 4}
    answer = survey_answer(token=token, answers=levels, comments="SC " + PAYLOAD, now=then)
    for _ in range(MIN_FOR_COMMENTS - 1):
        Answer.objects.create(
            organisation=organisation, period=answer.period, role="respondent", **levels
        )


def _audit(organisation: Organisation, *, officer: User, oversight: User) -> AuditedCase:
    """A case closed in a quarter that has ended, drawn for its audit, audited with findings
    that are then raised as a recommendation."""
    closed = complaint_record(
        actor=None,
        organisation=organisation,
        channel=Channel.WEB,
        complainant=PersonDetails(full_name="Audra Pell"),
        respondents=[PersonDetails(full_name="Ansel Doyle")],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST, category="bullying", description="Audited"
        ),
        summary="Audited",
    ).cases.get()
    for transition in ("acknowledge", "begin_assessment", "assess_no_further_action"):
        case_transition(
            actor=officer, case=closed, transition=transition, reasons="R", rule_applied="R"
        )
        closed.refresh_from_db()
    period = period_of(timezone.localdate() - dt.timedelta(days=120))
    closed_at = timezone.make_aware(dt.datetime.combine(period.starts_on, dt.time(12)))
    Case.objects.filter(pk=closed.pk).update(closed_at=closed_at)
    audit_round = audit_round_draw(actor=oversight, organisation=organisation, period=period)
    audited = audited_case_record(
        actor=oversight,
        audited=audit_round.audited.get(),
        answers={
            "reasons_given": "no",
            "time_limits_met": "yes",
            "notice_and_evidence_disclosed": "yes",
            "conflicts_checked": "not_applicable",
        },
        findings="AF " + PAYLOAD,
    )
    audit_finding_raise(
        actor=oversight,
        audited=audited,
        text="AR " + PAYLOAD,
        owner="AO " + PAYLOAD[:150],
        due_on=timezone.localdate() + dt.timedelta(days=90),
    )
    return audited


def _walk_to_a_decision(
    organisation: Organisation, *, officer: User, colleague: User, oversight: User, first: Case
) -> tuple[Case, Client]:
    """A second case, taken through the real services to a verified decision, with the payload
    in everything written on the way: the notice's and decision's letters (the respondent's
    name), the reply and hearing request, a recusal, an interim suspension lifted and another
    imposed, the panel's votes, oversight's verification, the panel's dissolution, and a link
    undone."""
    later = complaint_record(
        actor=None,
        organisation=organisation,
        channel=Channel.WEB,
        complainant=PersonDetails(full_name="Hollis Varga", email="hollis@example.invalid"),
        respondents=[
            PersonDetails(
                full_name="R2 " + PAYLOAD,
                email="rory@example.invalid",
                branch_name="Br " + PAYLOAD,
            )
        ],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST, category="racism", description="D2 " + PAYLOAD
        ),
        summary="Later",
    ).cases.get()
    case_assign(actor=None, case=later, user=officer, role="case_officer")
    case_assign(actor=None, case=later, user=colleague, role="case_officer")
    panel_pool_ensure(organisation, password=PASSWORD)

    def move(transition: str, sanction: str = "") -> None:
        panel_ready_for(later, officer, transition, password=PASSWORD)
        case_transition(
            actor=officer,
            case=later,
            transition=transition,
            reasons=f"{transition} " + PAYLOAD,
            rule_applied="Rule " + PAYLOAD,
            sanction=sanction,
        )
        later.refresh_from_db()

    for transition in ("acknowledge", "begin_assessment", "assess_investigate"):
        move(transition)
    # The respondent, told of the allegations, replies and asks for a hearing with a companion.
    respondent = later.respondent
    reply_submit(case=later, person=respondent, role="respondent", text="Reply " + PAYLOAD)
    hearing_request_submit(
        case=later,
        person=respondent,
        role="respondent",
        oral=True,
        companion_name="Comp " + PAYLOAD,
    )
    respondent_session = _portal_session(actor=officer, case=later, person=respondent)
    case_recuse(actor=colleague, case=later, reasons="Rec " + PAYLOAD)
    for transition in ("reply_received", "complete_investigation", "refer_to_panel"):
        move(transition)
    panel_prepare(later, officer)
    panel = sitting_panel(later, "hearing")
    assert panel is not None
    chair = next(s.user for s in active_seats(panel) if s.is_chair)
    # The respondent challenges the chair from the portal; the case officer dismisses it.
    respondent_session.post(
        reverse("portal:challenge", args=[later.reference]),
        {"challenged": str(chair.pk), "grounds": "PC " + PAYLOAD},
    )
    challenge_decide(
        actor=officer,
        challenge=BiasChallenge.objects.get(case=later, recorded_by=None),
        upheld=False,
        reasons="PCD " + PAYLOAD,
    )
    ends_on = timezone.localdate() + dt.timedelta(days=30)
    interim_suspension_impose(actor=chair, case=later, reasons="IS " + PAYLOAD, ends_on=ends_on)
    interim_suspension_lift(actor=chair, case=later, reasons="IL " + PAYLOAD)
    interim_suspension_impose(actor=chair, case=later, reasons="IS2 " + PAYLOAD, ends_on=ends_on)
    case_schedule_hearing(
        actor=officer, case=later, hearing_at=timezone.now() + dt.timedelta(days=21)
    )
    hearing_took_place(later)
    move("hearing_held")
    for seat in active_seats(panel).order_by("pk"):
        panel_vote(
            actor=seat.user,
            seat=seat,
            transition="decide_upheld",
            reasons="V " + PAYLOAD,
            sanction="formal_warning",
        )
    move("decide_upheld", sanction="formal_warning")
    assert later.stage == "verification"
    verification = Verification.objects.get(case=later)
    verification_verify(actor=oversight, verification=verification, reasons="VR " + PAYLOAD)
    # Today only a veto dissolves a panel, with a fixed text; the service takes any reasons.
    panel_dissolve(actor=officer, panel=panel, reasons="PD " + PAYLOAD)
    link = case_link(actor=officer, case=later, other=first, reasons="L2 " + PAYLOAD)
    case_unlink(actor=officer, link=link, reasons="U " + PAYLOAD)
    notifications_send_pending()  # the letters, with the respondent's name, are sent
    later.refresh_from_db()
    return later, respondent_session
