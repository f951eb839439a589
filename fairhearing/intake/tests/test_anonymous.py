"""Anonymous reports: submitted without a name, reached again only with the receipt code."""

import datetime as dt
import re

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fairhearing.cases.models import AllegationType, Case, Complaint
from fairhearing.conftest import signed_in, walk
from fairhearing.core.tests.test_access_matrix import ROUTES
from fairhearing.evidence.models import EvidenceItem, Source
from fairhearing.evidence.services import Upload
from fairhearing.evidence.tests.files import pdf, png
from fairhearing.intake import anonymous
from fairhearing.intake.access import SESSION_KEY
from fairhearing.intake.details import AllegationDetails
from fairhearing.intake.models import AnonymousReport, ReceiptAttempt
from fairhearing.intake.queries import stage_in_plain_words
from fairhearing.intake.receipts import receipt_code_new
from fairhearing.intake.views import RECEIPT_SESSION_KEY
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify
from fairhearing.people.models import Person
from fairhearing.people.services import PersonDetails
from fairhearing.portal.models import Message

pytestmark = pytest.mark.django_db

FORM = {
    "respondent_1_name": "Rowan Ashby",
    "respondent_1_membership_number": "M4471",
    "respondent_1_branch": "Bramley Vale",
    "category": "bullying",
    "allegation_type": "post",
    "conduct_date": "2026-03-03",
    "url": "",
    "description": "Posted a cartoon mocking a volunteer in the branch group.",
    "file_description": "Screenshot of the post",
}
CODE_ON_PAGE = re.compile(r'<strong id="receipt-code">([0-9A-Z-]{29})</strong>')
ADDRESS = "203.0.113.9"


def submit(client: Client, **extra) -> tuple[str, Complaint]:
    """Send the anonymous form; returns the receipt code read off the receipt page."""
    answered = client.post(reverse("intake:anonymous"), {**FORM, **extra})
    assert answered.status_code == 302, answered.content.decode()[:3000]
    response = client.post(reverse("intake:anonymous_check"), follow=True)
    assert response.status_code == 200, response.content.decode()[:3000]
    match = CODE_ON_PAGE.search(response.content.decode())
    assert match, "no receipt code on the page"
    return match.group(1), Complaint.objects.order_by("-pk").first()  # type: ignore[return-value]


def screenshot() -> SimpleUploadedFile:
    return SimpleUploadedFile("shot.png", png(), content_type="image/png")


def report_directly(organisation, *, name: str = "Tamsin Keogh"):
    return anonymous.anonymous_report_submit(
        organisation=organisation,
        respondents=[PersonDetails(full_name=name)],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST,
            category="bullying",
            description="Another post.",
        ),
        summary="Another post.",
    )


def enter(client: Client, code: str, address: str = ADDRESS):
    return client.post(reverse("intake:report"), {"code": code}, REMOTE_ADDR=address)


def reporter(code: str, address: str = ADDRESS) -> Client:
    client = Client()
    response = enter(client, code, address)
    assert response.status_code == 302 and response["Location"] == reverse("intake:report_status")
    return client


def everything_stored() -> str:
    """Every value in every table, as text: what a copy of the database would give away."""
    chunks = []
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields]
        for row in model._base_manager.values_list(*fields):
            chunks.append(repr(row))
    from django.contrib.sessions.models import Session

    chunks += [repr(s.get_decoded()) for s in Session.objects.all()]
    return "\n".join(chunks)


def test_the_start_page_and_the_named_form_link_to_anonymous_reporting(
    client: Client, organisation
) -> None:
    anonymous = reverse("intake:anonymous")
    assert anonymous in client.get(reverse("intake:start")).content.decode()
    assert anonymous in client.get(reverse("intake:form")).content.decode()
    page = client.get(anonymous).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "complainant_name" not in page and "complainant_email" not in page


