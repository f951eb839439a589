import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from fairhearing.cases.models import Case, Complaint
from fairhearing.intake import services
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify

pytestmark = pytest.mark.django_db

VALID = {
    "complainant_name": "Priya Callender",
    "complainant_email": "priya@example.invalid",
    "complainant_is_member": "no",
    "respondent_1_name": "Rowan Ashby",
    "respondent_1_membership_number": "M4471",
    "respondent_1_branch": "Bramley Vale",
    "category": "antisemitism",
    "allegation_type": "share",
    "conduct_date": "2026-03-03",
    "url": "https://social.example/posts/1",
    "description": "Re-shared a post blaming a minority for the war.",
}


def send(client: Client, data: dict, **kwargs):
    """Fill in the form, then send it from "check your answers" (as a person would)."""
    answered = client.post(reverse("intake:form"), data)
    assert answered.status_code == 302, answered.content.decode()[:3000]
    assert answered["Location"] == reverse("intake:check")
    return client.post(reverse("intake:check"), follow=True, **kwargs)


def test_the_form_needs_no_sign_in(client: Client, organisation) -> None:
    response = client.get(reverse("intake:form"))
    assert response.status_code == 200
    assert "Your complaint" in response.content.decode()


def test_a_complaint_gets_a_reference_an_email_and_an_acknowledged_case(
    client: Client, organisation
) -> None:
    response = send(client, VALID)
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    page = response.content.decode()
    assert complaint.reference in page
    case = complaint.cases.get()
    assert case.respondent.branch is not None
    assert (case.stage, case.respondent.membership_number, case.respondent.branch.name) == (
        "acknowledged",
        "M4471",
        "Bramley Vale",
    )
    allegation = case.allegations.get()
    assert (allegation.allegation_type, allegation.category) == ("share", "antisemitism")
    (message,) = mail.outbox
    assert isinstance(message, mail.EmailMultiAlternatives)
    assert message.to == ["priya@example.invalid"]
    assert complaint.reference in message.subject and complaint.reference in message.body
    assert complaint.reference in str(message.alternatives[0][0])
    change = case.stage_changes.get()
    assert (change.actor, change.reasons) == (None, services.AUTO_ACK_REASONS)
    kinds = list(Event.objects.order_by("seq").values_list("kind", flat=True))
    assert EventKind.ACKNOWLEDGEMENT_SENT in kinds and EventKind.CASE_OPENED in kinds
    assert ledger_verify().ok


def test_naming_two_people_opens_two_cases(client: Client, organisation) -> None:
    data = {**VALID, "respondent_2_name": "Tamsin Keogh"}
    response = send(client, data)
    assert Case.objects.count() == 2
    assert "opened a case for each" in response.content.decode()
    assert "FH-" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("complainant_name", "", "Enter your full name."),
        ("complainant_email", "not-an-email", "Enter an email address like name@example.com."),
        ("respondent_1_name", "", "Enter the name of the person you are complaining about."),
        ("category", "", "Choose the kind of behaviour."),
        ("description", "", "Tell us what happened."),
        ("conduct_date", "2999-01-01", "The date must be today or in the past."),
    ],
)
def test_bad_input_is_explained_beside_the_field_and_nothing_is_written(
    client: Client, organisation, field: str, value: str, message: str
) -> None:
    events = Event.objects.count()
    response = client.post(reverse("intake:form"), {**VALID, field: value})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert page.count(message) == 2  # in the summary and beside the field
    target = "id_conduct_date-day" if field == "conduct_date" else f"id_{field}"
    assert f'href="#{target}"' in page
    assert Complaint.objects.count() == 0 and Event.objects.count() == events
    assert 'value="Priya Callender"' in page or field == "complainant_name"  # input kept


def test_extra_details_without_a_name_are_refused(client: Client, organisation) -> None:
    response = client.post(reverse("intake:form"), {**VALID, "respondent_2_branch": "Eastmere"})
    assert response.status_code == 400
    assert "Enter this person&#x27;s full name." in response.content.decode()


def test_a_mail_failure_loses_nothing(client: Client, organisation, settings) -> None:
    settings.EMAIL_BACKEND = "fairhearing.intake.tests.failing_mail.Backend"
    response = send(client, VALID)
    complaint = Complaint.objects.get()
    assert complaint.reference in response.content.decode()
    case = complaint.cases.get()
    assert case.stage == "received"  # staff still owe an acknowledgement, on the clock
    assert case.deadlines.get().kind == "acknowledge"
    assert not Event.objects.filter(kind=EventKind.ACKNOWLEDGEMENT_SENT).exists()


def test_the_confirmation_page_needs_a_submission(client: Client, organisation) -> None:
    response = client.get(reverse("intake:submitted"))
    assert response.status_code == 302


def test_healthz(client: Client) -> None:
    response = client.get("/healthz")
    assert response.json()["status"] == "ok"
