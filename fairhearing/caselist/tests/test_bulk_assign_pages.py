"""The case list's bulk assignment, as pages: tick cases, say who takes them on and why, check,
confirm, read the result. Errors keep the selection; a case the user may not act on is refused
as not found (and recorded), without a word about it."""

import re

import pytest
from django.urls import reverse

from fairhearing.accounts.models import Role
from fairhearing.api.tests.test_api import api_for, assert_error
from fairhearing.cases.models import Assignment
from fairhearing.conftest import make_user, signed_in
from fairhearing.interests import services as interests
from fairhearing.ledger.models import Event, EventKind
from fairhearing.oversight.models import AccessAttempt
from fairhearing.workflow.services import case_assign

pytestmark = pytest.mark.django_db

BULK = "/cases/bulk/assign/"
REASONS = "Ivo Brandt leaves the unit on 30 June."


@pytest.fixture
def colleague(organisation):
    return make_user(
        organisation, "wren", Role.INVESTIGATOR, first_name="Wren", last_name="Adeyemi"
    )


@pytest.fixture
def leavers_cases(make_complaint, case_officer, investigator):
    """Three cases the officer and the leaving investigator share."""
    cases = [
        make_complaint(respondents=(name,)).cases.get()
        for name in ("Cai Rhys", "Dee Orr", "Eli Vance")
    ]
    for case in cases:
        case_assign(actor=None, case=case, user=case_officer, role="case_officer")
        case_assign(actor=None, case=case, user=investigator, role="investigator")
    return cases


def answers(cases, colleague, investigator, **changes):
    data = {
        "cases": [case.reference for case in cases],
        "assign_to": colleague.pk,
        "role": "investigator",
        "replacing": investigator.pk,
        "reasons": REASONS,
        "back": f"assignee={investigator.pk}",
        "step": "check",
    }
    return {**data, **changes}


def summary_links(html: str) -> list[str]:
    summary = html.split('class="govuk-error-summary', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="#([^"]+)"', summary)


def test_the_list_offers_a_checkbox_per_case_and_select_all(leavers_cases, case_officer) -> None:
    client = signed_in(case_officer)
    page = client.get(reverse("cases:list"), {"queue": "all"}).content.decode()
    for case in leavers_cases:
        assert f'<span class="govuk-visually-hidden">Select {case.reference}</span>' in page
    assert 'form="bulk-assign"' in page and "Select all 3 cases on this page" in page
    assert " checked" not in page.split('id="bulk-assign"')[0].split("<table")[1]
    page = client.get(reverse("cases:list"), {"queue": "all", "select": "all"}).content.decode()
    assert page.count('form="bulk-assign" checked') == 3
    assert "Clear the selection" in page


def test_oversight_reads_the_list_without_the_bulk_form(organisation, leavers_cases) -> None:
    oversight = make_user(organisation, "odile", Role.OVERSIGHT)
    page = signed_in(oversight).get(reverse("cases:list")).content.decode()
    assert leavers_cases[0].reference in page
    assert 'form="bulk-assign"' not in page and "Assign the selected cases" not in page
    before = AccessAttempt.objects.count()
    assert (
        signed_in(oversight).post(BULK, {"cases": [leavers_cases[0].reference]}).status_code == 403
    )
    assert AccessAttempt.objects.count() == before + 1


def test_nothing_filled_in_lists_every_error_in_page_order(case_officer) -> None:
    response = signed_in(case_officer).post(BULK, {"step": "check"})
    assert response.status_code == 400
    html = response.content.decode()
    assert summary_links(html) == ["id_cases", "id_assign_to", "id_role_0", "id_reasons"]
    for message in (
        "Select the cases to assign.",
        "Choose who to assign the cases to.",
        "Choose whether they join as case officer or investigator.",
        "Give the reasons for assigning these cases.",
    ):
        assert message in html


