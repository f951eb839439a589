"""Every route, against one declared policy.

`ROUTES` says, for each named URL, which rule guards it. The first test fails when a route
is added without an entry here. The second requests every case-scoped route as every role in
every relation to the case and checks the answer against `cases.access.POLICY`.
"""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from fairhearing.accounts.models import Role
from fairhearing.cases.access import POLICY
from fairhearing.cases.models import Assignment, Case
from fairhearing.compliance.models import Condition
from fairhearing.conftest import PASSWORD, make_user, walk
from fairhearing.deadlines.access import STOP_DECIDERS
from fairhearing.deadlines.clock_stops import deadline_pause
from fairhearing.demo.panels import panel_pool_ensure
from fairhearing.evidence.models import CaptureRequest, Redaction
from fairhearing.evidence.services import Upload, evidence_add_file, evidence_redact
from fairhearing.evidence.tests.captures import capture_recorded
from fairhearing.interests.models import BiasChallenge
from fairhearing.linking.models import CaseLink
from fairhearing.notes.access import NOTE_READERS
from fairhearing.notes.models import FileNote
from fairhearing.notes.services import note_add
from fairhearing.oversight.models import AccessAttempt
from fairhearing.panels.models import Seat
from fairhearing.panels.services import panel_draw, seat_affirm
from fairhearing.people.services import affiliation_record
from fairhearing.workflow.services import case_assign

