"""Staff add or correct a party's email and postal address, with reasons (R-12): encrypted at
rest, on the ledger as ids and hashes only, the same through the page and the API."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from fairhearing.api.tests.test_api import api_for, assert_error
from fairhearing.conftest import signed_in
from fairhearing.ledger.models import Event, EventKind
from fairhearing.people import services
from fairhearing.people.models import Person, person_hash

pytestmark = pytest.mark.django_db
ADDRESS = "  4 Mill Lane \n\n Northfield\n NF1 2AB  "


def test_a_correction_is_kept_encrypted_and_on_the_ledger_without_the_details(
    case, case_officer
) -> None:
    person = services.person_contact_correct(
        actor=case_officer,
        person=case.respondent,
        email="rowan@example.invalid",
        postal_address=ADDRESS,
        reasons="Given by the branch secretary on the phone.",
        case_id=case.pk,
    )
    person.refresh_from_db()
    assert person.postal_address == "4 Mill Lane\nNorthfield\nNF1 2AB"
    assert person.email_hash == person_hash("email", "rowan@example.invalid")
    event = Event.objects.get(kind=EventKind.CONTACT_DETAILS_CORRECTED)
    assert event.case_id == case.pk and event.actor_id == case_officer.pk
    assert event.payload["changed"] == ["email", "postal_address"]
    assert event.payload["email_hash"] == person.email_hash
    text = str(event.payload)
    assert "rowan@" not in text and "Mill Lane" not in text and "secretary" not in text
    with connection.cursor() as cursor:
        cursor.execute("SELECT email, postal_address FROM people_person WHERE id = %s", [person.pk])
        stored = cursor.fetchone()
    assert "rowan" not in stored[0] and "Mill" not in stored[1]


@pytest.mark.parametrize(
    ("email", "address", "reasons", "message"),
    [
        ("rowan@example.invalid", "", " ", services.CONTACT_NEEDS_REASONS),
        ("not-an-address", "", "From the branch", services.CONTACT_EMAIL_INVALID),
        ("", "x" * 501, "From the branch", services.CONTACT_ADDRESS_TOO_LONG),
        ("", "", "From the branch", services.CONTACT_UNCHANGED),
    ],
)
def test_a_correction_needs_reasons_a_real_address_and_a_change(
    case, case_officer, email, address, reasons, message
) -> None:
    with pytest.raises(services.ContactError, match=re.escape(message)):
        services.person_contact_correct(
            actor=case_officer,
            person=case.respondent,
            email=email,
            postal_address=address,
            reasons=reasons,
        )
    assert not Event.objects.filter(kind=EventKind.CONTACT_DETAILS_CORRECTED).exists()


def test_staff_correct_an_address_from_the_case_page_and_see_it_on_the_timeline(
    case, case_officer
) -> None:
    client = signed_in(case_officer)
    detail = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "No email or address" in detail
    url = reverse("cases:contact", args=[case.reference, case.respondent_id])
    assert f'href="{url}"' in detail
    refused = client.post(url, {"email": "", "postal_address": "", "reasons": ""})
    assert refused.status_code == 400
    assert "Give the reasons for the change." in refused.content.decode()
    done = client.post(
        url, {"email": "", "postal_address": ADDRESS, "reasons": "From the membership list."}
    )
    assert done.status_code == 302
    detail = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Post only" in detail and "Contact details corrected" in detail
    assert Person.objects.get(pk=case.respondent_id).postal_address.startswith("4 Mill Lane")


def test_the_api_reads_and_corrects_contact_details(case, case_officer) -> None:
    api = api_for(case_officer)
    path = f"/cases/{case.reference}/people/{case.respondent_id}/contact"
    assert api.get(path).json() == {"id": case.respondent_id, "email": "", "postal_address": ""}
    assert_error(api.post(path, {"email": "x", "reasons": "Because"}), 409, "refused")
    response = api.post(path, {"email": "rowan@example.invalid", "reasons": "By phone."})
    assert response.status_code == 201, response.content
    assert api.get(path).json()["email"] == "rowan@example.invalid"
    stranger = api.get(f"/cases/{case.reference}/people/999999/contact")
    assert_error(stranger, 404, "not_found")