def test_a_report_with_a_screenshot_is_recorded_acknowledged_and_shows_its_code_once(
    client: Client, organisation
) -> None:
    code, complaint = submit(client, file=screenshot())
    case = complaint.cases.get()
    reporter_person = complaint.complainant
    assert (reporter_person.full_name, reporter_person.email) == (anonymous.REPORTER_NAME, "")
    assert case.stage == "acknowledged"
    assert case.stage_changes.get().reasons == anonymous.ANONYMOUS_ACK_REASONS
    item = EvidenceItem.objects.get(case=case)
    assert (item.source, item.added_by_person, item.added_by) == (
        Source.ANONYMOUS,
        reporter_person,
        None,
    )
    assert item.description == "Screenshot of the post"
    report = AnonymousReport.objects.get(complaint=complaint)
    assert report.locator == code.replace("-", "")[:8]
    assert report.secret_hash.startswith("$argon2id$")
    [opened] = Event.objects.filter(kind=EventKind.ANONYMOUS_REPORT_OPENED)
    assert opened.case_id == case.pk
    assert opened.payload == {
        "report": report.pk,
        "complaint": complaint.pk,
        "person": reporter_person.pk,
        "evidence": item.pk,
    }
    assert mail.outbox == []  # nobody to email: the receipt page is the acknowledgement
    # Shown once: the session has dropped it, and the page does not come back.
    assert RECEIPT_SESSION_KEY not in client.session
    again = client.get(reverse("intake:anonymous_receipt"))
    assert again.status_code == 302 and again["Location"] == reverse("intake:report")
    assert ledger_verify().ok


def test_the_code_is_stored_nowhere_not_even_in_the_ledger(client: Client, organisation) -> None:
    code, complaint = submit(client, file=screenshot())
    reporter(code).get(reverse("intake:report_status"))  # used once, too
    plain = code.replace("-", "")
    secret = plain[8:]
    stored = everything_stored()
    assert complaint.reference in stored  # the dump does see the tables
    for form in (code, plain, secret, secret[:8], secret[8:]):
        assert form not in stored
    payloads = repr(list(Event.objects.values_list("payload", flat=True)))
    assert plain[:8] not in payloads  # not even the locator goes on the ledger


def test_naming_two_people_opens_two_cases_each_with_the_file(client: Client, organisation) -> None:
    code, complaint = submit(client, file=screenshot(), respondent_2_name="Tamsin Keogh")
    cases = list(complaint.cases.order_by("pk"))
    assert len(cases) == 2 and {c.stage for c in cases} == {"acknowledged"}
    assert EvidenceItem.objects.filter(case__in=cases, source=Source.ANONYMOUS).count() == 2
    assert Event.objects.filter(kind=EventKind.ANONYMOUS_REPORT_OPENED).count() == 2
    page = reporter(code).get(reverse("intake:report_status")).content.decode()
    assert cases[0].reference in page and cases[1].reference in page


def test_a_refused_file_writes_nothing_and_is_explained_beside_the_field(
    client: Client, organisation, settings
) -> None:
    events = Event.objects.count()
    bad = SimpleUploadedFile("shot.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client.post(reverse("intake:anonymous"), {**FORM, "file": bad})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#id_file"' in page
    assert "web page or script content" in page
    assert Event.objects.count() == events
    for model in (Complaint, Case, AnonymousReport, EvidenceItem, Person, Message):
        assert model.objects.count() == 0, model
    root = settings.EVIDENCE_ROOT
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))
    assert RECEIPT_SESSION_KEY not in client.session


def test_missing_details_are_explained_and_nothing_is_written(client: Client, organisation) -> None:
    response = client.post(reverse("intake:anonymous"), {**FORM, "description": ""})
    assert response.status_code == 400
    assert response.content.decode().count("Tell us what happened.") == 2
    assert Complaint.objects.count() == 0


def test_the_right_code_opens_exactly_its_report(client: Client, organisation) -> None:
    code, complaint = submit(client)
    other = report_directly(organisation)
    typed = code.lower().replace("-", " ").replace("0", "o")  # as someone might type it
    visitor = reporter(typed)
    report = AnonymousReport.objects.get(complaint=complaint)
    assert dict(visitor.session) == {SESSION_KEY: report.pk}  # that report's id, nothing else
    page = visitor.get(reverse("intake:report_status")).content.decode()
    case = complaint.cases.get()
    assert complaint.reference in page and case.reference in page
    assert stage_in_plain_words(case) in page
    assert other.report.complaint.reference not in page
    report.refresh_from_db()
    assert report.last_used_at is not None
    [used] = Event.objects.filter(kind=EventKind.RECEIPT_USED)
    assert used.case_id == case.pk and set(used.payload) == {"report", "attempt"}
    assert ReceiptAttempt.objects.get().succeeded