# Rule per route name:
#   public          anyone, no sign-in
#   signed_in       any signed-in user, their own things only
#   case:view       `case_for(..., action="view")`
#   case:act        `case_for(..., action="act")`
#   case:member     on the case team or a panel (to step aside), else `case:act`
#   case:stops      deciding a clock stop: `deadlines.access.STOP_DECIDERS` (the case team,
#                   acting, and oversight, reading; then the rulebook's roles, never who asked)
#   case:notes      the case's file notes: `notes.access.NOTE_READERS` (the case team and
#                   oversight, never a panel member)
#   own_seat        the panel member's own seat (`panels.access.seat_for`)
#   chair           `case:view`, then the service checks the user chairs a sitting panel
#   role:<role>     only that role
#   list            roles with a POLICY entry see their own visible cases
#   party           a party's session opened by their own sign-in link (`portal.access`)
#   reporter        an anonymous reporter's session opened by their receipt code
#                   (`intake.access`: one report, nothing else; see intake/tests)
#   scraper         the configured metrics scraper: its bearer token and/or address, never a
#                   session (`operations.views.metrics`; see operations/tests)
ROUTES = {
    "core:healthz": "public",
    "core:privacy": "public",
    "core:accessibility": "public",
    "core:cookies": "public",
    "intake:start": "public",
    "intake:form": "public",
    "intake:check": "public",
    "intake:submitted": "public",
    "intake:anonymous": "public",
    "intake:anonymous_check": "public",
    "intake:anonymous_receipt": "public",
    "intake:report": "public",
    "intake:report_forget": "public",
    "intake:report_status": "reporter",
    "intake:report_message": "reporter",
    "intake:report_evidence": "reporter",
    "intake:record": "role:case_officer",
    "accounts:login": "public",
    "accounts:sso_start": "public",
    "accounts:sso_callback": "public",
    "accounts:logout": "public",
    "accounts:two_factor": "signed_in",
    "accounts:two_factor_enrol": "signed_in",
    "accounts:recovery_codes": "signed_in",
    "accounts:reauth": "signed_in",
    "cases:list": "list",
    "caselist:saved_views": "list",
    "caselist:saved_view_delete": "list",
    # Roles that act on cases; each case named is then reached by `cases_for` (`case:act`).
    "caselist:bulk_assign": "role:case_officer|investigator",
    "caselist:bulk_assign_done": "role:case_officer|investigator",
    "cases:detail": "case:view",
    "cases:transition": "case:act",
    "cases:hearing": "case:act",
    "cases:conduct_exception": "case:view",
    "cases:assign": "case:act",
    "cases:witness": "case:act",
    "cases:protect": "case:act",
    "cases:affiliations": "case:act",
    "cases:affiliation_end": "case:act",
    "cases:contact": "case:act",
    "cases:letter": "case:act",
    "cases:letter_pdf": "case:act",
    "cases:allegation_rules": "case:act",
    "cases:deadlines:pause": "case:act",
    "cases:deadlines:resume": "case:act",
    "cases:deadlines:stop_approve": "case:stops",
    "cases:deadlines:stop_decline": "case:stops",
    "oversight:approach": "case:act",
    "oversight:register": "role:oversight",
    "oversight:verification": "case:view",
    "portal:start": "public",
    "portal:sign_in": "public",
    "portal:sign_out": "public",
    "portal:language": "public",
    "portal:case": "party",
    "portal:reply": "party",
    "portal:hearing": "party",
    "portal:hearing_move": "party",
    "portal:message": "party",
    "portal:bundle": "party",
    "portal:capture": "party",
    "portal:challenge": "party",
    "portal:challenge_sent": "party",
    "portal:send_link": "case:act",
    "portal:staff_message": "case:act",
    "ledger:heads": "public",
    "reporting:list": "public",
    "audits:published": "public",
    "core:language": "public",
    "audits:rounds": "role:oversight",
    "audits:round": "role:oversight",
    "audits:case": "role:oversight",
    "audits:raise": "role:oversight",
    "surveys:answer": "public",
    "surveys:thanks": "public",
    "surveys:comments": "role:oversight",
    "reporting:report": "public",
    "reporting:report_format": "public",
    "reporting:tracker": "public",
    "reporting:packs": "role:governing_body|oversight|administrator",
    "reporting:workload": "role:case_officer|oversight",
    "reporting:pack": "role:governing_body|oversight|administrator",
    "reporting:tracker_import": "role:administrator|governing_body",
    "reporting:tracker_update": "role:administrator|governing_body",
    "ledger:inclusion": "public",
    "ledger:consistency": "public",
    "webhooks:log": "role:administrator",
    "webhooks:replay": "role:administrator",
    "worker:status": "role:administrator",
    "panels:training": "role:administrator",
    "worker:retry": "role:administrator",
    "worker:readyz": "public",
    "operations:live": "public",
    "operations:ready": "public",
    "operations:metrics": "scraper",
    "accounts:home": "signed_in",
    "evidence:list": "case:view",
    "dossiers:list": "role:case_officer",
    "dossiers:detail": "role:case_officer",
    "dossiers:report": "role:case_officer",
    "dossiers:resume": "role:case_officer",
    "dossiers:template": "role:case_officer",
    "linking:related": "case:view",
    "linking:link": "case:act",
    "linking:undo": "case:act",
    "evidence:add_file": "case:act",
    "evidence:add_post": "case:act",
    "evidence:capture": "case:act",
    "evidence:capture_status": "case:view",
    "evidence:capture_retry": "case:act",
    "evidence:item": "case:view",
    "evidence:recapture": "case:act",
    "evidence:redact": "case:act",
    "evidence:preview": "case:act",
    "evidence:redacted": "case:view",
    "evidence:capture_file": "case:view",
    "evidence:download": "case:view",
    "evidence:bundle": "case:view",
    "interests:list": "signed_in",
    "interests:withdraw": "signed_in",
    "interests:recuse": "case:member",
    "interests:challenge": "case:act",
    "interests:challenge_decide": "case:act",
    "panels:seats": "signed_in",
    "panels:affirm": "own_seat",
    "panels:vote": "own_seat",
    "panels:draw": "case:act",
    "panels:interim_suspension": "chair",
    "panels:interim_suspension_lift": "chair",
    "panels:interim_suspension_review": "chair",
    "dataprotection:hold": "case:act",
    "dataprotection:hold_review": "case:act",
    "dataprotection:hold_lift": "case:act",
    "dataprotection:sar_list": "role:case_officer",
    "dataprotection:sar_detail": "role:case_officer",
    "dataprotection:sar_export": "role:case_officer",
    "dataprotection:sar_complete": "role:case_officer",
    "notes:list": "case:notes",
    "notes:add": "case:act",
    "notes:disclose": "case:act",
    "notes:checklist": "case:act",
    "compliance:follow_up": "role:case_officer|investigator|oversight",
    "compliance:add": "case:act",
    "compliance:record": "case:act",
    "compliance:proof": "case:view",
}


