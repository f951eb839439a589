"""R-29 (issue 19, item 2): no charges about conduct older than the rulebook's time limit,
unless someone independent allows an exception, with reasons, as a decision of its own."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fairhearing.accounts.models import Role
from fairhearing.cases.models import ConductLimitException
from fairhearing.cases.queries import conduct_out_of_time
from fairhearing.cases.services import conduct_exception_allow
from fairhearing.conftest import TO_HEARING, make_user, signed_in, walk
from fairhearing.core.errors import CaseError
from fairhearing.ledger.models import Event, EventKind
from fairhearing.organisations.services import rulebook_publish
from fairhearing.workflow.services import case_transition
from fairhearing.workflow.steps import OUT_OF_TIME

pytestmark = pytest.mark.django_db

SEVEN_YEARS_AGO = timezone.localdate().replace(year=timezone.localdate().year - 7)


@pytest.fixture
def old_case(make_complaint, case_officer):
    case = make_complaint(conduct_date=SEVEN_YEARS_AGO).cases.get()
    return walk(case, case_officer, *TO_HEARING[:5])  # at the charge decision


@pytest.fixture
def oversight(organisation):
    return make_user(organisation, "ossie", Role.OVERSIGHT, first_name="Os", last_name="Reed")


def refer(case, actor):
    return case_transition(
        actor=actor,
        case=case,
        transition="refer_to_panel",
        reasons="There is a case to answer.",
        rule_applied="Charging standard",
    )


def test_old_conduct_cannot_be_referred_and_the_refusal_cites_rule_and_dates(
    old_case, case_officer
) -> None:
    assert old_case.stage == "charge_decision"
    with pytest.raises(CaseError) as refused:
        refer(old_case, case_officer)
    message = str(refused.value)
    assert f"{SEVEN_YEARS_AGO:%-d %B %Y}" in message  # the conduct date
    expired = SEVEN_YEARS_AGO.replace(year=SEVEN_YEARS_AGO.year + 5)
    assert f"{expired:%-d %B %Y}" in message  # when the limit ran out
    assert "time limit of 5 years" in message and "rulebook version 1" in message
    assert "Oversight may allow an exception" in message
    old_case.refresh_from_db()
    assert old_case.stage == "charge_decision"
    # Closing with reasons stays possible.
    walk(old_case, case_officer, "charge_no_further_action")
    old_case.refresh_from_db()
    assert old_case.is_closed


def test_recent_conduct_is_referred_as_before(case, case_officer) -> None:
    case = walk(case, case_officer, *TO_HEARING)
    assert case.stage == "hearing"
    assert conduct_out_of_time(case) is None


def test_the_case_page_says_so_before_anyone_tries(old_case, case_officer, oversight) -> None:
    page = signed_in(case_officer).get(reverse("cases:detail", args=[old_case.reference]))
    html = page.content.decode()
    assert 'id="time-limit-for-charges"' in html
    assert OUT_OF_TIME.replace("'", "&#x27;") in html  # under "Not possible yet"
    assert reverse("cases:transition", args=[old_case.reference, "refer_to_panel"]) not in html
    assert reverse("cases:conduct_exception", args=[old_case.reference]) not in html
    # Oversight, independent of the case team, is offered the exception route.
    page = signed_in(oversight).get(reverse("cases:detail", args=[old_case.reference]))
    assert reverse("cases:conduct_exception", args=[old_case.reference]) in page.content.decode()


def test_an_independent_exception_lets_the_referral_through(
    old_case, case_officer, oversight
) -> None:
    client = signed_in(oversight)
    url = reverse("cases:conduct_exception", args=[old_case.reference])
    refused = client.post(url, {"reasons": "", "rule_applied": ""})
    assert refused.status_code == 400
    assert "Give the reasons for this decision." in refused.content.decode()
    response = client.post(
        url,
        {
            "reasons": "A pattern of conduct continuing until recently.",
            "rule_applied": "Procedure 4.2",
        },
    )
    assert response.status_code == 302
    exception = ConductLimitException.objects.get(case=old_case)
    assert exception.decided_by == oversight
    event = Event.objects.get(kind=EventKind.CONDUCT_TIME_LIMIT_WAIVED)
    assert event.actor_id == oversight.pk and event.case_id == old_case.pk
    assert event.payload["latest_conduct"] == SEVEN_YEARS_AGO.isoformat()
    change = refer(old_case, case_officer)
    assert change.to_stage == "hearing"
    page = signed_in(case_officer).get(reverse("cases:detail", args=[old_case.reference]))
    assert "an exception was allowed" in page.content.decode()


def test_the_case_team_cannot_allow_its_own_exception(old_case, case_officer, oversight) -> None:
    with pytest.raises(CaseError, match="Only Oversight may allow"):
        conduct_exception_allow(
            actor=case_officer, case=old_case, reasons="Please.", rule_applied="4.2"
        )
    assert not ConductLimitException.objects.exists()


def test_no_exception_where_the_rulebook_names_no_route(
    organisation, make_complaint, case_officer, oversight
) -> None:
    definition = dict(organisation.rulebooks.latest("version").definition)
    definition.pop("conduct_time_limit_exception")
    rulebook_publish(actor=None, organisation=organisation, definition=definition)
    case = make_complaint(conduct_date=SEVEN_YEARS_AGO).cases.get()
    case = walk(case, case_officer, *TO_HEARING[:5])
    with pytest.raises(CaseError, match="names no exception"):
        conduct_exception_allow(actor=oversight, case=case, reasons="x", rule_applied="y")
    with pytest.raises(CaseError) as refused:
        refer(case, case_officer)
    assert "may allow an exception" not in str(refused.value)


def test_within_the_limit_no_exception_is_needed(case, case_officer, oversight) -> None:
    case = walk(case, case_officer, *TO_HEARING[:5])
    with pytest.raises(CaseError, match="within the rulebook's time limit"):
        conduct_exception_allow(actor=oversight, case=case, reasons="x", rule_applied="y")


def test_the_limit_counts_from_the_latest_conduct(old_case) -> None:
    late = conduct_out_of_time(old_case)
    assert late is not None and late.barred
    assert late.latest_conduct == SEVEN_YEARS_AGO
    # On the day before it ran out, the case was still in time.
    assert conduct_out_of_time(old_case, on=late.expired_on - dt.timedelta(days=1)) is None
