import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from fairhearing.accounts.models import Role
from fairhearing.api.models import ApiToken, IdempotentRequest
from fairhearing.api.services import api_token_create, api_token_revoke, token_hash
from fairhearing.cases.access import NOT_FOUND
from fairhearing.cases.models import Assignment, Case, Complaint
from fairhearing.cases.services import NOT_ALLOWED_AT_STAGE
from fairhearing.conftest import make_user
from fairhearing.core.errors import CaseError
from fairhearing.ledger.models import Event, EventKind
from fairhearing.oversight.models import AccessAttempt
from fairhearing.workflow.services import case_assign

pytestmark = pytest.mark.django_db
ALL = ["complaints:submit", "cases:read", "cases:write"]

COMPLAINT: dict[str, Any] = {
    "complainant": {"full_name": "Priya Callender", "email": "priya@example.invalid"},
    "respondents": [{"full_name": "Rowan Ashby", "membership_number": "M4471"}],
    "allegation": {
        "allegation_type": "share",
        "category": "antisemitism",
        "description": "Re-shared a post blaming a minority.",
        "conduct_date": "2026-03-03",
    },
}


class Api:
    def __init__(self, token: str) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: Any = None, *, key: str = "", method: str = "post") -> Any:
        headers = {**self.headers, **({"Idempotency-Key": key} if key else {})}
        return getattr(self.client, method)(
            f"/api/v1{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers=headers,
        )


def api_for(user, scopes=ALL) -> Api:
    _, clear = api_token_create(actor=None, user=user, name="test", scopes=scopes)
    return Api(clear)


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message", "fields"}
    assert (body["error"]["status"], body["error"]["code"]) == (status, code)
    return body["error"]


def test_no_token_is_401_in_the_one_error_shape(organisation) -> None:
    assert_error(Client().get("/api/v1/cases"), 401, "unauthenticated")
    assert_error(Api("fh_not-a-token").get("/cases"), 401, "unauthenticated")


def test_a_revoked_token_stops_working(case_officer) -> None:
    token, clear = api_token_create(actor=None, user=case_officer, name="x", scopes=ALL)
    assert Api(clear).get("/cases").status_code == 200
    api_token_revoke(actor=None, token=token)
    assert_error(Api(clear).get("/cases"), 401, "unauthenticated")


def test_token_authentication_reads_what_the_orm_reads_in_one_statement(
    case_officer, django_assert_num_queries
) -> None:
    """The look-up is a statement written by hand (core.rows): the token, its user and the
    user's organisation come back as the ORM makes them, every field converted (times, JSON,
    encrypted fields), in one statement, and an inactive user's token is refused."""
    from django.test import RequestFactory

    from fairhearing.api.core import TokenAuth
    from fairhearing.api.models import ApiToken

    token, clear = api_token_create(actor=None, user=case_officer, name="x", scopes=ALL)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    request = RequestFactory().get("/api/v1/cases")
    with django_assert_num_queries(1):
        found = TokenAuth().authenticate(request, clear)
        assert found is not None
        user, organisation = found.user, found.user.organisation
    expected = ApiToken.objects.select_related("user__organisation").get(pk=token.pk)

    def fields(obj: Any) -> dict[str, Any]:
        return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}

    assert fields(found) == fields(expected)
    assert fields(user) == fields(expected.user)
    assert fields(organisation) == fields(expected.user.organisation)
    assert request.user == case_officer and sorted(found.scopes) == sorted(ALL)
    case_officer.is_active = False
    case_officer.save(update_fields=["is_active"])
    assert TokenAuth().authenticate(RequestFactory().get("/"), clear) is None


def test_a_missing_scope_is_403(case_officer) -> None:
    api = api_for(case_officer, scopes=["cases:read"])
    assert_error(api.post("/complaints", COMPLAINT), 403, "missing_scope")


def test_submitting_a_complaint(case_officer) -> None:
    response = api_for(case_officer).post("/complaints", COMPLAINT)
    assert response.status_code == 201
    body = response.json()
    complaint = Complaint.objects.get(reference=body["reference"])
    assert body["cases"] == [c.reference for c in complaint.cases.all()]
    assert body["acknowledged"] is True