def named_routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from named_routes(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}"


def test_every_route_has_a_declared_policy() -> None:
    # The JSON API's routes are checked by api/tests/test_parity.py (token, scope, same access).
    routes = {r for r in named_routes() if not r.startswith("api:")}
    assert routes - set(ROUTES) == set(), "add the new route to ROUTES with its rule"
    assert set(ROUTES) - routes == set(), "ROUTES names a route that no longer exists"


RELATIONS = ["assigned", "seated", "unassigned", "other_team"]


def setup(organisation, case: Case, role: str, relation: str):
    user = make_user(organisation, f"user-{role}", role)
    if relation == "assigned" and role in {Role.CASE_OFFICER, Role.INVESTIGATOR}:
        case_assign(actor=None, case=case, user=user, role=role)
    elif relation == "other_team":
        colleague = make_user(organisation, "colleague", Role.CASE_OFFICER)
        case_assign(actor=None, case=case, user=colleague, role=Assignment.Role.CASE_OFFICER)
    elif relation == "seated" and role == Role.PANEL_MEMBER:
        panel = panel_draw(actor=None, case=case, kind="hearing", seed=1)
        seat = Seat.objects.create(panel=panel, user=user, is_chair=False)
        seat_affirm(actor=user, seat=seat)
    return user


def expected(role: str, relation: str, action: str) -> bool:
    rules = POLICY.get(role, {})
    relations = {"any"}
    if relation == "assigned" and role in {Role.CASE_OFFICER, Role.INVESTIGATOR}:
        relations.add("assigned")
    if relation == "seated" and role == Role.PANEL_MEMBER:
        relations.add("seated")
    if relation in {"unassigned", "seated"} or (
        relation == "assigned" and role not in {Role.CASE_OFFICER, Role.INVESTIGATOR}
    ):
        relations.add("unassigned")  # nobody is on the case team
    return any(action in rules.get(rel, frozenset()) for rel in relations)  # type: ignore[call-overload]


