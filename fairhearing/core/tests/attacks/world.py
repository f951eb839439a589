"""Shared set-up for the attack suite: two cases in one organisation and one in another, each
with one of every sub-object a route can name by id; and a snapshot of what is stored, to
show that a refused request changed nothing."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.sessions.models import Session
from django.utils import timezone

from fairhearing.accounts.models import Role, User
from fairhearing.api.services import api_token_create
from fairhearing.audits.models import AuditedCase, AuditRound
from fairhearing.caselist.models import SavedView
from fairhearing.caselist.services import saved_view_save
from fairhearing.cases.models import AllegationType, Case, Channel
from fairhearing.compliance.models import Condition
from fairhearing.conftest import PASSWORD, make_user, walk
from fairhearing.dataprotection.models import SubjectAccessRequest
from fairhearing.dataprotection.services import subject_access_open
from fairhearing.deadlines.clock_stops import deadline_pause
from fairhearing.deadlines.models import ClockStop
from fairhearing.demo.panels import panel_pool_ensure
from fairhearing.dossiers.importing import dossier_import
from fairhearing.dossiers.models import Dossier
from fairhearing.dossiers.services import dossier_receive
from fairhearing.evidence.models import CaptureRequest, Redaction
from fairhearing.evidence.services import Upload, evidence_add_file, evidence_redact
from fairhearing.evidence.tests.captures import capture_failed
from fairhearing.intake.details import AllegationDetails
from fairhearing.intake.record import complaint_record
from fairhearing.interests.models import BiasChallenge, Declaration
from fairhearing.interests.services import interest_declare
from fairhearing.ledger.models import Event, EventKind
from fairhearing.linking.models import CaseLink
from fairhearing.notes.models import FileNote
from fairhearing.notes.services import note_add
from fairhearing.organisations.models import Organisation
from fairhearing.organisations.services import organisation_create
from fairhearing.oversight.models import AccessAttempt, CaseView
from fairhearing.panels.models import Seat
from fairhearing.panels.services import panel_draw
from fairhearing.people.models import Affiliation, Person
from fairhearing.people.services import PersonDetails, affiliation_record
from fairhearing.reporting.models import Meeting, MeetingPack, Recommendation, Review
from fairhearing.webhooks.models import Delivery, Endpoint, WebhookEvent
from fairhearing.workflow.services import case_assign

TO_PANEL = (
    "acknowledge",
    "begin_assessment",
    "assess_investigate",
    "reply_received",
    "complete_investigation",
    "refer_to_panel",
)
DOSSIER_CSV = (
    b"respondent_name,category,description,conduct_date\n"
    b"Nell Quarry,bullying,Posted abuse about a volunteer.,2025-06-01\n"
)


def new_case(organisation: Organisation, respondent: str, **texts: str) -> Case:
    complaint = complaint_record(
        actor=None,
        organisation=organisation,
        channel=Channel.WEB,
        complainant=PersonDetails(
            full_name=texts.get("complainant", "Priya Callender"),
            email="priya@example.invalid",
        ),
        respondents=[PersonDetails(full_name=respondent)],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST,
            category="bullying",
            description=texts.get("description", "Posted a cartoon demeaning a minority."),
            conduct_date=dt.date(2026, 3, 3),
        ),
        summary=texts.get("summary", "A post in the branch group on 3 March."),
    )
    return complaint.cases.get()


@dataclass
class World:
    org: Organisation
    other_org: Organisation
    officer: User  # acts on case `a` (and, with `reach_both`, on `b` too)
    a: Case
    b: Case  # same organisation, another case
    c: Case  # linked to b
    foreign: Case  # another organisation
    member_a: User  # panel member seated on a's panel
    seat_b: Seat  # someone else's seat, on b's panel
    declaration_other: Declaration  # another user's declaration
    challenge_b: BiasChallenge
    affiliation_b: Affiliation  # of b's respondent
    link_b: CaseLink
    note_b: FileNote  # a file note on b
    stop_b: ClockStop  # a pause of b's time limit, asked for by a colleague
    capture_b: CaptureRequest  # a failed capture from a link on b (a retry would queue it)
    redaction_b: Redaction  # a redacted copy of b's item 1
    foreign_person: Person
    dossier_other: Dossier
    pack_other: MeetingPack
    recommendation_other: Recommendation
    delivery_other: Delivery
    sar_other: SubjectAccessRequest  # another organisation's subject access request
    saved_view_other: SavedView  # a colleague's saved view of the case list
    audited_other: AuditedCase  # another organisation's case drawn for its audit
    condition_other: Condition  # a sanction's condition on another organisation's case
    condition_b: Condition  # a condition of b's sanction
    admin: User
    governing: User
    bearer: str


def build_world(organisation: Organisation, *, reach_both: bool = False) -> World:
    other_org = organisation_create(
        actor=None, name="Eastmoor Tenants Union", slug="eastmoor", reference_prefix="EM"
    )
    officer = make_user(organisation, "olwen", Role.CASE_OFFICER)
    colleague = make_user(organisation, "cato", Role.CASE_OFFICER)
    panel_pool_ensure(organisation, password=PASSWORD)
    a = walk(new_case(organisation, "Rowan Ashby"), officer, *TO_PANEL)
    b = walk(new_case(organisation, "Ellis Moreno"), officer, *TO_PANEL)
    c = new_case(organisation, "Fen Halloran")
    case_assign(actor=None, case=a, user=officer, role="case_officer")
    case_assign(actor=None, case=b, user=officer if reach_both else colleague, role="case_officer")
    evidence_add_file(actor=None, case=a, upload=Upload("a.txt", b"Case a's note."))
    for n in range(3):
        evidence_add_file(actor=None, case=b, upload=Upload(f"b{n}.txt", f"Note {n}.".encode()))
    capture_b = capture_failed(b, colleague, url="https://example.org/b/status/1")
    redaction_b = evidence_redact(
        actor=colleague,
        item=b.evidence.get(number=1),
        areas=[],
        phrases=["Note"],
        reasons="A third party.",
    )
    panel_a = panel_draw(actor=None, case=a, kind="hearing", seed=1)
    panel_b = panel_draw(actor=None, case=b, kind="hearing", seed=2)
    member_a = panel_a.seats.filter(is_chair=False).select_related("user")[0].user
    seat_b = panel_b.seats.exclude(user=member_a).select_related("user")[0]
    declaration_other = interest_declare(actor=colleague, kind="other", text="Chair of Bramley.")
    challenge_b = BiasChallenge.objects.create(
        case=b, challenged=colleague, raised_by=b.respondent, recorded_by=colleague, grounds="G."
    )
    affiliation_b = affiliation_record(
        actor=None,
        person=b.respondent,
        kind="faction",
        name="Bramley Reform Caucus",
        source="Minutes.",
        source_date=dt.date(2026, 1, 14),
    )
    link_b = CaseLink.objects.create(
        kind="link", case=b, other=c, reasons="Same branch.", created_by=colleague
    )
    note_b = note_add(actor=colleague, case=b, text="Case b's file note.")
    stop_b = deadline_pause(
        actor=colleague,
        deadline=b.deadlines.filter(status="open")[0],
        reasons="Respondent in hospital.",
        restart_on=timezone.localdate() + dt.timedelta(days=14),
    )
    foreign = new_case(other_org, "Juno Pell")
    foreign_person = foreign.respondent
    other_officer = make_user(other_org, "esme", Role.CASE_OFFICER)
    dossier_other, _ = dossier_receive(
        actor=other_officer,
        organisation=other_org,
        source_name="Eastmoor Watch",
        filename="d.csv",
        data=DOSSIER_CSV,
    )
    dossier_import(dossier=dossier_other)
    meeting = Meeting.objects.create(
        organisation=other_org, title="Eastmoor board", held_on=dt.date(2026, 12, 1)
    )
    pack_other = MeetingPack.objects.create(meeting=meeting, content={"overdue": []})
    review = Review.objects.create(
        organisation=other_org, title="Eastmoor review", published_on=dt.date(2026, 1, 1)
    )
    recommendation_other = Recommendation.objects.create(
        review=review, number="R1", text="Publish.", owner="Board", due_on=dt.date(2027, 1, 1)
    )
    endpoint = Endpoint.objects.create(
        organisation=other_org, url="http://127.0.0.1:9/hooks", secret="s"
    )
    event = WebhookEvent.objects.create(
        organisation=other_org, case=foreign, name="sanction.imposed", payload={}, dedupe_key="k"
    )
    delivery_other = Delivery.objects.create(endpoint=endpoint, event=event)
    sar_other = subject_access_open(actor=other_officer, person=foreign_person)
    round_other = AuditRound.objects.create(
        organisation=other_org,
        period="2026-Q1",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 4, 1),
        seed="0" * 32,
        sample_size=10,
        population=1,
        checks=[{"key": "reasons_given", "label": "Reasons given"}],
    )
    audited_other = AuditedCase.objects.create(round=round_other, case=foreign, position=1)
    condition_other = Condition.objects.create(
        case=foreign,
        sanction="mandatory_education",
        kind="course",
        description="Complete the course",
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    saved_view_other, _ = saved_view_save(actor=colleague, name="Overdue", query="queue=overdue")
    _, bearer = api_token_create(
        actor=None, user=officer, name="attack", scopes=["cases:read", "cases:write"]
    )
    return World(
        org=organisation,
        other_org=other_org,
        officer=officer,
        a=a,
        b=b,
        c=c,
        foreign=foreign,
        member_a=member_a,
        seat_b=seat_b,
        declaration_other=declaration_other,
        challenge_b=challenge_b,
        affiliation_b=affiliation_b,
        link_b=link_b,
        note_b=note_b,
        stop_b=stop_b,
        capture_b=capture_b,
        redaction_b=redaction_b,
        foreign_person=foreign_person,
        dossier_other=dossier_other,
        pack_other=pack_other,
        recommendation_other=recommendation_other,
        delivery_other=delivery_other,
        sar_other=sar_other,
        saved_view_other=saved_view_other,
        audited_other=audited_other,
        condition_other=condition_other,
        condition_b=Condition.objects.create(
            case=b,
            sanction="mandatory_education",
            kind="course",
            description="Complete the course",
            due_on=timezone.localdate() + dt.timedelta(days=30),
            proof=b.evidence.order_by("number")[0].blob,
        ),
        admin=make_user(organisation, "ada", Role.ADMINISTRATOR),
        governing=make_user(organisation, "gwen", Role.GOVERNING_BODY),
        bearer=bearer,
    )


# What a refusal may add: its own record in the interference register, the ledger event that
# goes with it, and session rows.
REFUSAL_RECORDS = {AccessAttempt, CaseView, Session}
TOUCHED = {"last_used_at"}  # an API token's, written on every authenticated request
REFUSAL_EVENTS = {EventKind.ACCESS_REFUSED, EventKind.CASE_VIEWED}


def snapshot() -> dict[str, Any]:
    """Every row of every project table (bar refusal records), as values: equal before and
    after means the request changed nothing."""
    state: dict[str, Any] = {}
    for model in apps.get_models():
        if model in REFUSAL_RECORDS or model is Event:
            continue
        if not model.__module__.startswith("fairhearing"):
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in TOUCHED]
        state[model._meta.label] = sorted(
            model._base_manager.values_list(*fields), key=lambda row: repr(row)
        )
    state["ledger"] = list(
        Event.objects.exclude(kind__in=REFUSAL_EVENTS).values_list("seq", "kind", "hash")
    )
    return state