def test_an_idempotency_key_replays_the_first_result(case_officer) -> None:
    api = api_for(case_officer)
    first = api.post("/complaints", COMPLAINT, key="submit-1")
    again = api.post("/complaints", COMPLAINT, key="submit-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Complaint.objects.count() == 1 and IdempotentRequest.objects.count() == 1
    other = {**COMPLAINT, "respondents": [{"full_name": "Tamsin Keogh"}]}
    assert_error(api.post("/complaints", other, key="submit-1"), 409, "idempotency_key_reused")
    assert Complaint.objects.count() == 1


def test_bad_input_gets_a_message_per_field_and_writes_nothing(case_officer) -> None:
    bad = {
        **COMPLAINT,
        "respondents": [],
        "allegation": {**COMPLAINT["allegation"], "description": ""},
    }
    error = assert_error(api_for(case_officer).post("/complaints", bad), 422, "validation_error")
    assert "respondents" in error["fields"] and "allegation.description" in error["fields"]
    future = {**COMPLAINT, "allegation": {**COMPLAINT["allegation"], "conduct_date": "2999-01-01"}}
    error = assert_error(api_for(case_officer).post("/complaints", future), 409, "refused")
    assert error["fields"] == {
        "allegation.conduct_date": ["The date must be today or in the past."]
    }
    unknown = {**COMPLAINT, "allegation": {**COMPLAINT["allegation"], "category": "nonsense"}}
    assert_error(api_for(case_officer).post("/complaints", unknown), 409, "refused")
    assert Complaint.objects.count() == 0


def test_malformed_json_is_a_clear_4xx(case_officer) -> None:
    api = api_for(case_officer)
    response = api.client.post(
        "/api/v1/complaints", "{not json", content_type="application/json", headers=api.headers
    )
    assert 400 <= response.status_code < 500
    assert "error" in response.json()


def test_cursor_pagination_visits_every_case_once(make_complaint, case_officer) -> None:
    for _ in range(23):
        make_complaint()
    api = api_for(case_officer)
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 10, **({"cursor": cursor} if cursor else {})}
        body = api.get("/cases", **params).json()
        seen += [item["reference"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert pages == 3 and len(seen) == len(set(seen)) == 23
    assert_error(api.get("/cases", cursor="garbage!"), 404, "bad_cursor")


def test_a_case_outside_need_to_know_is_404_and_recorded(case, organisation) -> None:
    investigator = make_user(organisation, "ivy", Role.INVESTIGATOR)  # not on the case team
    error = assert_error(api_for(investigator).get(f"/cases/{case.reference}"), 404, "not_found")
    assert error["message"] == NOT_FOUND
    assert AccessAttempt.objects.filter(case=case, user=investigator).count() == 1
    assert api_for(investigator).get("/cases").json()["items"] == []
    # Searching for it by reference is a refused attempt too, and the answer the same as for
    # a case that does not exist.
    found = api_for(investigator).get(f"/cases?search={case.reference}").json()
    nothing = api_for(investigator).get("/cases?search=FH-2026-99999").json()
    assert found == nothing == {"items": [], "next_cursor": None}
    search = AccessAttempt.objects.get(user=investigator, action="search")
    assert search.case == case and search.asked == f"search={case.reference}"


def test_office_holders_get_no_case_scopes_and_every_refusal_is_recorded(
    case, organisation
) -> None:
    governing = make_user(organisation, "gwen2", Role.GOVERNING_BODY)
    with pytest.raises(CaseError, match="cannot carry the scopes"):
        api_token_create(actor=None, user=governing, name="x", scopes=["cases:read"])
    # A token issued before the rule gets nothing from it: the same answer whether the case
    # exists or not, and each call in the register.
    clear = "fh_legacy-token-for-a-governing-body-member"
    ApiToken.objects.create(
        user=governing,
        name="old",
        prefix=clear[:10],
        token_sha256=token_hash(clear),
        scopes=["cases:read"],
    )
    client = Client(headers={"Authorization": f"Bearer {clear}"})
    answers = [
        client.get(f"/api/v1/cases/{reference}") for reference in (case.reference, "FH-2026-99999")
    ]
    assert [a.status_code for a in answers] == [403, 403]
    assert answers[0].json() == answers[1].json()
    listed = client.get("/api/v1/cases", {"search": "Rowan Ashby"})
    assert listed.status_code == 403
    attempts = AccessAttempt.objects.filter(user=governing, action="api").order_by("pk")
    assert [a.reference for a in attempts] == [case.reference, "FH-2026-99999", ""]
    assert attempts[2].asked == "search=Rowan Ashby" and attempts[2].path == "/api/v1/cases"


def test_a_transition_through_the_api_writes_its_event(case, case_officer) -> None:
    api = api_for(case_officer)
    response = api.post(
        f"/cases/{case.reference}/transitions",
        {"transition": "acknowledge", "reasons": "Letter sent.", "rule_applied": "R-02"},
    )
    assert response.status_code == 201
    assert response.json()["to_stage"] == "acknowledged"
    event = Event.objects.filter(kind=EventKind.CASE_TRANSITIONED, case_id=case.pk).get()
    assert event.actor_id == case_officer.pk
    error = assert_error(
        api.post(
            f"/cases/{case.reference}/transitions",
            {"transition": "refer_to_panel", "reasons": "x", "rule_applied": "y"},
        ),
        409,
        "refused",
    )
    assert error["message"] == NOT_ALLOWED_AT_STAGE.format(
        label="Charge decision: refer to a panel", stage="Acknowledged"
    )
    error = assert_error(
        api.post(f"/cases/{case.reference}/transitions", {"transition": "x"}),
        422,
        "validation_error",
    )
    assert set(error["fields"]) == {"reasons", "rule_applied"}


def test_detail_and_timeline(case, case_officer) -> None:
    api = api_for(case_officer)
    body = api.get(f"/cases/{case.reference}").json()
    assert body["reference"] == case.reference and body["actions"] == ["acknowledge"]
    assert body["parties"][0] == {
        "id": case.respondent_id,
        "full_name": "Rowan Ashby",
        "role": "respondent",
    }
    timeline = api.get(f"/cases/{case.reference}/timeline").json()
    assert [e["kind"] for e in timeline][:2] == ["case_opened", "deadline_opened"]


def test_team_and_deadline_operations(case, case_officer, investigator) -> None:
    api = api_for(case_officer)
    mine = api.post(
        f"/cases/{case.reference}/team", {"user_id": case_officer.pk, "role": "case_officer"}
    )
    assert mine.status_code == 201
    response = api.post(
        f"/cases/{case.reference}/team", {"user_id": investigator.pk, "role": "investigator"}
    )
    assert response.status_code == 201
    assert Assignment.objects.filter(case=case, user=investigator).exists()
    deadline = case.deadlines.get()
    pause = f"/cases/{case.reference}/deadlines/{deadline.pk}/pause"
    restart_on = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = api.post(pause, {"reasons": "Waiting.", "restart_on": restart_on})
    assert response.status_code == 201 and response.json()["status"] == "requested"
    stop = response.json()["id"]
    assert_error(api.post(pause, {"reasons": "x", "restart_on": restart_on}), 409, "refused")
    assert_error(api.post(pause, {"reasons": "x"}), 422, "validation_error")
    (listed,) = api.get(f"/cases/{case.reference}").json()["deadlines"]
    assert listed["clock_stop"]["id"] == stop and listed["clock_stop"]["status"] == "requested"
    decision = f"/cases/{case.reference}/clock-stops/{stop}/decision"
    # Whoever asked never approves their own pause; refused and recorded.
    assert_error(api.post(decision, {"decision": "approve", "reasons": "Mine."}), 403, "forbidden")
    assert AccessAttempt.objects.filter(user=case_officer, action="api").count() == 1
    response = api_for(investigator).post(decision, {"decision": "approve", "reasons": "Agreed."})
    assert response.status_code == 201 and response.json()["status"] == "stopped"
    deadline.refresh_from_db()
    assert deadline.status == "paused"


def test_oversight_register_is_for_oversight_only(case, organisation, case_officer) -> None:
    oversight = make_user(organisation, "odile", Role.OVERSIGHT)
    assert api_for(oversight).get("/oversight/register").status_code == 200
    assert_error(api_for(case_officer).get("/oversight/register"), 403, "forbidden")


def test_an_investigator_sees_only_assigned_cases(make_complaint, investigator) -> None:
    mine, other = make_complaint().cases.get(), make_complaint().cases.get()
    case_assign(actor=None, case=mine, user=investigator, role="investigator")
    items = api_for(investigator).get("/cases").json()["items"]
    assert [i["reference"] for i in items] == [mine.reference]
    assert api_for(investigator).get(f"/cases/{other.reference}").status_code == 404
    assert Case.objects.count() == 2


def test_the_schema_and_docs_are_served(organisation) -> None:
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/cases" in schema.json()["paths"]
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.content.decode().lower()  # assets are served locally


def test_the_token_command_creates_lists_and_revokes(case_officer, capsys) -> None:
    from django.core.management import call_command

    call_command(
        "api_token",
        "create",
        "--user",
        case_officer.username,
        "--name",
        "membership sync",
        "--scope",
        "cases:read",
    )
    clear = capsys.readouterr().out.strip()
    assert clear.startswith("fh_")
    assert Api(clear).get("/cases").status_code == 200
    call_command("api_token", "list")
    assert "membership sync" in capsys.readouterr().out
    call_command("api_token", "revoke", clear[:10])
    assert Api(clear).get("/cases").status_code == 401


def test_unknown_fields_and_parameters_are_refused_by_name(case, case_officer) -> None:
    api = api_for(case_officer)
    error = assert_error(
        api.post(
            f"/cases/{case.reference}/transitions",
            {"transition": "acknowledge", "reasons": "x", "rule_applied": "y", "reason": "typo"},
        ),
        422,
        "validation_error",
    )
    assert list(error["fields"]) == ["reason"]
    error = assert_error(api.get("/cases", stagee="received"), 422, "validation_error")
    assert error["fields"] == {"stagee": ["Unknown parameter."]}
    assert case.stage_changes.count() == 0
