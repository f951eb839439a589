"""Retention (R-61): anonymisation after the rulebook period, legal holds, the ledger intact."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from fairhearing.api.tests.test_api import api_for, assert_error
from fairhearing.cases.models import Allegation, Case, Complaint
from fairhearing.cases.queries import search_matches
from fairhearing.compliance.models import Condition
from fairhearing.conftest import make_user, signed_in
from fairhearing.core.tests.test_crypto import dump
from fairhearing.dataprotection.models import Anonymisation, LegalHold
from fairhearing.dataprotection.retention import (
    ANONYMISED_NAME,
    REMOVED,
    case_anonymise,
    retention_due,
    retention_run,
)
from fairhearing.dataprotection.services import (
    DataProtectionError,
    legal_hold_lift,
    legal_hold_place,
    legal_hold_review,
)
from fairhearing.deadlines.tasks import deadline_sweep_task
from fairhearing.evidence.models import Blob, EvidenceItem
from fairhearing.evidence.services import Upload, blob_store
from fairhearing.evidence.storage import blob_path
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify
from fairhearing.people.models import NameToken, Person, person_hash
from fairhearing.people.services import affiliation_record
from fairhearing.portal.models import Message, Reply

from .conftest import COMPLAINANT, DESCRIPTION, RESPONDENT, SUMMARY, record

SECRETS = [
    COMPLAINANT.full_name,
    RESPONDENT.full_name,
    COMPLAINANT.email,
    RESPONDENT.email,
    "Ysolde",
    "Tobiah",
]


def later(days: int = 1) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def plaintext_of_everything() -> str:
    """What the application itself can still read: every row through the models, decrypted."""
    from django.apps import apps

    parts = [dump()]
    for model in apps.get_models():
        if model._meta.app_label in {"ledger"}:
            continue
        for row in model._default_manager.all().values():
            parts.append(repr(row))
    return "\n".join(parts)


def test_a_closed_case_is_kept_for_the_retention_period(closed_case) -> None:
    assert closed_case.is_closed
    assert not retention_due().exists()
    assert retention_run().anonymised == []


def test_after_the_period_personal_data_goes_and_the_facts_stay(
    closed_case, django_capture_on_commit_callbacks
) -> None:
    item = EvidenceItem.objects.get(case=closed_case)
    file = blob_path(item.sha256)
    assert file.exists()
    before = Case.objects.values(
        "category", "stage", "opened_at", "closed_at", "outcome", "sanction"
    ).get(pk=closed_case.pk)
    respondent_id, complainant_id = closed_case.respondent_id, closed_case.parties.get().person_id
    affiliation_record(
        actor=None,
        person=closed_case.respondent,
        kind="faction",
        name="Quillmoor Unity Caucus",
        source="Tamsin's list of supporters",
        source_date=dt.date(2026, 1, 14),
    )
    later_now = closed_case.closed_at + dt.timedelta(days=6 * 366)
    assert list(retention_due(now=later_now)) == [closed_case]
    # Found by part of a name before: the blind index holds both people.
    organisation_id = closed_case.organisation_id
    assert closed_case.pk in search_matches("tobi grun", organisation_id=organisation_id)
    assert closed_case.pk in search_matches("YSOLDE", organisation_id=organisation_id)
    with pytest.raises(AssertionError):
        for secret in SECRETS:
            assert secret not in plaintext_of_everything()

    with django_capture_on_commit_callbacks(execute=True):  # files go when the rows have
        result = retention_run(now=later_now)

    assert result.anonymised == [closed_case.reference]
    text = plaintext_of_everything()
    for secret in (*SECRETS, "Quillmoor Unity", "Tamsin's list"):
        assert secret.lower() not in text.lower(), secret
    # Facts for statistics stay.
    assert (
        Case.objects.values(
            "category", "stage", "opened_at", "closed_at", "outcome", "sanction"
        ).get(pk=closed_case.pk)
        == before
    )
    assert Allegation.objects.get(case=closed_case).category == "bullying"
    assert Allegation.objects.get(case=closed_case).description == REMOVED
    assert Complaint.objects.get(cases=closed_case).summary == REMOVED
    assert Message.objects.get(case=closed_case).body == REMOVED
    assert Reply.objects.get(case=closed_case).text == REMOVED
    for pk in (respondent_id, complainant_id):
        person = Person.objects.get(pk=pk)
        assert person.full_name == ANONYMISED_NAME and person.email == ""
        assert person.membership_number == "" and person.anonymised_at is not None
        assert person.membership_number_hash == "" and person.email_hash == ""
    assert not Person.objects.filter(
        membership_number_hash=person_hash("membership_number", "NCL-2002")
    ).exists()
    # Out of the blind index: not found by part of their names, nor of "Anonymised person".
    assert not NameToken.objects.filter(person_id__in=[respondent_id, complainant_id]).exists()
    for words in ("tobi grun", "YSOLDE", "anonymised"):
        assert closed_case.pk not in search_matches(words, organisation_id=organisation_id)
    # Evidence: rows, blob and file gone; the ledger keeps the item's id and hash.
    assert not EvidenceItem.objects.filter(case=closed_case).exists()
    assert not Blob.objects.filter(sha256=item.sha256).exists()
    assert not file.exists()
    event = Event.objects.get(kind=EventKind.CASE_ANONYMISED, case_id=closed_case.pk)
    assert [item.pk, item.sha256] in event.payload["evidence_items"]
    assert sorted(event.payload["people"]) == sorted([respondent_id, complainant_id])
    assert Anonymisation.objects.get(case=closed_case).counts["people"] == 2
    # The ledger never held names: it still verifies.
    assert ledger_verify().ok
    out: list[str] = []
    call_command("ledger", "verify", "--quiet", stdout=_Writer(out))
    assert "OK" in "".join(out)
    # Done once: the next run has nothing to do, and anonymising again is refused.
    assert retention_run(now=later_now).due == []
    with pytest.raises(Exception, match="already"):
        case_anonymise(actor=None, case=closed_case)


class _Writer:
    def __init__(self, out: list[str]) -> None:
        self.out = out

    def write(self, text: str) -> None:
        self.out.append(text)

    def flush(self) -> None:
        pass


def test_a_person_in_a_live_case_keeps_their_record(
    closed_case, organisation, case_officer
) -> None:
    live = record(organisation, case_officer)  # the same two people, a new open case
    assert live.respondent_id == closed_case.respondent_id
    case_anonymise(
        actor=None, case=closed_case, now=closed_case.closed_at + dt.timedelta(days=2300)
    )
    respondent = Person.objects.get(pk=live.respondent_id)
    assert respondent.full_name == RESPONDENT.full_name and respondent.anonymised_at is None
    # The closed case's own text went all the same; the live case's did not.
    assert Allegation.objects.get(case=closed_case).description == REMOVED
    assert Allegation.objects.get(case=live).description == DESCRIPTION
    assert Complaint.objects.get(cases=live).summary == SUMMARY


def test_a_legal_hold_keeps_the_case_until_lifted(closed_case, case_officer) -> None:
    later_now = closed_case.closed_at + dt.timedelta(days=6 * 366)
    hold = legal_hold_place(
        actor=case_officer,
        case=closed_case,
        reasons="Employment tribunal claim.",
        review_on=later(90),
    )
    assert retention_run(now=later_now, dry_run=True).due == []
    assert retention_run(now=later_now).anonymised == []
    with pytest.raises(DataProtectionError, match="already on legal hold"):
        legal_hold_place(actor=case_officer, case=closed_case, reasons="Again.", review_on=later(9))
    hold = legal_hold_review(
        actor=case_officer, hold=hold, reasons="Claim still running.", review_on=later(180)
    )
    assert hold.review_on == later(180) and hold.reviewed_by == case_officer
    legal_hold_lift(actor=case_officer, hold=hold, reasons="Tribunal decided.")
    with pytest.raises(DataProtectionError, match="lifted already"):
        legal_hold_lift(actor=case_officer, hold=hold, reasons="Again.")
    assert retention_run(now=later_now, dry_run=True).due == [closed_case.reference]
    assert not Anonymisation.objects.exists()  # a dry run changes nothing
    assert retention_run(now=later_now).anonymised == [closed_case.reference]
    kinds = list(
        Event.objects.filter(case_id=closed_case.pk, kind__gte=130, kind__lt=140)
        .order_by("seq")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        EventKind.LEGAL_HOLD_PLACED,
        EventKind.LEGAL_HOLD_REVIEWED,
        EventKind.LEGAL_HOLD_LIFTED,
        EventKind.CASE_ANONYMISED,
    ]
    payloads = " ".join(
        str(p)
        for p in Event.objects.filter(case_id=closed_case.pk).values_list("payload", flat=True)
    )
    assert "tribunal" not in payloads.lower()  # reasons as hashes only
    with pytest.raises(DataProtectionError, match="anonymised"):
        legal_hold_place(actor=case_officer, case=closed_case, reasons="Late.", review_on=later())


def test_hold_needs_reasons_and_a_future_review(case, case_officer) -> None:
    with pytest.raises(DataProtectionError, match="reasons"):
        legal_hold_place(actor=case_officer, case=case, reasons=" ", review_on=later())
    with pytest.raises(DataProtectionError, match="future"):
        legal_hold_place(actor=case_officer, case=case, reasons="Claim.", review_on=later(0))
    assert not LegalHold.objects.exists()


def test_open_cases_are_never_anonymised(case) -> None:
    with pytest.raises(Exception, match="closed"):
        case_anonymise(actor=None, case=case)


def test_the_command_and_the_worker_sweep(closed_case, years_later) -> None:
    out: list[str] = []
    call_command("retention", "run", "--dry-run", stdout=_Writer(out))
    assert f"{closed_case.reference}: due" in "".join(out)
    assert not Anonymisation.objects.exists()
    result = deadline_sweep_task.call()
    assert result["anonymised"] == 1
    assert Anonymisation.objects.filter(case=closed_case).exists()
    out.clear()
    call_command("retention", "run", stdout=_Writer(out))
    assert "0 case(s) anonymised." in "".join(out)


def test_hold_pages(closed_case, case_officer, investigator) -> None:
    client = signed_in(case_officer)
    url = reverse("dataprotection:hold", args=[closed_case.reference])
    page = client.get(url)
    assert page.status_code == 200 and b"Place the hold" in page.content
    response = client.post(url, {"reasons": "", "review_on": ""})
    assert response.status_code == 400 and b"Give the reasons." in response.content
    response = client.post(url, {"reasons": "Tribunal claim.", "review_on": later(30).isoformat()})
    assert response.status_code == 302
    assert LegalHold.objects.get(case=closed_case).is_active
    review = reverse("dataprotection:hold_review", args=[closed_case.reference])
    response = client.post(review, {"reasons": "Still needed.", "review_on": later(60).isoformat()})
    assert response.status_code == 302
    lift = reverse("dataprotection:hold_lift", args=[closed_case.reference])
    assert client.post(lift, {"reasons": "Over."}).status_code == 302
    assert not LegalHold.objects.get(case=closed_case).is_active
    assert client.get(lift).status_code == 302  # nothing to lift now
    # An investigator who is not on the case team is refused like a missing case.
    assert signed_in(investigator).get(url).status_code == 404


def test_hold_api(closed_case, case_officer) -> None:
    api = api_for(case_officer)
    ref = closed_case.reference
    created = api.post(
        f"/cases/{ref}/legal-holds",
        {"reasons": "Tribunal claim.", "review_on": later(30).isoformat()},
        key="hold-1",
    )
    assert created.status_code == 201, created.content
    assert_error(
        api.post(f"/cases/{ref}/legal-holds", {"reasons": "x", "review_on": later(9).isoformat()}),
        409,
        "refused",
    )
    reviewed = api.post(
        f"/cases/{ref}/legal-holds/review",
        {"reasons": "Still.", "review_on": later(60).isoformat()},
    )
    assert reviewed.status_code == 201 and reviewed.json()["review_on"] == later(60).isoformat()
    lifted = api.post(f"/cases/{ref}/legal-holds/lift", {"reasons": "Over."})
    assert lifted.status_code == 201 and lifted.json()["lifted_at"]
    listed = api.get(f"/cases/{ref}/legal-holds")
    assert [h["id"] for h in listed.json()] == [created.json()["id"]]


def test_dump_after_anonymisation_has_no_ciphertext_of_names_either(closed_case, settings) -> None:
    """After anonymisation even the key holder cannot recover the names (not just encrypted)."""
    case_anonymise(
        actor=None, case=closed_case, now=closed_case.closed_at + dt.timedelta(days=2300)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM people_person")
        from fairhearing.core.crypto import decrypt

        names = {decrypt(v) for (v,) in cursor.fetchall()}
    assert names == {ANONYMISED_NAME}


def test_a_sanctions_proof_goes_with_the_evidence(
    closed_case, django_capture_on_commit_callbacks
) -> None:
    """What showed a condition was complied with is personal data like the evidence: the
    note and the file go; what was asked, its date and its status stay."""
    blob, name = blob_store(Upload(name="certificate.txt", data=b"Course certificate, R. Ashby"))
    condition = Condition.objects.create(
        case=closed_case,
        sanction="mandatory_education",
        kind="course",
        description="Complete the equality and conduct course",
        due_on=dt.date(2026, 5, 1),
        status="complied",
        finished_at=timezone.now(),
        finish_note="Certificate of Rowan Ashby, seen.",
        proof=blob,
        proof_name=name,
    )
    with django_capture_on_commit_callbacks(execute=True):
        case_anonymise(actor=None, case=closed_case)
    condition.refresh_from_db()
    assert (condition.finish_note, condition.proof, condition.proof_name) == (REMOVED, None, "")
    assert (condition.description, condition.status) == (
        "Complete the equality and conduct course",
        "complied",
    )
    assert not Blob.objects.filter(sha256=blob.sha256).exists()
    assert not blob_path(blob.sha256).exists()


def test_captures_and_redacted_copies_go_with_the_evidence(
    closed_case, django_capture_on_commit_callbacks
) -> None:
    """A capture's record and files (HTML, WARC), its request, and a redacted copy hang on
    their item: anonymising the case removes them with it, and the files nothing else uses."""
    from fairhearing.evidence.models import CaptureRequest, Redaction, WebCapture
    from fairhearing.evidence.services import blob_keep

    officer = make_user(closed_case.organisation, "cato", "case_officer")
    # Made directly: evidence is not added to a closed case.
    item = EvidenceItem.objects.create(
        case=closed_case,
        number=99,
        kind="post",
        source="staff",
        url="https://x.com/a/1",
        captured_text="Post by R. Ashby",
        sha256="0" * 64,
    )
    html = blob_keep(b"<p>Post by R. Ashby</p>", content_type="text/html")
    warc = blob_keep(b"WARC/1.1 R. Ashby", content_type="application/warc")
    copy = blob_keep(b"Post by [withheld]", content_type="text/plain")
    WebCapture.objects.create(
        item=item,
        requested_url="https://x.com/a/1",
        final_url="https://x.com/a/1",
        http_status=200,
        html_blob=html,
        warc_blob=warc,
        browser_version="1",
        software="test",
    )
    CaptureRequest.objects.create(
        case=closed_case, url="https://x.com/a/1", requested_by=officer, item=item
    )
    Redaction.objects.create(
        item=item,
        phrases=["R. Ashby"],
        reasons="Id.",
        blob=copy,
        sha256=copy.sha256,
        decided_by=officer,
    )
    with django_capture_on_commit_callbacks(execute=True):
        case_anonymise(actor=None, case=closed_case)
    assert not EvidenceItem.objects.filter(case=closed_case).exists()
    assert not Redaction.objects.exists() and not WebCapture.objects.exists()
    assert not CaptureRequest.objects.exists()
    for blob in (html, warc, copy):
        assert not Blob.objects.filter(sha256=blob.sha256).exists()
        assert not blob_path(blob.sha256).exists()