def test_a_wrong_code_is_refused(client: Client, organisation) -> None:
    code, _ = submit(client)
    wrong_secret = code[:10] + ("A" if code[10] != "A" else "B") + code[11:]
    for attempt in (wrong_secret, str(receipt_code_new()), "not a code"):
        visitor = Client()
        response = enter(visitor, attempt)
        assert response.status_code == 400
        assert SESSION_KEY not in visitor.session
        assert visitor.get(reverse("intake:report_status")).status_code == 302
    assert "does not match a report" in enter(Client(), wrong_secret).content.decode()
    assert not Event.objects.filter(kind=EventKind.RECEIPT_USED).exists()


def test_five_wrong_tries_lock_a_code_for_an_hour(client: Client, organisation) -> None:
    code, _ = submit(client)
    wrong = code[:10] + ("A" if code[10] != "A" else "B") + code[11:]
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        for n in range(anonymous.MAX_FAILURES_PER_LOCATOR):
            assert enter(Client(), wrong, address=f"198.51.100.{n}").status_code == 400
        # The right code, from yet another address: not even checked.
        locked = enter(Client(), code, address="198.51.100.99")
        assert locked.status_code == 429
        assert anonymous.LOCKED in locked.content.decode()
    with time_machine.travel(now + dt.timedelta(minutes=59), tick=False):
        assert enter(Client(), code, address="198.51.100.99").status_code == 429
    with time_machine.travel(now + dt.timedelta(minutes=121), tick=False):
        reporter(code, address="198.51.100.99")


def test_twenty_wrong_tries_lock_an_address_for_an_hour(client: Client, organisation) -> None:
    code, _ = submit(client)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        for _ in range(anonymous.MAX_FAILURES_PER_ADDRESS):
            with pytest.raises(anonymous.ReceiptRefused, match="does not match"):
                anonymous.receipt_use(text=str(receipt_code_new()), ip_address=ADDRESS)
        with pytest.raises(anonymous.ReceiptRefused, match="Too many attempts"):
            anonymous.receipt_use(text=code, ip_address=ADDRESS)
        reporter(code, address="192.0.2.1")  # another address is not held back
    with time_machine.travel(now + dt.timedelta(minutes=61), tick=False):
        reporter(code, address=ADDRESS)


