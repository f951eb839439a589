"""What the person did online (issue 24, item 2): an allegation records the act (posted,
shared, replied, liked, followed) and the acting account, so "liked a post" is alleged and
evidenced as such: on the staff and public forms, the API, the case page, the portal and the
bundle."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from fairhearing.api.tests.test_api import COMPLAINT, api_for
from fairhearing.cases.models import Allegation, AllegationType, Complaint
from fairhearing.conftest import signed_in
from fairhearing.evidence.services import bundle_make
from fairhearing.evidence.tests.captures import capture_recorded
from fairhearing.intake.tests.test_complaint_form import VALID
from fairhearing.intake.tests.test_complaint_record import BY_PHONE

pytestmark = pytest.mark.django_db

POST = "https://x.com/someone_else/status/77"
LIKED = {
    "allegation_type": "like",
    "url": POST,
    "acting_account": "@fictional_member",
}


def test_every_act_online_has_its_word() -> None:
    words = {
        t: Allegation(allegation_type=t).act
        for t in ("post", "share", "comment", "like", "follow", "message")
    }
    assert words == {
        "post": "posted",
        "share": "shared",
        "comment": "replied",
        "like": "liked",
        "follow": "followed",
        "message": "",
    }
    assert AllegationType.FOLLOW.label == "Following an account"


def test_staff_record_a_like_with_the_acting_account(case_officer) -> None:
    client = signed_in(case_officer)
    form = client.get(reverse("intake:record")).content.decode()
    assert "The account that did it" in form and "Following an account" in form
    response = client.post(reverse("intake:record"), {**BY_PHONE, **LIKED})
    assert response.status_code == 302
    case = Complaint.objects.get().cases.get()
    allegation = case.allegations.get()
    assert (allegation.allegation_type, allegation.acting_account, allegation.url) == (
        "like",
        "fictional_member",
        POST,
    )
    # The post itself captured from its link: the case page says which item evidences it.
    item = capture_recorded(case, case_officer, url=POST).item
    assert item is not None
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Liking someone else&#x27;s content" in page or "Liking someone else's content" in page
    assert "the account <strong" in page and "@fictional_member</strong> liked: " + POST in page
    evidence = reverse("evidence:item", args=[case.reference, item.number])
    assert f'href="{evidence}">item {item.number}</a>' in page

    pdf = bundle_make(actor=case_officer, case=case, audience="panel").pdf
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Alleged: the account @fictional_member liked: " + POST in " ".join(text.split())
    # The complainant's link (item 1, kept with the complaint) and the capture (item 2).
    assert "Evidence of the post: items 1, 2" in " ".join(text.split())


def test_the_public_form_asks_who_did_it_and_shows_it_to_check(client, organisation) -> None:
    page = client.get(reverse("intake:form")).content.decode()
    assert 'name="acting_account"' in page
    response = client.post(reverse("intake:form"), {**VALID, **LIKED})
    assert response.status_code == 302
    check = client.get(response["Location"]).content.decode()
    assert "The account that did it" in check and "@fictional_member" in check


def test_the_api_takes_and_gives_the_acting_account(case_officer) -> None:
    api = api_for(case_officer)
    body = {**COMPLAINT, "allegation": {**COMPLAINT["allegation"], **LIKED}}
    response = api.post("/complaints", body)
    assert response.status_code == 201, response.content
    reference = response.json()["cases"][0]
    detail = api.get(f"/cases/{reference}").json()
    [allegation] = detail["allegations"]
    assert (allegation["allegation_type"], allegation["acting_account"]) == (
        "like",
        "fictional_member",
    )
