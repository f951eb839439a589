"""IDOR: an object of another case (or another organisation) is never reached through a route
that names a case the user may act on, nor through a route scoped by organisation or owner.

Every route with an integer path argument (a sub-object's id or number) must be in `IDOR`
(the first test fails otherwise), and so must every JSON API operation with one. Each attack
is made by a user who may act on case `a`, naming an object of case `b` (or of another
organisation, or another user's); once with a user who cannot reach `b` at all, once with one
who can (so that the refusal comes from the route's own scoping, not from `case_for` on `b`).
Each must answer 404 and change nothing.

Checked by hand that it can fail: in deadlines/views.py `get_object_or_404(Deadline, pk=pk,
case=case)` changed to `get_object_or_404(Deadline, pk=pk)` made `cases:deadlines:pause`
answer 200 and fail here; in linking/views.py `links_of(case)` changed to
`CaseLink.objects.all()` failed `linking:undo`; both restored.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from fairhearing.api.services import api_token_create
from fairhearing.api_urls import api
from fairhearing.conftest import signed_in
from fairhearing.intake.tests.test_anonymous import report_directly
from fairhearing.portal.models import Message
from fairhearing.workflow.sign_in import sign_in_link_send

from .routes import site_routes
from .world import World, build_world, snapshot

pytestmark = pytest.mark.django_db


@dataclass
class Multipart:
    """An API body sent as a form (an operation that takes a file), not as JSON."""

    fields: dict[str, Any]


@dataclass
class Attack:
    who: Callable[[World], Any]  # the user making it
    url: Callable[[World], str]
    data: dict[str, Any] = field(default_factory=dict)  # what an honest POST would carry
    methods: tuple[str, ...] = ("get", "post")


def officer(w: World) -> Any:
    return w.officer


def auditor(w: World) -> Any:
    """Oversight of case a's organisation, who audits its case files."""
    from fairhearing.accounts.models import Role, User
    from fairhearing.conftest import make_user

    return User.objects.filter(username="otto").first() or make_user(w.org, "otto", Role.OVERSIGHT)


def letter_of(case: Any) -> int:
    """The case's first letter for post (its respondent has no email: the notice is one)."""
    return case.notifications.filter(channel="post").order_by("pk")[0].pk


