import pytest

from fairhearing.accounts.models import Role
from fairhearing.cases.access import cases_visible_to
from fairhearing.cases.models import Assignment
from fairhearing.conftest import make_user
from fairhearing.core.errors import CaseError
from fairhearing.interests import services
from fairhearing.interests.models import BiasChallenge, Declaration
from fairhearing.interests.queries import conflicts_for
from fairhearing.ledger.models import Event, EventKind
from fairhearing.organisations.models import Branch
from fairhearing.people.models import Person
from fairhearing.workflow import bias
from fairhearing.workflow.services import case_assign

pytestmark = pytest.mark.django_db


def respondent_in_branch(case, name: str = "Bramley Vale") -> Branch:
    branch = Branch.objects.create(organisation=case.organisation, name=name)
    Person.objects.filter(pk=case.respondent_id).update(branch=branch)
    case.respondent.refresh_from_db()
    return branch


@pytest.mark.parametrize("kind", ["person", "branch", "organisation", "group", "own_branch"])
def test_each_kind_of_interest_keeps_its_declarer_off_the_case(case, case_officer, kind) -> None:
    branch = respondent_in_branch(case)
    if kind == "person":
        services.interest_declare(actor=case_officer, kind=kind, person=case.respondent)
    elif kind == "branch":
        services.interest_declare(actor=case_officer, kind=kind, branch=branch)
    elif kind in {"organisation", "group"}:
        # An organisation (or a group acting as one) that is itself a party to the case.
        Person.objects.filter(pk=case.parties.get().person_id).update(
            kind=Person.Kind.ORGANISATION, full_name="Friends of Eastmere Park"
        )
        services.interest_declare(actor=case_officer, kind=kind, text="friends of eastmere park")
    else:
        case_officer.branch = branch
        case_officer.save(update_fields=["branch"])
    assert conflicts_for(case_officer, case)
    assert not cases_visible_to(case_officer).filter(pk=case.pk).exists()
    with pytest.raises(CaseError, match="cannot join this case"):
        case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)
    assert not Assignment.objects.filter(case=case).exists()  # nothing half-assigned


def test_a_free_text_interest_is_recorded_but_matches_nobody(case, case_officer) -> None:
    services.interest_declare(actor=case_officer, kind="other", text="I chair a local charity")
    assert conflicts_for(case_officer, case) == []
    assert Event.objects.filter(kind=EventKind.INTEREST_DECLARED).count() == 1
    assert "charity" not in str(Event.objects.get(kind=EventKind.INTEREST_DECLARED).payload)


def test_a_withdrawn_declaration_no_longer_excludes(case, case_officer) -> None:
    declaration = services.interest_declare(
        actor=case_officer, kind="person", person=case.respondent
    )
    services.interest_withdraw(actor=case_officer, declaration=declaration)
    assert conflicts_for(case_officer, case) == []
    assert cases_visible_to(case_officer).filter(pk=case.pk).exists()


def test_a_declaration_must_name_what_it_declares(case_officer) -> None:
    with pytest.raises(CaseError, match=services.DECLARATION_INCOMPLETE):
        services.interest_declare(actor=case_officer, kind="person")
    assert not Declaration.objects.exists()


def test_stepping_aside_ends_the_assignment_for_good(case, case_officer) -> None:
    case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)
    recusal = bias.case_recuse(actor=case_officer, case=case, reasons="I know the complainant.")
    assert not Assignment.objects.filter(case=case, ended_at__isnull=True).exists()
    assert (
        Event.objects.filter(kind=EventKind.RECUSED, case_id=case.pk).get().payload["recusal"]
        == recusal.pk
    )
    with pytest.raises(CaseError, match="stepped aside"):
        case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)


def test_stepping_aside_needs_reasons_and_a_place_on_the_case(case, case_officer) -> None:
    with pytest.raises(CaseError, match=services.NOT_ON_CASE):
        bias.case_recuse(actor=case_officer, case=case, reasons="x")
    case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)
    with pytest.raises(CaseError, match=services.NEEDS_REASONS):
        bias.case_recuse(actor=case_officer, case=case, reasons=" ")


def test_a_challenge_is_decided_by_someone_else_and_upheld_removes_the_member(
    case, case_officer, organisation
) -> None:
    colleague = make_user(organisation, "marcus", Role.CASE_OFFICER)
    case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)
    challenge = bias.challenge_raise(
        actor=case_officer,
        case=case,
        challenged=case_officer,
        raised_by=case.respondent,
        grounds="The officer campaigned against me.",
    )
    with pytest.raises(CaseError, match=services.CANNOT_DECIDE_OWN_CHALLENGE):
        bias.challenge_decide(actor=case_officer, challenge=challenge, upheld=False, reasons="No.")
    bias.challenge_decide(actor=colleague, challenge=challenge, upheld=True, reasons="Fair point.")
    challenge.refresh_from_db()
    assert (challenge.decision, challenge.decided_by) == (BiasChallenge.Decision.UPHELD, colleague)
    assert not Assignment.objects.filter(
        case=case, user=case_officer, ended_at__isnull=True
    ).exists()
    kinds = list(Event.objects.filter(case_id=case.pk).values_list("kind", flat=True))
    assert EventKind.CHALLENGE_RAISED in kinds and EventKind.CHALLENGE_DECIDED in kinds
    with pytest.raises(CaseError, match=services.ALREADY_DECIDED):
        bias.challenge_decide(actor=colleague, challenge=challenge, upheld=False, reasons="x")


def test_a_dismissed_challenge_leaves_the_member_in_place(case, case_officer, organisation) -> None:
    colleague = make_user(organisation, "marcus", Role.CASE_OFFICER)
    case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)
    challenge = bias.challenge_raise(
        actor=case_officer,
        case=case,
        challenged=case_officer,
        raised_by=case.respondent,
        grounds="Vague unease.",
    )
    bias.challenge_decide(actor=colleague, challenge=challenge, upheld=False, reasons="No grounds.")
    assert Assignment.objects.filter(case=case, user=case_officer, ended_at__isnull=True).exists()


def test_only_a_party_can_challenge(case, case_officer, organisation) -> None:
    case_assign(actor=None, case=case, user=case_officer, role=Assignment.Role.CASE_OFFICER)
    outsider = Person.objects.create(organisation=organisation, full_name="Nobody Special")
    with pytest.raises(CaseError, match=services.CHALLENGER_NOT_A_PARTY):
        bias.challenge_raise(
            actor=case_officer, case=case, challenged=case_officer, raised_by=outsider, grounds="x"
        )