def test_missing_reasons_keep_the_selection_and_the_answers(
    leavers_cases, case_officer, investigator, colleague
) -> None:
    response = signed_in(case_officer).post(
        BULK, answers(leavers_cases, colleague, investigator, reasons="")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert summary_links(html) == ["id_reasons"]
    for case in leavers_cases:
        assert re.search(rf'value="{case.reference}"[^>]*checked', html)
    assert re.search(rf'value="{colleague.pk}"[^>]*selected', html)
    assert not Event.objects.filter(kind=EventKind.CASE_ASSIGNED, actor_id=case_officer.pk).exists()


def test_more_cases_than_the_cap_are_refused(
    monkeypatch, leavers_cases, case_officer, investigator, colleague
) -> None:
    monkeypatch.setattr("fairhearing.caselist.views.BULK_MOST", 2)
    response = signed_in(case_officer).post(BULK, answers(leavers_cases, colleague, investigator))
    assert response.status_code == 400
    assert "Select at most 2 cases at a time: you selected 3." in response.content.decode()


def test_the_check_page_says_what_will_happen_to_each_case(
    leavers_cases, case_officer, investigator, colleague
) -> None:
    interests.interest_declare(actor=colleague, kind="person", person=leavers_cases[2].respondent)
    response = signed_in(case_officer).post(BULK, answers(leavers_cases, colleague, investigator))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Check the assignments" in html
    assert html.count("Wren Adeyemi joins as investigator; Ivo Brandt leaves the case team") == 2
    assert "Wren Adeyemi cannot join this case" in html
    assert "2 cases will be assigned; 1 will be refused" in html
    assert not Event.objects.filter(kind=EventKind.CASE_ASSIGNED, actor_id=case_officer.pk).exists()
    # "Change" goes back to the form, answers kept, no errors.
    change = signed_in(case_officer).post(
        BULK, answers(leavers_cases, colleague, investigator, step="change")
    )
    assert change.status_code == 200 and "govuk-error-summary" not in change.content.decode()
    assert REASONS in change.content.decode()


def test_confirming_assigns_and_reports_the_refused(
    leavers_cases, case_officer, investigator, colleague
) -> None:
    interests.interest_declare(actor=colleague, kind="person", person=leavers_cases[2].respondent)
    client = signed_in(case_officer)
    response = client.post(BULK, answers(leavers_cases, colleague, investigator, step="confirm"))
    assert response.status_code == 302
    assert response["Location"] == reverse("caselist:bulk_assign_done")
    done = client.get(response["Location"]).content.decode()
    assert "2 cases assigned to Wren Adeyemi; 1 refused" in done
    assert leavers_cases[2].reference in done.split('id="bulk-refused"')[1]
    assert f"?assignee={investigator.pk}" in done  # back to the list it came from
    for case in leavers_cases[:2]:
        assert Assignment.objects.filter(case=case, user=colleague, ended_at=None).exists()
        assert not Assignment.objects.filter(case=case, user=investigator, ended_at=None).exists()
    assert Assignment.objects.filter(
        case=leavers_cases[2], user=investigator, ended_at=None
    ).exists()


def test_a_case_the_officer_may_not_act_on_is_refused_as_not_found_and_recorded(
    organisation, make_complaint, leavers_cases, case_officer, investigator, colleague
) -> None:
    other_officer = make_user(organisation, "tam", Role.CASE_OFFICER)
    hidden = make_complaint(respondents=("Zia Marlowe",)).cases.get()
    case_assign(actor=None, case=hidden, user=other_officer, role="case_officer")
    case_assign(actor=None, case=hidden, user=investigator, role="investigator")
    client = signed_in(case_officer)
    before = AccessAttempt.objects.count()
    check = client.post(BULK, answers([*leavers_cases, hidden], colleague, investigator))
    html = check.content.decode()
    assert "No case with that reference is open to you." in html
    assert "Zia Marlowe" not in html
    assert AccessAttempt.objects.filter(case=hidden, user=case_officer).count() == 1
    response = client.post(
        BULK, answers([*leavers_cases, hidden], colleague, investigator, step="confirm")
    )
    done = client.get(response["Location"]).content.decode()
    assert "3 cases assigned to Wren Adeyemi; 1 refused" in done
    assert "Zia Marlowe" not in done
    assert AccessAttempt.objects.count() == before + 2  # once for each request naming it
    assert Assignment.objects.filter(case=hidden, user=investigator, ended_at=None).exists()


def test_the_result_page_without_a_result_goes_to_the_list(case_officer) -> None:
    response = signed_in(case_officer).get(reverse("caselist:bulk_assign_done"))
    assert response.status_code == 302 and response["Location"] == reverse("cases:list")


def test_the_api_assigns_in_bulk_and_lists_the_refused(
    organisation, make_complaint, leavers_cases, case_officer, investigator, colleague
) -> None:
    hidden = make_complaint(respondents=("Zia Marlowe",)).cases.get()
    case_assign(
        actor=None,
        case=hidden,
        user=make_user(organisation, "tam", Role.CASE_OFFICER),
        role="case_officer",
    )
    body = {
        "references": [case.reference for case in [*leavers_cases, hidden]],
        "user_id": colleague.pk,
        "role": "investigator",
        "replacing_id": investigator.pk,
        "reasons": REASONS,
    }
    response = api_for(case_officer).post("/assignments/bulk", body)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "assigned": [case.reference for case in leavers_cases],
        "refused": [
            {"reference": hidden.reference, "reason": "No case with that reference is open to you."}
        ],
    }
    assert AccessAttempt.objects.filter(case=hidden, user=case_officer).count() == 1
    oversight = make_user(organisation, "odile", Role.OVERSIGHT)
    assert_error(api_for(oversight).post("/assignments/bulk", body), 403, "forbidden")