def case_urls(case: Case) -> dict[str, tuple[str, str]]:
    """(url, method) for each case-scoped route."""
    deadline = case.deadlines.all()[0]
    stop = case.clock_stops.get(status="requested")
    challenge = case.challenges.all()[0]
    allegation = case.allegations.get()
    capture = CaptureRequest.objects.get(case=case)
    ref = case.reference
    return {
        "cases:detail": (reverse("cases:detail", args=[ref]), "get"),
        "cases:transition": (reverse("cases:transition", args=[ref, "hearing_held"]), "get"),
        "cases:hearing": (reverse("cases:hearing", args=[ref]), "get"),
        "cases:conduct_exception": (reverse("cases:conduct_exception", args=[ref]), "get"),
        "cases:assign": (reverse("cases:assign", args=[ref]), "get"),
        "cases:witness": (reverse("cases:witness", args=[ref]), "get"),
        "cases:protect": (reverse("cases:protect", args=[ref, case.parties.all()[0].pk]), "get"),
        "cases:affiliations": (
            reverse("cases:affiliations", args=[ref, case.respondent_id]),
            "get",
        ),
        "cases:affiliation_end": (
            reverse("cases:affiliation_end", args=[ref, case.respondent.affiliations.get().pk]),
            "get",
        ),
        "cases:contact": (reverse("cases:contact", args=[ref, case.respondent_id]), "get"),
        # The notice went to a respondent without email: a letter for post.
        "cases:letter": (reverse("cases:letter", args=[ref, letter_of(case)]), "get"),
        "cases:letter_pdf": (reverse("cases:letter_pdf", args=[ref, letter_of(case)]), "get"),
        "cases:allegation_rules": (
            reverse("cases:allegation_rules", args=[ref, allegation.pk]),
            "get",
        ),
        "cases:deadlines:pause": (reverse("cases:deadlines:pause", args=[ref, deadline.pk]), "get"),
        "cases:deadlines:resume": (
            reverse("cases:deadlines:resume", args=[ref, deadline.pk]),
            "get",
        ),
        "cases:deadlines:stop_approve": (
            reverse("cases:deadlines:stop_approve", args=[ref, stop.pk]),
            "get",
        ),
        "cases:deadlines:stop_decline": (
            reverse("cases:deadlines:stop_decline", args=[ref, stop.pk]),
            "get",
        ),
        "oversight:approach": (reverse("oversight:approach", args=[ref]), "get"),
        "evidence:list": (reverse("evidence:list", args=[ref]), "get"),
        "linking:related": (reverse("linking:related", args=[ref]), "get"),
        "linking:link": (reverse("linking:link", args=[ref, ref]), "get"),
        "linking:undo": (
            reverse("linking:undo", args=[ref, CaseLink.objects.get(case=case).pk]),
            "get",
        ),
        "evidence:add_file": (reverse("evidence:add_file", args=[ref]), "get"),
        "evidence:add_post": (reverse("evidence:add_post", args=[ref]), "get"),
        "evidence:capture": (reverse("evidence:capture", args=[ref]), "get"),
        "evidence:capture_status": (
            reverse("evidence:capture_status", args=[ref, capture.pk]),
            "get",
        ),
        # Captured, not failed: allowed, it is refused with why (and nothing is queued).
        "evidence:capture_retry": (
            reverse("evidence:capture_retry", args=[ref, capture.pk]),
            "post",
        ),
        "evidence:item": (reverse("evidence:item", args=[ref, 2]), "get"),
        "evidence:recapture": (reverse("evidence:recapture", args=[ref, 1]), "post"),
        "evidence:redact": (reverse("evidence:redact", args=[ref, 2]), "get"),
        "evidence:preview": (reverse("evidence:preview", args=[ref, 2, 1]), "get"),
        "evidence:redacted": (
            reverse("evidence:redacted", args=[ref, 1, Redaction.objects.get(item__case=case).pk]),
            "get",
        ),
        "evidence:capture_file": (reverse("evidence:capture_file", args=[ref, 2, "html"]), "get"),
        "evidence:download": (reverse("evidence:download", args=[ref, 1]), "get"),
        "evidence:bundle": (reverse("evidence:bundle", args=[ref, "panel"]), "get"),
        "interests:challenge": (reverse("interests:challenge", args=[ref]), "get"),
        "interests:challenge_decide": (
            reverse("interests:challenge_decide", args=[ref, challenge.pk]),
            "get",
        ),
        "panels:draw": (reverse("panels:draw", args=[ref, "hearing"]), "post"),
        "panels:interim_suspension": (reverse("panels:interim_suspension", args=[ref]), "get"),
        "oversight:verification": (reverse("oversight:verification", args=[ref]), "get"),
        "portal:send_link": (reverse("portal:send_link", args=[ref, case.respondent_id]), "post"),
        "portal:staff_message": (
            reverse("portal:staff_message", args=[ref, case.respondent_id]),
            "post",
        ),
        "dataprotection:hold": (reverse("dataprotection:hold", args=[ref]), "get"),
        "dataprotection:hold_review": (reverse("dataprotection:hold_review", args=[ref]), "get"),
        "dataprotection:hold_lift": (reverse("dataprotection:hold_lift", args=[ref]), "get"),
        "notes:list": (reverse("notes:list", args=[ref]), "get"),
        "notes:add": (reverse("notes:add", args=[ref]), "get"),
        "notes:disclose": (
            reverse("notes:disclose", args=[ref, FileNote.objects.get(case=case).pk]),
            "get",
        ),
        "notes:checklist": (reverse("notes:checklist", args=[ref]), "post"),
        "compliance:add": (reverse("compliance:add", args=[ref]), "get"),
        "compliance:record": (
            reverse("compliance:record", args=[Condition.objects.get(case=case).pk]),
            "get",
        ),
        "compliance:proof": (
            reverse("compliance:proof", args=[Condition.objects.get(case=case).pk]),
            "get",
        ),
    }