IDOR: dict[str, Attack] = {
    "caselist:saved_view_delete": Attack(
        officer,
        lambda w: reverse("caselist:saved_view_delete", args=[w.saved_view_other.pk]),
        methods=("post",),
    ),
    "cases:affiliations": Attack(
        officer,
        lambda w: reverse("cases:affiliations", args=[w.a.reference, w.b.respondent_id]),
        {"kind": "group", "name": "Forged", "source": "Forged.", "source_date": "2026-01-14"},
    ),
    "cases:affiliation_end": Attack(
        officer,
        lambda w: reverse("cases:affiliation_end", args=[w.a.reference, w.affiliation_b.pk]),
        {"reasons": "Forged."},
    ),
    "cases:letter": Attack(
        officer,
        lambda w: reverse("cases:letter", args=[w.a.reference, letter_of(w.b)]),
        {"posted_on": "2026-01-14"},
    ),
    "cases:letter_pdf": Attack(
        officer,
        lambda w: reverse("cases:letter_pdf", args=[w.a.reference, letter_of(w.b)]),
        methods=("get",),
    ),
    "cases:contact": Attack(
        officer,
        lambda w: reverse("cases:contact", args=[w.a.reference, w.b.respondent_id]),
        {"email": "forged@example.invalid", "postal_address": "", "reasons": "Forged."},
    ),
    # A staff user has no party session at all; a party's own reach is attacked in
    # test_a_partys_link_opens_their_case_and_no_other.
    "portal:challenge_sent": Attack(
        officer,
        lambda w: reverse("portal:challenge_sent", args=[w.a.reference, w.challenge_b.pk]),
        methods=("get",),
    ),
    "cases:protect": Attack(
        officer,
        lambda w: reverse(
            "cases:protect", args=[w.a.reference, w.b.parties.get(role="complainant").pk]
        ),
        {"reasons": "Forged."},
    ),
    "cases:allegation_rules": Attack(
        officer,
        lambda w: reverse("cases:allegation_rules", args=[w.a.reference, w.b.allegations.get().pk]),
        {"refs": []},
    ),
    "cases:deadlines:pause": Attack(
        officer,
        lambda w: reverse("cases:deadlines:pause", args=[w.a.reference, w.b.deadlines.all()[0].pk]),
        {"reasons": "Forged."},
    ),
    "cases:deadlines:resume": Attack(
        officer,
        lambda w: reverse(
            "cases:deadlines:resume", args=[w.a.reference, w.b.deadlines.all()[0].pk]
        ),
        {"reasons": "Forged."},
    ),
    "cases:deadlines:stop_approve": Attack(
        officer,
        lambda w: reverse("cases:deadlines:stop_approve", args=[w.a.reference, w.stop_b.pk]),
        {"reasons": "Forged."},
    ),
    "cases:deadlines:stop_decline": Attack(
        officer,
        lambda w: reverse("cases:deadlines:stop_decline", args=[w.a.reference, w.stop_b.pk]),
        {"reasons": "Forged."},
    ),
    # Items are numbered per case: a has item 1, b has 1 to 3.
    "evidence:download": Attack(
        officer, lambda w: reverse("evidence:download", args=[w.a.reference, 3]), methods=("get",)
    ),
    "evidence:item": Attack(
        officer, lambda w: reverse("evidence:item", args=[w.a.reference, 3]), methods=("get",)
    ),
    "evidence:redact": Attack(
        officer,
        lambda w: reverse("evidence:redact", args=[w.a.reference, 3]),
        {"phrases": "Note", "reasons": "Forged."},
    ),
    "evidence:preview": Attack(
        officer, lambda w: reverse("evidence:preview", args=[w.a.reference, 3, 1]), methods=("get",)
    ),
    # a's own item 1, with b's redaction: the copy of another case's item.
    "evidence:redacted": Attack(
        officer,
        lambda w: reverse("evidence:redacted", args=[w.a.reference, 1, w.redaction_b.pk]),
        methods=("get",),
    ),
    "evidence:recapture": Attack(
        officer, lambda w: reverse("evidence:recapture", args=[w.a.reference, 3]), methods=("post",)
    ),
    "evidence:capture_file": Attack(
        officer,
        lambda w: reverse("evidence:capture_file", args=[w.a.reference, 3, "html"]),
        methods=("get",),
    ),
    # b's failed capture, named under a's reference: a retry would queue it again.
    "evidence:capture_status": Attack(
        officer,
        lambda w: reverse("evidence:capture_status", args=[w.a.reference, w.capture_b.pk]),
        methods=("get",),
    ),
    "evidence:capture_retry": Attack(
        officer,
        lambda w: reverse("evidence:capture_retry", args=[w.a.reference, w.capture_b.pk]),
        methods=("post",),
    ),
    "linking:undo": Attack(
        officer,
        lambda w: reverse("linking:undo", args=[w.a.reference, w.link_b.pk]),
        {"reasons": "Forged."},
    ),
    "linking:link": Attack(
        officer,
        lambda w: reverse("linking:link", args=[w.a.reference, w.foreign.reference]),
        {"kind": "merge", "reasons": "Forged."},
    ),
    "notes:disclose": Attack(
        officer,
        lambda w: reverse("notes:disclose", args=[w.a.reference, w.note_b.pk]),
        {"audience": "respondent", "reasons": "Forged."},
    ),
    "interests:withdraw": Attack(
        officer,
        lambda w: reverse("interests:withdraw", args=[w.declaration_other.pk]),
        methods=("post",),
    ),
    "interests:challenge_decide": Attack(
        officer,
        lambda w: reverse("interests:challenge_decide", args=[w.a.reference, w.challenge_b.pk]),
        {"decision": "upheld", "reasons": "Forged."},
    ),
    "panels:affirm": Attack(
        lambda w: w.member_a, lambda w: reverse("panels:affirm", args=[w.seat_b.pk])
    ),
    "panels:vote": Attack(
        lambda w: w.member_a,
        lambda w: reverse("panels:vote", args=[w.seat_b.pk]),
        {"transition": "decide_dismissed", "reasons": "Forged.", "sanction": ""},
    ),
    "portal:send_link": Attack(
        officer,
        lambda w: reverse("portal:send_link", args=[w.a.reference, w.foreign_person.pk]),
        methods=("post",),
    ),
    "portal:staff_message": Attack(
        officer,
        lambda w: reverse("portal:staff_message", args=[w.a.reference, w.foreign_person.pk]),
        {"body": "Forged."},
        methods=("post",),
    ),
    "dossiers:detail": Attack(
        officer, lambda w: reverse("dossiers:detail", args=[w.dossier_other.pk]), methods=("get",)
    ),
    "dossiers:report": Attack(
        officer, lambda w: reverse("dossiers:report", args=[w.dossier_other.pk]), methods=("get",)
    ),
    "dossiers:resume": Attack(
        officer, lambda w: reverse("dossiers:resume", args=[w.dossier_other.pk]), methods=("post",)
    ),
    # Case-file audits are scoped by organisation: oversight names another's round or case.
    "audits:round": Attack(
        lambda w: auditor(w),
        lambda w: reverse("audits:round", args=[w.audited_other.round_id]),
        methods=("get",),
    ),
    "audits:case": Attack(
        lambda w: auditor(w),
        lambda w: reverse("audits:case", args=[w.audited_other.pk]),
        {"check_reasons_given": "yes", "findings": "Forged."},
    ),
    "audits:raise": Attack(
        lambda w: auditor(w),
        lambda w: reverse("audits:raise", args=[w.audited_other.pk]),
        {"text": "Forged.", "owner": "Forged", "due_on": "2027-01-31"},
    ),
    # A sanction's condition is named by number alone: another organisation's is not found.
    "compliance:record": Attack(
        officer,
        lambda w: reverse("compliance:record", args=[w.condition_other.pk]),
        {"outcome": "complied", "note": "Forged."},
    ),
    "compliance:proof": Attack(
        officer,
        lambda w: reverse("compliance:proof", args=[w.condition_other.pk]),
        methods=("get",),
    ),
    "reporting:pack": Attack(
        lambda w: w.governing,
        lambda w: reverse("reporting:pack", args=[w.pack_other.pk]),
        methods=("get",),
    ),
    "reporting:tracker_update": Attack(
        lambda w: w.admin,
        lambda w: reverse("reporting:tracker_update", args=[w.recommendation_other.pk]),
        {"status": "implemented", "evidence": "Forged."},
    ),
    "webhooks:replay": Attack(
        lambda w: w.admin,
        lambda w: reverse("webhooks:replay", args=[w.delivery_other.pk]),
        methods=("post",),
    ),
    # Subject access requests are scoped by organisation.
    "dataprotection:sar_detail": Attack(
        officer,
        lambda w: reverse("dataprotection:sar_detail", args=[w.sar_other.pk]),
        methods=("get",),
    ),
    "dataprotection:sar_export": Attack(
        officer,
        lambda w: reverse("dataprotection:sar_export", args=[w.sar_other.pk, "json"]),
        methods=("get",),
    ),
    "dataprotection:sar_complete": Attack(
        officer,
        lambda w: reverse("dataprotection:sar_complete", args=[w.sar_other.pk]),
        methods=("post",),
    ),
}

