"""A party challenges a member of their panel for bias from the portal (R-25)."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from fairhearing.conftest import PASSWORD, TO_HEARING, make_user, walk
from fairhearing.core.errors import CaseError
from fairhearing.demo.panels import panel_pool_ensure, panel_prepare
from fairhearing.interests import services as interests
from fairhearing.interests.models import BiasChallenge
from fairhearing.ledger.models import Event, EventKind
from fairhearing.notifications.models import Notification
from fairhearing.notifications.sending import notifications_send_pending
from fairhearing.panels.queries import active_seats, sitting_panel
from fairhearing.panels.services import check_panel_vote
from fairhearing.people.models import Person
from fairhearing.portal.tests.test_portal import link_from_mail
from fairhearing.workflow import bias
from fairhearing.workflow.sign_in import sign_in_link_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def seated(case, case_officer, organisation):
    """The case at its hearing stage, a panel drawn and affirmed, the respondent emailable."""
    Person.objects.filter(pk=case.respondent_id).update(email="rowan@example.invalid")
    case.respondent.refresh_from_db()
    panel_pool_ensure(organisation, password=PASSWORD)
    walk(case, case_officer, *TO_HEARING)
    panel_prepare(case, case_officer)
    panel = sitting_panel(case, "hearing")
    assert panel is not None
    return case, [s.user for s in active_seats(panel).order_by("-is_chair", "pk")]


def portal_of(case, case_officer, person) -> Client:
    sign_in_link_send(actor=case_officer, case=case, person=person)
    client = Client()
    assert client.post(link_from_mail()).status_code == 302
    return client


def test_a_party_names_a_seated_member_gives_grounds_and_is_told_what_happens_next(
    seated, case_officer
) -> None:
    case, members = seated
    party = portal_of(case, case_officer, case.respondent)
    page = party.get(reverse("portal:case", args=[case.reference])).content.decode()
    for member in members:  # the party sees who sits on their panel
        assert member.display_name in page
    assert "Challenge a panel member for bias" in page
    url = reverse("portal:challenge", args=[case.reference])
    form = party.get(url).content.decode()
    assert all(f'value="{m.pk}"' in form for m in members)
    assert f'value="{case_officer.pk}"' not in form  # the case team is not offered
    # Not a member of the panel: refused, nothing recorded.
    response = party.post(url, {"challenged": str(case_officer.pk), "grounds": "x"})
    assert response.status_code == 400 and not BiasChallenge.objects.exists()
    response = party.post(url, {"challenged": str(members[1].pk), "grounds": ""})
    assert "Say why you think the member could be biased." in response.content.decode()
    response = party.post(url, {"challenged": str(members[1].pk), "grounds": "x" * 10_001})
    assert "10,000 characters or fewer" in response.content.decode()
    response = party.post(
        url, {"challenged": str(members[1].pk), "grounds": "They campaigned against me."}
    )
    challenge = BiasChallenge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "portal:challenge_sent", args=[case.reference, challenge.pk]
    )
    assert (challenge.challenged, challenge.raised_by, challenge.recorded_by) == (
        members[1],
        case.respondent,
        None,
    )
    event = Event.objects.get(kind=EventKind.CHALLENGE_RAISED)
    assert event.actor_id is None and event.payload["through"] == "portal"
    confirmation = party.get(response["Location"]).content.decode()
    assert "Challenge sent" in confirmation and "What happens next" in confirmation
    assert f"{members[1].display_name} does not decide it" in confirmation
    assert "We will email you the outcome" in confirmation
    # Twice while the first waits: refused.
    again = party.post(url, {"challenged": str(members[1].pk), "grounds": "Again."})
    assert "already challenged" in again.content.decode()
    assert BiasChallenge.objects.count() == 1


def test_staff_see_it_pending_and_no_panel_decision_is_recorded_meanwhile(
    seated, case_officer, organisation
) -> None:
    case, members = seated
    challenge = bias.challenge_raise(
        actor=None, case=case, challenged=members[1], raised_by=case.respondent, grounds="G."
    )
    staff = Client()
    staff.force_login(case_officer)
    page = staff.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'id="challenge-pending"' in page and "(from their portal)" in page
    assert "By the party, in their portal" in page  # on the timeline, not "the system" alone
    assert reverse("interests:challenge_decide", args=[case.reference, challenge.pk]) in page
    assert "is challenged for bias" in (check_panel_vote(case, "hearing", "x", "") or "")
    oversight = make_user(organisation, "otto", "oversight")
    register = Client()
    register.force_login(oversight)
    html = register.get(reverse("oversight:register"), {"kind": "challenges"}).content.decode()
    assert f"challenged {members[1].display_name}</td>" in html and case.reference in html
    assert "Challenges for bias (1)" in html and "Not yet decided" in html


def test_the_member_challenged_cannot_decide_and_the_party_is_emailed_the_outcome(
    seated, case_officer, organisation
) -> None:
    case, members = seated
    challenge = bias.challenge_raise(
        actor=None,
        case=case,
        challenged=members[1],
        raised_by=case.respondent,
        grounds="They campaigned against me.",
    )
    with pytest.raises(CaseError, match=interests.CANNOT_DECIDE_OWN_CHALLENGE):
        bias.challenge_decide(
            actor=members[1], challenge=challenge, upheld=False, reasons="I am fair."
        )
    # Nor through the page: a panel member only views the case, so the decide page is refused.
    member = Client()
    member.force_login(members[1])
    url = reverse("interests:challenge_decide", args=[case.reference, challenge.pk])
    assert member.post(url, {"decision": "dismissed", "reasons": "Fair."}).status_code == 404
    challenge.refresh_from_db()
    assert challenge.decided_at is None
    bias.challenge_decide(
        actor=case_officer, challenge=challenge, upheld=True, reasons="A real possibility."
    )
    assert "is challenged" not in (check_panel_vote(case, "hearing", "x", "") or "")
    notification = Notification.objects.get(kind=Notification.Kind.CHALLENGE_DECIDED)
    assert notification.to_email == "rowan@example.invalid"
    mail.outbox.clear()
    notifications_send_pending()
    [email] = [m for m in mail.outbox if "challenge" in m.subject]
    assert email.subject == f"Your challenge for bias on case {case.reference}: upheld"
    assert f"you challenged {members[1].display_name}, a member of the panel" in email.body
    assert "has stepped aside" in email.body and "A real possibility." in email.body
    assert "{{" not in email.body and "None" not in email.body
    party = portal_of(case, case_officer, case.respondent)
    page = party.get(
        reverse("portal:challenge_sent", args=[case.reference, challenge.pk])
    ).content.decode()
    assert "was upheld" in page and "A real possibility." in page