def letter_of(case: Any) -> int:
    """The case's first letter for post (its respondent has no email: the notice is one)."""
    return case.notifications.filter(channel="post").order_by("pk")[0].pk


@pytest.mark.django_db
@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_case_route_answers_as_the_policy_says(
    organisation, case, case_officer, make_complaint, role, relation
) -> None:
    panel_pool_ensure(organisation, password=PASSWORD)
    case = walk(
        case,
        case_officer,
        "acknowledge",
        "begin_assessment",
        "assess_investigate",
        "reply_received",
        "complete_investigation",
        "refer_to_panel",
    )
    BiasChallenge.objects.create(
        case=case,
        challenged=case_officer,
        raised_by=case.respondent,
        recorded_by=case_officer,
        grounds="Test challenge.",
    )
    evidence_add_file(actor=None, case=case, upload=Upload("note.txt", b"A note."))
    capture_recorded(case, case_officer)  # item 2, captured from a link
    evidence_redact(
        actor=case_officer,
        item=case.evidence.get(number=1),
        areas=[],
        phrases=["note"],
        reasons="A third party.",
    )
    affiliation_record(
        actor=None,
        person=case.respondent,
        kind="faction",
        name="Northfield Reform Caucus",
        source="Branch minutes",
        source_date=dt.date(2026, 1, 14),
    )
    other = make_complaint(respondents=("Ellis Moreno",)).cases.get()
    CaseLink.objects.create(
        kind="link", case=case, other=other, reasons="Same branch.", created_by=case_officer
    )
    note_add(actor=case_officer, case=case, text="Called the respondent's branch secretary.")
    deadline_pause(
        actor=case_officer,
        deadline=case.deadlines.filter(status="open")[0],
        reasons="Respondent in hospital.",
        restart_on=timezone.localdate() + dt.timedelta(days=14),
    )
    # A sanction's condition with its proof (the routes need one; the stage does not matter).
    Condition.objects.create(
        case=case,
        sanction="mandatory_education",
        kind="course",
        description="Complete the course",
        due_on=timezone.localdate() + dt.timedelta(days=30),
        proof=case.evidence.get(number=1).blob,
    )
    user = setup(organisation, case, role, relation)
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    for name, (url, method) in case_urls(case).items():
        rule = ROUTES[name]
        action = "view" if rule in {"case:view", "chair"} else "act"
        if rule == "case:notes":  # the role's own action, if it reads notes at all
            action = NOTE_READERS.get(role, "")
        if rule == "case:stops":  # the role's own action, if it decides clock stops at all
            action = STOP_DECIDERS.get(role, "")
        before = AccessAttempt.objects.count()
        response = getattr(client, method)(url)
        allowed = bool(action) and expected(role, relation, action)
        if allowed:
            assert response.status_code in {200, 302, 400, 409}, (
                name,
                role,
                relation,
                response.status_code,
            )
            assert AccessAttempt.objects.count() == before, (name, role, relation)
        else:
            assert response.status_code == 404, (name, role, relation, response.status_code)
            assert AccessAttempt.objects.count() == before + 1, (name, role, relation)
