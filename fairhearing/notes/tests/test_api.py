"""File notes and checklists on the JSON API: the pages' access and services, one error
shape."""

import pytest

from fairhearing.accounts.models import Role
from fairhearing.api.tests.test_api import api_for, assert_error
from fairhearing.conftest import make_user
from fairhearing.ledger.models import Event, EventKind
from fairhearing.notes.models import FileNote

pytestmark = pytest.mark.django_db

TEXT = "Rang the branch secretary about the minutes."


def test_the_case_team_adds_lists_and_shares_a_note(on_team, case_officer):
    api = api_for(case_officer)
    added = api.post(f"/cases/{on_team.reference}/notes", {"text": TEXT})
    assert added.status_code == 201, added.content
    note = added.json()
    assert note["text"] == TEXT and note["author"] == "Olwen Tarrant"
    assert note["shared_with"] == "" and note["shared_at"] is None
    assert [n["id"] for n in api.get(f"/cases/{on_team.reference}/notes").json()] == [note["id"]]

    url = f"/cases/{on_team.reference}/notes/{note['id']}/share"
    shared = api.post(url, {"audience": "respondent", "reasons": "They asked."})
    assert shared.status_code == 200 and shared.json()["shared_with"] == "respondent"
    again = api.post(url, {"audience": "parties", "reasons": "Again."})
    assert "a note is shared once" in assert_error(again, 409, "refused")["message"]


def test_a_blank_note_is_a_validation_error(on_team, case_officer):
    response = api_for(case_officer).post(f"/cases/{on_team.reference}/notes", {"text": "  "})
    assert_error(response, 422, "validation_error")
    assert not FileNote.objects.exists()


def test_oversight_reads_the_notes_but_cannot_write_one(on_team, case_officer, organisation):
    api_for(case_officer).post(f"/cases/{on_team.reference}/notes", {"text": TEXT})
    oversight = api_for(make_user(organisation, "odile", Role.OVERSIGHT))
    assert [n["text"] for n in oversight.get(f"/cases/{on_team.reference}/notes").json()] == [TEXT]
    refused = oversight.post(f"/cases/{on_team.reference}/notes", {"text": "Mine."})
    assert_error(refused, 404, "not_found")


def test_a_panel_member_reads_no_notes(case, case_officer, panel_member):
    api_for(case_officer).post(f"/cases/{case.reference}/notes", {"text": TEXT})
    response = api_for(panel_member).get(f"/cases/{case.reference}/notes")
    assert_error(response, 404, "not_found")


def test_the_checklist_is_read_and_ticked(on_team, case_officer):
    api = api_for(case_officer)
    checks = api.get(f"/cases/{on_team.reference}/checklist").json()
    assert [(c["key"], c["done"]) for c in checks][:1] == [("notice_sent", False)]
    url = f"/cases/{on_team.reference}/checklist/notice_sent"
    ticked = api.post(url, {"done": True}, method="put")
    assert ticked.status_code == 200 and ticked.json()["id"]
    assert api.post(url, {"done": True}, method="put").json()["id"] is None
    checks = api.get(f"/cases/{on_team.reference}/checklist").json()
    assert checks[0]["done"] and checks[0]["done_by"] == "Olwen Tarrant"
    assert Event.objects.filter(kind=EventKind.CHECKLIST_TICKED).count() == 1
    unknown = api.post(
        f"/cases/{on_team.reference}/checklist/bundle_sent", {"done": True}, method="put"
    )
    assert_error(unknown, 409, "refused")
