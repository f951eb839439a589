"""Complaints accepted through the API with `Prefer: respond-async`: checked and given their
reference at once, recorded and acknowledged by the worker, followed by their status."""

import copy
import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fairhearing.accounts.models import Role
from fairhearing.api.models import ApiToken
from fairhearing.api.tests.test_api import COMPLAINT, Api, api_for, assert_error
from fairhearing.cases.models import Case, Complaint
from fairhearing.conftest import make_user
from fairhearing.deadlines.tasks import deadline_sweep_task
from fairhearing.intake.models import Submission
from fairhearing.intake.services import submissions_record, submissions_refused_purge
from fairhearing.intake.tasks import submissions_record_task
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify
from fairhearing.organisations.default_rulebook import DEFAULT_RULEBOOK
from fairhearing.organisations.services import rulebook_publish

pytestmark = pytest.mark.django_db
ASYNC = {"Prefer": "respond-async"}


def post_async(api: Api, body: dict[str, Any], *, key: str = "") -> Any:
    headers = {**api.headers, **ASYNC, **({"Idempotency-Key": key} if key else {})}
    return api.client.post(
        "/api/v1/complaints", body, content_type="application/json", headers=headers
    )


def with_respondent(name: str) -> dict[str, Any]:
    body = copy.deepcopy(COMPLAINT)
    body["respondents"] = [{"full_name": name}]
    return body


def test_accepted_at_once_with_its_reference_then_recorded_by_the_worker(
    case_officer, mailoutbox
) -> None:
    api = api_for(case_officer)
    events_before = Event.objects.count()
    response = post_async(api, COMPLAINT)
    assert response.status_code == 202, response.content
    body = response.json()
    reference = body["reference"]
    assert body == {
        "reference": reference,
        "status": "queued",
        "reason": "",
        "cases": [],
        "acknowledged": False,
    }
    assert reference.startswith("FHC-")
    assert response["Preference-Applied"] == "respond-async"
    assert response["Location"] == f"/api/v1/complaints/{reference}"
    # Safe in the database, encrypted; nothing recorded yet, and the ledger untouched.
    submission = Submission.objects.get(reference=reference)
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM intake_submission WHERE id = %s", [submission.pk])
        stored = cursor.fetchone()[0]
    assert "Priya" not in stored and "Rowan" not in stored
    assert submission.payload["complainant"]["full_name"] == "Priya Callender"
    assert not Complaint.objects.exists() and Event.objects.count() == events_before
    assert api.get(f"/complaints/{reference}").json()["status"] == "queued"
    assert mailoutbox == []

    assert submissions_record() == {"recorded": 1, "refused": 0}

    complaint = Complaint.objects.get(reference=reference)
    assert complaint.received_at == submission.received_at
    assert complaint.recorded_by == case_officer
    assert complaint.complainant.full_name == "Priya Callender"
    case = complaint.cases.get()
    assert case.respondent.full_name == "Rowan Ashby" and case.stage == "acknowledged"
    assert not Submission.objects.exists()
    (mail,) = mailoutbox
    assert reference in mail.subject and mail.to == ["priya@example.invalid"]
    received = Event.objects.get(kind=EventKind.COMPLAINT_RECEIVED)
    assert received.payload["reference"] == reference
    assert ledger_verify().ok
    status = api.get(f"/complaints/{reference}").json()
    assert status == {
        "reference": reference,
        "status": "recorded",
        "reason": "",
        "cases": [case.reference],
        "acknowledged": True,
    }


def test_the_queue_records_what_the_direct_path_records(case_officer, mailoutbox) -> None:
    api = api_for(case_officer)
    direct = api.post("/complaints", with_respondent("Tamsin Keogh")).json()["reference"]
    queued = post_async(api, with_respondent("Tamsin Keogh")).json()["reference"]
    submissions_record()

    def recorded(reference: str) -> dict[str, Any]:
        complaint = Complaint.objects.get(reference=reference)
        case = complaint.cases.get()
        kinds = list(
            Event.objects.filter(Q(payload__complaint=complaint.pk) | Q(case_id=case.pk))
            .order_by("seq")
            .values_list("kind", flat=True)
        )
        return {
            "kinds": kinds,
            "stage": case.stage,
            "channel": complaint.channel,
            "parties": sorted(case.parties.values_list("role", flat=True)),
            "deadlines": sorted(case.deadlines.values_list("kind", "status")),
            "allegations": list(case.allegations.values_list("allegation_type", "category")),
        }

    assert recorded(queued) == recorded(direct)
    assert len(mailoutbox) == 2
    assert ledger_verify().ok