# The API's operations with an integer path argument: (who, method, path, JSON body).
ApiAttack = tuple[Any, str, str, "dict[str, Any] | Multipart | None"]
API_IDOR: dict[str, Callable[[World], ApiAttack]] = {
    "people_affiliations": lambda w: (
        w.officer,
        "get",
        f"/api/v1/cases/{w.a.reference}/people/{w.b.respondent_id}/affiliations",
        None,
    ),
    "people_affiliation_record": lambda w: (
        w.officer,
        "post",
        f"/api/v1/cases/{w.a.reference}/people/{w.b.respondent_id}/affiliations",
        {"kind": "group", "name": "Forged", "source": "Forged.", "source_date": "2026-01-14"},
    ),
    "people_affiliation_end": lambda w: (
        w.officer,
        "post",
        f"/api/v1/cases/{w.a.reference}/affiliations/{w.affiliation_b.pk}/end",
        {"reasons": "Forged."},
    ),
    "letters_pdf": lambda w: (
        w.officer,
        "get",
        f"/api/v1/cases/{w.a.reference}/letters/{letter_of(w.b)}/pdf",
        None,
    ),
    "letters_record_posted": lambda w: (
        w.officer,
        "post",
        f"/api/v1/cases/{w.a.reference}/letters/{letter_of(w.b)}/posted",
        {"posted_on": "2026-01-14"},
    ),
    "people_contact": lambda w: (
        w.officer,
        "get",
        f"/api/v1/cases/{w.a.reference}/people/{w.b.respondent_id}/contact",
        None,
    ),
    "people_contact_correct": lambda w: (
        w.officer,
        "post",
        f"/api/v1/cases/{w.a.reference}/people/{w.b.respondent_id}/contact",
        {"email": "forged@example.invalid", "reasons": "Forged."},
    ),
    "cases_allegation_rules": lambda w: (
        w.officer,
        "put",
        f"/api/v1/cases/{w.a.reference}/allegations/{w.b.allegations.get().pk}/rules",
        {"refs": []},
    ),
    "cases_protect": lambda w: (
        w.officer,
        "post",
        f"/api/v1/cases/{w.a.reference}/parties/{w.b.parties.get(role='complainant').pk}/protect",
        {"reasons": "Forged."},
    ),
    "deadlines_pause": lambda w: (
        w.officer,
        "post",
        f"/api/v1/cases/{w.a.reference}/deadlines/{w.b.deadlines.all()[0].pk}/pause",
        {"reasons": "Forged.", "restart_on": "2027-01-04"},
    ),
    "deadlines_clock_stop_decide": lambda w: (
        w.officer,
        "post",
        f"/api/v1/cases/{w.a.reference}/clock-stops/{w.stop_b.pk}/decision",
        {"decision": "approve", "reasons": "Forged."},
    ),
    "deadlines_resume": lambda w: (
        w.officer,
        "post",
        f"/api/v1/cases/{w.a.reference}/deadlines/{w.b.deadlines.all()[0].pk}/resume",
        {"reasons": "Forged."},
    ),
    "evidence_download": lambda w: (
        w.officer,
        "get",
        f"/api/v1/cases/{w.a.reference}/evidence/3/download",
        None,
    ),
    "evidence_item": lambda w: (
        w.officer,
        "get",
        f"/api/v1/cases/{w.a.reference}/evidence/3",
        None,
    ),
    "evidence_redactions": lambda w: (
        w.officer,
        "get",
        f"/api/v1/cases/{w.a.reference}/evidence/3/redactions",
        None,
    ),
    "evidence_redact": lambda w: (
        w.officer,
        "post",
        f"/api/v1/cases/{w.a.reference}/evidence/3/redactions",
        {"phrases": ["Note"], "reasons": "Forged."},
    ),
    "evidence_redacted_file": lambda w: (
        w.officer,
        "get",
        f"/api/v1/cases/{w.a.reference}/evidence/1/redactions/{w.redaction_b.pk}/file",
        None,
    ),
    "evidence_recapture": lambda w: (
        w.officer,
        "post",
        f"/api/v1/cases/{w.a.reference}/evidence/3/recapture",
        None,
    ),
    "evidence_capture_file": lambda w: (
        w.officer,
        "get",
        f"/api/v1/cases/{w.a.reference}/evidence/3/capture/html",
        None,
    ),
    "evidence_capture_status": lambda w: (
        w.officer,
        "get",
        f"/api/v1/cases/{w.a.reference}/evidence/captures/{w.capture_b.pk}",
        None,
    ),
    "evidence_capture_retry": lambda w: (
        w.officer,
        "post",
        f"/api/v1/cases/{w.a.reference}/evidence/captures/{w.capture_b.pk}/retry",
        None,
    ),
    # A condition of b's sanction, named under a's reference.
    "sanctions_condition_record": lambda w: (
        w.officer,
        "post",
        f"/api/v1/cases/{w.a.reference}/conditions/{w.condition_b.pk}/record",
        Multipart({"outcome": "complied", "note": "Forged."}),
    ),
    "sanctions_condition_proof": lambda w: (
        w.officer,
        "get",
        f"/api/v1/cases/{w.a.reference}/conditions/{w.condition_b.pk}/proof",
        None,
    ),
    "notes_disclose": lambda w: (
        w.officer,
        "post",
        f"/api/v1/cases/{w.a.reference}/notes/{w.note_b.pk}/share",
        {"audience": "respondent", "reasons": "Forged."},
    ),
    "linking_undo": lambda w: (
        w.officer,
        "post",
        f"/api/v1/cases/{w.a.reference}/links/{w.link_b.pk}/undo",
        {"reasons": "Forged."},
    ),
    "dossiers_detail": lambda w: (w.officer, "get", f"/api/v1/dossiers/{w.dossier_other.pk}", None),
    "dossiers_resume": lambda w: (
        w.officer,
        "post",
        f"/api/v1/dossiers/{w.dossier_other.pk}/resume",
        None,
    ),
    "dossiers_rows": lambda w: (
        w.officer,
        "get",
        f"/api/v1/dossiers/{w.dossier_other.pk}/rows",
        None,
    ),
    "interests_withdraw": lambda w: (
        w.officer,
        "post",
        f"/api/v1/interests/{w.declaration_other.pk}/withdraw",
        None,
    ),
    "interests_challenge_decide": lambda w: (
        w.officer,
        "post",
        f"/api/v1/cases/{w.a.reference}/challenges/{w.challenge_b.pk}/decision",
        {"upheld": True, "reasons": "Forged."},
    ),
    "panels_affirm": lambda w: (
        w.member_a,
        "post",
        f"/api/v1/panels/seats/{w.seat_b.pk}/affirmation",
        None,
    ),
    "panels_vote": lambda w: (
        w.member_a,
        "post",
        f"/api/v1/panels/seats/{w.seat_b.pk}/vote",
        {"transition": "decide_dismissed", "reasons": "Forged."},
    ),
    "parties_send_link": lambda w: (
        w.officer,
        "post",
        f"/api/v1/cases/{w.a.reference}/people/{w.foreign_person.pk}/sign-in-link",
        None,
    ),
    "parties_message": lambda w: (
        w.officer,
        "post",
        f"/api/v1/cases/{w.a.reference}/people/{w.foreign_person.pk}/messages",
        {"body": "Forged."},
    ),
    "subject_access_detail": lambda w: (
        w.officer,
        "get",
        f"/api/v1/subject-access/{w.sar_other.pk}",
        None,
    ),
    "subject_access_export_json": lambda w: (
        w.officer,
        "get",
        f"/api/v1/subject-access/{w.sar_other.pk}/export.json",
        None,
    ),
    "subject_access_export_pdf": lambda w: (
        w.officer,
        "get",
        f"/api/v1/subject-access/{w.sar_other.pk}/export.pdf",
        None,
    ),
    "subject_access_complete": lambda w: (
        w.officer,
        "post",
        f"/api/v1/subject-access/{w.sar_other.pk}/complete",
        None,
    ),
}


