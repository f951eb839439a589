"""File notes: the case team writes them, oversight reads them, nobody else sees them, and
the parties read one only once it is shared with them (a recorded decision)."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from fairhearing.accounts.models import Role
from fairhearing.conftest import make_user, signed_in, walk
from fairhearing.core.errors import CaseError
from fairhearing.dataprotection.retention import REMOVED, case_anonymise
from fairhearing.dataprotection.subject_access import collect
from fairhearing.evidence.services import Upload, bundle_make, evidence_add_file
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify
from fairhearing.notes import services
from fairhearing.notes.models import FileNote
from fairhearing.oversight.models import AccessAttempt
from fairhearing.portal.tests.test_portal_evidence import party_client

pytestmark = pytest.mark.django_db

INTERNAL = "Branch secretary says the respondent has been warned informally before."
SHARED = "We have asked the branch for the minutes of the 3 March meeting."


def test_a_note_is_recorded_with_a_hash_of_its_text_never_the_text(on_team, case_officer):
    note = services.note_add(actor=case_officer, case=on_team, text=f"  {INTERNAL}\n")
    assert note.text == INTERNAL and note.author == case_officer
    [event] = Event.objects.filter(kind=EventKind.FILE_NOTE_ADDED)
    assert event.case_id == on_team.pk and event.actor_id == case_officer.pk
    assert event.payload == {"note": note.pk, "text_sha256": content_hash(INTERNAL)}
    assert "warned" not in event.canonical
    assert ledger_verify().ok


def test_an_empty_note_is_refused_and_nothing_is_written(on_team, case_officer):
    with pytest.raises(CaseError, match=services.NEEDS_TEXT):
        services.note_add(actor=case_officer, case=on_team, text=" \n ")
    assert not FileNote.objects.exists()
    assert not Event.objects.filter(kind=EventKind.FILE_NOTE_ADDED).exists()


def test_a_closed_case_still_takes_notes(case, case_officer):
    closed = walk(case, case_officer, "acknowledge", "begin_assessment", "assess_no_further_action")
    assert closed.is_closed
    assert services.note_add(actor=case_officer, case=closed, text="The complainant rang.")


def test_sharing_is_a_decision_with_reasons_made_once(on_team, case_officer):
    note = services.note_add(actor=case_officer, case=on_team, text=SHARED)
    with pytest.raises(CaseError, match=services.NEEDS_REASONS):
        services.note_disclose(actor=case_officer, note=note, audience="respondent", reasons=" ")
    with pytest.raises(CaseError, match=services.NEEDS_AUDIENCE):
        services.note_disclose(actor=case_officer, note=note, audience="panel", reasons="Asked.")
    services.note_disclose(
        actor=case_officer, note=note, audience="respondent", reasons="They asked what we did."
    )
    note.refresh_from_db()
    assert note.is_disclosed and note.disclosed_to == "respondent"
    assert note.disclosed_by == case_officer
    [event] = Event.objects.filter(kind=EventKind.FILE_NOTE_DISCLOSED)
    assert event.payload == {
        "note": note.pk,
        "to": "respondent",
        "text_sha256": content_hash(SHARED),
        "reasons_sha256": content_hash("They asked what we did."),
    }
    with pytest.raises(CaseError, match="a note is shared once"):
        services.note_disclose(actor=case_officer, note=note, audience="parties", reasons="Again.")
    assert Event.objects.filter(kind=EventKind.FILE_NOTE_DISCLOSED).count() == 1


# -- pages and who reaches them --------------------------------------------------------------


def test_the_officer_adds_a_note_from_the_case_page(on_team, case_officer):
    client = signed_in(case_officer)
    page = client.get(reverse("cases:detail", args=[on_team.reference])).content.decode()
    assert 'href="#file-notes"' in page and "No file notes yet." in page
    response = client.post(reverse("notes:add", args=[on_team.reference]), {"text": INTERNAL})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/cases/{on_team.reference}/#file-notes")
    page = client.get(reverse("cases:detail", args=[on_team.reference])).content.decode()
    assert INTERNAL in page and "Share with the parties" in page


def test_an_empty_note_shows_the_error_summary(on_team, case_officer):
    response = signed_in(case_officer).post(
        reverse("notes:add", args=[on_team.reference]), {"text": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Write the note." in html
    assert 'href="#note-text"' in html


def test_the_officer_shares_a_note_with_reasons(on_team, case_officer):
    note = services.note_add(actor=case_officer, case=on_team, text=SHARED)
    client = signed_in(case_officer)
    url = reverse("notes:disclose", args=[on_team.reference, note.pk])
    assert "Share the note" in client.get(url).content.decode()
    response = client.post(url, {"audience": "parties", "reasons": "Both parties asked."})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.disclosed_to == "parties"
    page = client.get(reverse("cases:detail", args=[on_team.reference])).content.decode()
    assert "with the respondent and the complainants" in page
    # Shared once: the page says so, with no form.
    assert "Share the note" not in client.get(url).content.decode()


def test_oversight_reads_the_notes_without_forms(on_team, case_officer, organisation):
    services.note_add(actor=case_officer, case=on_team, text=INTERNAL)
    oversight = signed_in(make_user(organisation, "odile", Role.OVERSIGHT))
    page = oversight.get(reverse("cases:detail", args=[on_team.reference])).content.decode()
    assert INTERNAL in page
    assert reverse("notes:add", args=[on_team.reference]) not in page
    assert "Share with the parties" not in page
    listed = oversight.get(reverse("notes:list", args=[on_team.reference]))
    assert listed.status_code == 200 and INTERNAL in listed.content.decode()
    assert oversight.get(reverse("notes:add", args=[on_team.reference])).status_code == 404


def test_a_panel_member_opens_the_case_but_never_its_notes(case, case_officer, panel_member):
    services.note_add(actor=case_officer, case=case, text=INTERNAL)
    client = signed_in(panel_member)
    page = client.get(reverse("cases:detail", args=[case.reference]))
    assert page.status_code == 200
    assert INTERNAL not in page.content.decode()
    assert 'href="#file-notes"' not in page.content.decode()
    before = AccessAttempt.objects.count()
    for name in ("notes:list", "notes:add"):
        assert client.get(reverse(name, args=[case.reference])).status_code == 404
    response = client.post(reverse("notes:add", args=[case.reference]), {"text": "Mine."})
    assert response.status_code == 404
    assert AccessAttempt.objects.count() == before + 3
    assert FileNote.objects.count() == 1


@pytest.mark.parametrize("role", [Role.GOVERNING_BODY, Role.ADMINISTRATOR])
def test_governing_body_and_administrators_reach_no_notes(on_team, case_officer, role):
    note = services.note_add(actor=case_officer, case=on_team, text=INTERNAL)
    client = signed_in(make_user(on_team.organisation, "someone", role))
    before = AccessAttempt.objects.count()
    for url in (
        reverse("notes:list", args=[on_team.reference]),
        reverse("notes:add", args=[on_team.reference]),
        reverse("notes:disclose", args=[on_team.reference, note.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404 and INTERNAL not in response.content.decode()
    assert AccessAttempt.objects.count() == before + 3


def test_an_investigator_off_the_team_reaches_no_notes(on_team, case_officer, investigator):
    services.note_add(actor=case_officer, case=on_team, text=INTERNAL)
    response = signed_in(investigator).get(reverse("notes:list", args=[on_team.reference]))
    assert response.status_code == 404


# -- what the parties see --------------------------------------------------------------------


def test_the_respondent_reads_shared_notes_only(on_team, case_officer):
    services.note_add(actor=case_officer, case=on_team, text=INTERNAL)
    shared = services.note_add(actor=case_officer, case=on_team, text=SHARED)
    client = party_client(on_team, on_team.respondent, case_officer)
    page = client.get(reverse("portal:case", args=[on_team.reference])).content.decode()
    assert INTERNAL not in page and SHARED not in page
    assert "Notes the case team has shared with you" not in page

    services.note_disclose(
        actor=case_officer, note=shared, audience="respondent", reasons="They asked."
    )
    page = client.get(reverse("portal:case", args=[on_team.reference])).content.decode()
    assert "Notes the case team has shared with you" in page
    assert SHARED in page and INTERNAL not in page


def test_a_note_shared_with_the_respondent_is_not_shown_to_the_complainant(on_team, case_officer):
    note = services.note_add(actor=case_officer, case=on_team, text=SHARED)
    services.note_disclose(actor=case_officer, note=note, audience="respondent", reasons="Asked.")
    complainant = on_team.parties.get(role="complainant").person
    client = party_client(on_team, complainant, case_officer)
    page = client.get(reverse("portal:case", args=[on_team.reference])).content.decode()
    assert SHARED not in page


def test_the_hearing_bundle_holds_no_note(on_team, case_officer):
    evidence_add_file(actor=case_officer, case=on_team, upload=Upload("a.txt", b"Minutes."))
    services.note_add(actor=case_officer, case=on_team, text=INTERNAL)
    shared = services.note_add(actor=case_officer, case=on_team, text=SHARED)
    services.note_disclose(actor=case_officer, note=shared, audience="parties", reasons="Asked.")
    for audience in ("panel", "respondent"):
        pdf = bundle_make(actor=case_officer, case=on_team, audience=audience).pdf
        text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
        assert on_team.reference in text
        assert "warned informally" not in text and "minutes of the 3 March" not in text


def test_subject_access_holds_the_shared_notes_only(on_team, case_officer):
    services.note_add(actor=case_officer, case=on_team, text=INTERNAL)
    shared = services.note_add(actor=case_officer, case=on_team, text=SHARED)
    services.note_disclose(actor=case_officer, note=shared, audience="respondent", reasons="Asked.")
    [entry] = collect(on_team.respondent)["cases"]
    assert [n["text"] for n in entry["notes_shared_with_you"]] == [SHARED]
    complainant = on_team.parties.get(role="complainant").person
    [entry] = collect(complainant)["cases"]
    assert entry["notes_shared_with_you"] == []


def test_anonymisation_removes_the_notes_text(case, case_officer):
    closed = walk(case, case_officer, "acknowledge", "begin_assessment", "assess_no_further_action")
    note = services.note_add(actor=case_officer, case=closed, text=INTERNAL)
    services.note_disclose(actor=case_officer, note=note, audience="parties", reasons="Asked.")
    record = case_anonymise(actor=None, case=closed)
    note.refresh_from_db()
    assert note.text == REMOVED and note.disclosure_reasons == REMOVED
    assert record.counts["file_notes"] == 1
    assert ledger_verify().ok