def test_one_wake_up_waits_for_many_submissions(
    case_officer, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    api = api_for(case_officer)
    for name in ("Tamsin Keogh", "Rowan Ashby", "Efa Lindqvist"):
        with django_capture_on_commit_callbacks(execute=True):
            assert post_async(api, with_respondent(name)).status_code == 202
    waiting = DBTaskResult.objects.filter(
        task_path=submissions_record_task.module_path, status="READY"
    )
    assert waiting.count() == 1
    assert submissions_record(batch=2) == {"recorded": 3, "refused": 0}
    assert Complaint.objects.count() == 3 and not Submission.objects.exists()


def test_what_recording_would_refuse_is_refused_on_acceptance(case_officer) -> None:
    api = api_for(case_officer)
    unknown = copy.deepcopy(COMPLAINT)
    unknown["allegation"]["category"] = "nonsense"
    assert_error(post_async(api, unknown), 409, "refused")
    bad_email = copy.deepcopy(COMPLAINT)
    bad_email["complainant"]["email"] = "not an address"
    error = assert_error(post_async(api, bad_email), 409, "refused")
    assert "email" in error["fields"]
    bad_url = copy.deepcopy(COMPLAINT)
    bad_url["allegation"]["url"] = "javascript:alert(1)"
    assert_error(post_async(api, bad_url), 409, "refused")
    assert not Submission.objects.exists()
    # No reference spent: the next one accepted is the first.
    assert post_async(api, COMPLAINT).json()["reference"] == f"FHC-{timezone.now().year}-00001"
    assert Submission.objects.count() == 1


def test_one_refused_when_recorded_keeps_its_reason_and_the_rest_are_recorded(
    case_officer, organisation, mailoutbox
) -> None:
    api = api_for(case_officer)
    doomed = post_async(api, COMPLAINT).json()["reference"]
    other = copy.deepcopy(COMPLAINT)
    other["allegation"]["category"] = "bullying"
    fine = post_async(api, other).json()["reference"]
    # The category leaves the rulebook between acceptance and recording.
    definition = copy.deepcopy(DEFAULT_RULEBOOK)
    definition["categories"] = [c for c in definition["categories"] if c["key"] != "antisemitism"]
    rulebook_publish(actor=None, organisation=organisation, definition=definition)

    assert submissions_record() == {"recorded": 1, "refused": 1}

    assert Complaint.objects.filter(reference=fine).exists()
    assert not Complaint.objects.filter(reference=doomed).exists()
    status = api.get(f"/complaints/{doomed}").json()
    assert status["status"] == "refused" and "category" in status["reason"].lower()
    assert Submission.objects.get().reference == doomed
    assert len(mailoutbox) == 1
    assert submissions_record() == {"recorded": 0, "refused": 0}  # not tried again
    assert ledger_verify().ok
    # Kept 30 days for its sender to read, then deleted: it holds people's details.
    received = Submission.objects.get().received_at
    assert submissions_refused_purge(now=received + dt.timedelta(days=29)) == 0
    assert submissions_refused_purge(now=received + dt.timedelta(days=31)) == 1
    assert not Submission.objects.exists()


def test_only_the_submitting_account_follows_a_complaint(case_officer, organisation) -> None:
    reference = post_async(api_for(case_officer), COMPLAINT).json()["reference"]
    colleague = make_user(organisation, "cerys", Role.CASE_OFFICER)
    stranger = api_for(colleague)
    assert_error(stranger.get(f"/complaints/{reference}"), 404, "not_found")
    assert_error(api_for(case_officer).get("/complaints/FHC-2026-99999"), 404, "not_found")
    submissions_record()
    assert_error(stranger.get(f"/complaints/{reference}"), 404, "not_found")
    assert_error(
        api_for(case_officer, scopes=["cases:read"]).get(f"/complaints/{reference}"),
        403,
        "missing_scope",
    )


def test_an_idempotency_key_replays_the_acceptance(case_officer) -> None:
    api = api_for(case_officer)
    first = post_async(api, COMPLAINT, key="campaign-1")
    again = post_async(api, COMPLAINT, key="campaign-1")
    assert first.status_code == again.status_code == 202
    assert first.json() == again.json()
    assert Submission.objects.count() == 1


def test_the_sweep_records_what_no_wake_up_reached(case_officer) -> None:
    # Without the commit's callbacks, no wake-up is queued (as if a worker had stopped).
    reference = post_async(api_for(case_officer), COMPLAINT).json()["reference"]
    assert not DBTaskResult.objects.exists()
    result = deadline_sweep_task.call()
    assert result["submissions_recorded"] == 1
    assert Case.objects.filter(complaints__reference=reference).exists()


def test_a_token_records_its_last_use_to_the_minute(case_officer) -> None:
    api = api_for(case_officer)
    token = ApiToken.objects.get()
    with time_machine.travel(dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC), tick=False):
        api.get("/cases")
        token.refresh_from_db()
        assert token.last_used_at == dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(dt.datetime(2026, 5, 4, 10, 0, 59, tzinfo=dt.UTC), tick=False):
        api.get("/cases")
        token.refresh_from_db()
        assert token.last_used_at == dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(dt.datetime(2026, 5, 4, 10, 1, tzinfo=dt.UTC), tick=False):
        api.get("/cases")
        token.refresh_from_db()
        assert token.last_used_at == dt.datetime(2026, 5, 4, 10, 1, tzinfo=dt.UTC)


def test_an_acknowledgement_owed_is_sent_once_and_only_when_its_worker_is_gone(
    make_complaint, case_officer, organisation, mailoutbox
) -> None:
    from fairhearing.intake.services import acknowledgements_owed_send
    from fairhearing.worker import services as worker

    complaint = make_complaint()  # recorded, not yet acknowledged
    mailoutbox.clear()
    worker.worker_register(worker_id="w1")
    Submission.objects.create(
        organisation=organisation,
        submitted_by=case_officer,
        reference=complaint.reference,
        received_at=complaint.received_at,
        payload={},
        status=Submission.Status.RECORDED,
        recorded_at=timezone.now() - dt.timedelta(hours=1),
        recorded_by_worker="w1",
    )
    assert acknowledgements_owed_send() == 0  # w1 is alive: it is sending it
    assert mailoutbox == []
    worker.worker_stopped(worker_id="w1")
    assert acknowledgements_owed_send() == 1
    assert [m.to for m in mailoutbox] == [["priya@example.invalid"]]
    assert mailoutbox[0].extra_headers["Message-ID"] == (
        f"<acknowledgement.{complaint.pk}@127.0.0.1>"
    )
    assert not Submission.objects.exists()
    assert acknowledgements_owed_send() == 0 and len(mailoutbox) == 1