def bearer_of(user: Any) -> str:
    _, clear = api_token_create(
        actor=None, user=user, name=f"attack-{user.pk}", scopes=["cases:read", "cases:write"]
    )
    return clear


def api_operations_with_int_path() -> set[str]:
    schema = api.get_openapi_schema()
    found = set()
    for operations in schema["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["schema"].get("type") == "integer":
                    found.add(operation["operationId"])
    return found


def test_every_route_naming_an_object_by_number_is_attacked() -> None:
    with_ids = {name for name, route in site_routes().items() if route.int_args}
    assert with_ids - set(IDOR) == set(), "add the route to IDOR with another case's object"
    assert api_operations_with_int_path() - set(API_IDOR) == set(), "add it to API_IDOR"


@pytest.mark.parametrize("reach_both", [False, True], ids=["b-out-of-reach", "b-in-reach"])
def test_another_cases_objects_are_never_reached(organisation, reach_both) -> None:
    world = build_world(organisation, reach_both=reach_both)
    for name, attack in IDOR.items():
        client = signed_in(attack.who(world))
        url = attack.url(world)
        for method in attack.methods:
            before = snapshot()
            outbox = len(mail.outbox)
            response = getattr(client, method)(url, attack.data if method == "post" else None)
            assert response.status_code == 404, (name, method, url, response.status_code)
            assert snapshot() == before, (name, method)
            assert len(mail.outbox) == outbox, (name, method)
    tokens: dict[int, str] = {}
    for operation, make in API_IDOR.items():
        who, method, url, body = make(world)
        if who.pk not in tokens:
            tokens[who.pk] = bearer_of(who)
        bearer = {"HTTP_AUTHORIZATION": f"Bearer {tokens[who.pk]}"}
        before = snapshot()
        if isinstance(body, Multipart):
            extra: dict[str, Any] = {"data": body.fields}  # the test client's multipart
        else:
            extra = {"data": json.dumps(body), "content_type": "application/json"} if body else {}
        response = getattr(Client(), method)(url, **extra, **bearer)
        assert response.status_code == 404, (operation, url, response.status_code)
        assert response.json()["error"]["status"] == 404
        assert snapshot() == before, operation


def test_a_partys_link_opens_their_case_and_no_other(organisation) -> None:
    world = build_world(organisation)
    sign_in_link_send(
        actor=None, case=world.a, person=world.a.parties.get(role="complainant").person
    )
    token = re.search(r"/portal/sign-in/([^/]+)/", str(mail.outbox[-1].body)).group(1)  # type: ignore[union-attr]
    party = Client()
    assert party.post(reverse("portal:sign_in", args=[token])).status_code == 302
    assert party.get(reverse("portal:case", args=[world.a.reference])).status_code == 200
    before = snapshot()
    for other in (world.b, world.foreign):
        for name in ("portal:case", "portal:reply", "portal:hearing", "portal:bundle"):
            url = reverse(name, args=[other.reference])
            assert party.get(url).status_code == 404, name
        url = reverse("portal:message", args=[other.reference])
        assert party.post(url, {"body": "Forged."}).status_code == 404
        url = reverse("portal:reply", args=[other.reference])
        assert party.post(url, {"text": "Forged."}).status_code == 404
        url = reverse("portal:challenge", args=[other.reference])
        assert party.post(url, {"challenged": "1", "grounds": "Forged."}).status_code == 404
        url = reverse("portal:capture", args=[other.reference])
        assert party.post(url, {"url": "https://example.org/a/1"}).status_code == 404
    # Another case's challenge, named under the party's own case.
    url = reverse("portal:challenge_sent", args=[world.a.reference, world.challenge_b.pk])
    assert party.get(url).status_code == 404
    assert snapshot() == before


def test_a_receipt_code_sends_messages_to_its_own_cases_only(organisation) -> None:
    world = build_world(organisation)
    submitted = report_directly(organisation)
    code = str(submitted.code)
    reporter = Client()
    assert reporter.post(reverse("intake:report"), {"code": code}).status_code == 302
    before = Message.objects.count()
    for other in (world.a, world.b, world.foreign):
        reporter.post(reverse("intake:report_message"), {"case": other.pk, "body": "Forged."})
    assert Message.objects.count() == before