def test_a_code_opens_no_other_report_and_no_portal_or_staff_page(
    client: Client, organisation, case_officer
) -> None:
    code, complaint = submit(client)
    mine = complaint.cases.get()
    other = report_directly(organisation).report.complaint.cases.get()
    visitor = reporter(code)
    # A message aimed at another report's case is refused.
    response = visitor.post(
        reverse("intake:report_message"), {"case": other.pk, "body": "Hello?"}, follow=True
    )
    assert "Write your message before sending it." in response.content.decode()
    assert not Message.objects.exists()
    # No party page of the portal accepts the reporter's session, for their own case or any.
    party_routes = {
        "portal:case": ("get", []),
        "portal:reply": ("get", []),
        "portal:hearing": ("get", []),
        "portal:hearing_move": ("get", []),
        "portal:message": ("post", []),
        "portal:bundle": ("get", []),
        "portal:capture": ("get", []),
        "portal:challenge": ("get", []),
        "portal:challenge_sent": ("get", [1]),
    }
    assert set(party_routes) == {name for name, rule in ROUTES.items() if rule == "party"}
    for case in (mine, other):
        for name, (method, extra) in party_routes.items():
            url = reverse(name, args=[case.reference, *extra])
            assert getattr(visitor, method)(url).status_code == 404, name
    # Nor any staff page.
    for url in (
        reverse("cases:detail", args=[mine.reference]),
        reverse("evidence:list", args=[mine.reference]),
        reverse("cases:list"),
    ):
        response = visitor.get(url)
        assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_reporter_pages_need_a_receipt_session(client: Client, organisation) -> None:
    pages = {"intake:report_status": "get", "intake:report_evidence": "get"}
    pages |= {"intake:report_message": "post"}
    assert set(pages) == {name for name, rule in ROUTES.items() if rule == "reporter"}
    submit(client)  # a report exists: still nothing without its code
    for name, method in pages.items():
        response = getattr(Client(), method)(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("intake:report")
    # A staff user's session is no receipt either.
    from fairhearing.conftest import make_user

    staff = signed_in(make_user(organisation, "oona", "oversight"))
    assert staff.get(reverse("intake:report_status")).status_code == 302


def test_leaving_forgets_the_report(client: Client, organisation) -> None:
    code, _ = submit(client)
    visitor = reporter(code)
    old_key = visitor.session.session_key
    response = visitor.post(reverse("intake:report_forget"), follow=True)
    assert "You have left your report" in response.content.decode()
    assert SESSION_KEY not in visitor.session and visitor.session.session_key != old_key
    assert visitor.get(reverse("intake:report_status")).status_code == 302


def test_messages_go_both_ways(client: Client, organisation, case_officer) -> None:
    code, complaint = submit(client)
    case = complaint.cases.get()
    visitor = reporter(code)
    response = visitor.post(
        reverse("intake:report_message"),
        {"case": case.pk, "body": "I can send more screenshots if that helps."},
        follow=True,
    )
    assert "Message sent to the case team." in response.content.decode()
    sent = Message.objects.get()
    assert (sent.party_person, sent.party_role, sent.from_staff) == (
        complaint.complainant,
        "complainant",
        None,
    )
    staff = signed_in(case_officer)
    walk(case, case_officer, "begin_assessment")
    staff_page = staff.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "I can send more screenshots" in staff_page
    assert f"{anonymous.REPORTER_NAME} (complainant)" in staff_page
    staff.post(
        reverse("portal:staff_message", args=[case.reference, complaint.complainant.pk]),
        {"body": "Yes please: the whole thread, if you have it."},
    )
    assert mail.outbox == []  # the reporter has no address: they read it on their page
    page = visitor.get(reverse("intake:report_status")).content.decode()
    assert "From the case team" in page and "the whole thread, if you have it." in page
    assert "assessing your report" in page
    kinds = list(Event.objects.filter(case_id=case.pk).values_list("kind", flat=True))
    assert kinds.count(EventKind.MESSAGE_SENT) == 2


def test_the_reporter_adds_evidence_later(client: Client, organisation, settings) -> None:
    code, complaint = submit(client)
    case = complaint.cases.get()
    visitor = reporter(code)
    url = reverse("intake:report_evidence")
    assert visitor.get(url).status_code == 200
    bad = SimpleUploadedFile("notes.pdf", png(), content_type="application/pdf")
    refused = visitor.post(url, {"file": bad, "description": "Minutes"})
    assert refused.status_code == 400 and "named .pdf" in refused.content.decode()
    assert not EvidenceItem.objects.exists()
    good = SimpleUploadedFile("minutes.pdf", pdf(), content_type="application/pdf")
    response = visitor.post(url, {"file": good, "description": "Branch minutes"}, follow=True)
    item = EvidenceItem.objects.get()
    assert (item.case, item.source, item.added_by_person) == (
        case,
        Source.ANONYMOUS,
        complaint.complainant,
    )
    page = response.content.decode()
    assert "Branch minutes" in page and item.sha256 in page


def test_evidence_cannot_be_added_once_every_case_is_closed(organisation, case_officer) -> None:
    submitted = report_directly(organisation)
    case = submitted.report.complaint.cases.get()
    walk(case, case_officer, "begin_assessment", "assess_no_further_action")
    with pytest.raises(anonymous.EvidenceRefused, match="closed"):
        anonymous.reporter_evidence_add(report=submitted.report, upload=Upload("a.png", png()))
    case.refresh_from_db()
    assert "Outcome:" in stage_in_plain_words(case)


def test_a_locator_clash_draws_again(organisation, monkeypatch) -> None:
    first = report_directly(organisation)
    codes = iter([first.code, receipt_code_new()])
    monkeypatch.setattr(anonymous, "receipt_code_new", lambda: next(codes))
    second = report_directly(organisation, name="Ada Quill")
    assert second.code.locator != first.code.locator
