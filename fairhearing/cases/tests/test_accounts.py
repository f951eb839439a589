"""Everyone's account visible (issue 20, item 4): a complainant joined to an existing case
(the same post reported again) has their own account, evidence and contact on the case page."""

import datetime as dt

import pytest
from django.urls import reverse

from fairhearing.cases.models import AllegationType, Channel
from fairhearing.cases.queries import complainants_accounts
from fairhearing.conftest import signed_in
from fairhearing.evidence.models import EvidenceItem
from fairhearing.intake.details import AllegationDetails
from fairhearing.intake.record import complaint_record
from fairhearing.people.services import PersonDetails
from fairhearing.workflow.services import case_assign

pytestmark = pytest.mark.django_db
URL = "https://x.com/RowanA/status/77"


def report(organisation, name: str, account: str, email: str = ""):
    return complaint_record(
        actor=None,
        organisation=organisation,
        channel=Channel.WEB,
        complainant=PersonDetails(full_name=name, email=email),
        respondents=[PersonDetails(full_name="Rowan Ashby")],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST,
            category="bullying",
            description=account,
            conduct_date=dt.date(2026, 3, 3),
            url=URL,
        ),
        summary=account,
    )


def test_each_complainant_s_account_shows_grouped_on_the_case_page(
    organisation, case_officer, django_assert_max_num_queries
) -> None:
    first = report(
        organisation, "Ada Quill", "I saw it in the branch group.", "ada@example.invalid"
    )
    case = first.cases.get()
    second = report(organisation, "Bo Lind", "It was shared again on Friday, with a comment.")
    assert list(second.cases.all()) == [case]  # joined, not a new case
    case_assign(actor=None, case=case, user=case_officer, role="case_officer")
    EvidenceItem.objects.create(
        case=case,
        number=1,
        kind="post",
        url=URL,
        description="Bo's screenshot of the share",
        source="party",
        added_by_person=second.complainant,
        sha256="0" * 64,
    )
    with django_assert_max_num_queries(3):
        accounts = complainants_accounts(case)
    assert [a.complaint for a in accounts] == [first, second]
    assert [len(a.evidence) for a in accounts] == [0, 1]
    page = signed_in(case_officer).get(reverse("cases:detail", args=[case.reference]))
    html = page.content.decode()
    section = html[html.index('id="accounts"') :]
    assert section.count('data-testid="account"') == 2
    for text in (
        "Ada Quill",
        first.reference,
        "I saw it in the branch group.",
        "Bo Lind",
        second.reference,
        "It was shared again on Friday, with a comment.",
        "item 1: Bo&#x27;s screenshot of the share",
        "No email or address",
    ):
        assert text in section, text
    assert section.index("Ada Quill") < section.index("Bo Lind")
