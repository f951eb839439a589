import datetime as dt

import pytest
import time_machine

from fairhearing.cases.models import AllegationType, Channel
from fairhearing.cases.services import party_protect_identity
from fairhearing.conftest import walk
from fairhearing.evidence.services import Upload, evidence_add_file
from fairhearing.intake.details import AllegationDetails
from fairhearing.intake.record import complaint_record
from fairhearing.people.services import PersonDetails
from fairhearing.portal.services import message_send, reply_submit
from fairhearing.workflow.services import case_assign

COMPLAINANT = PersonDetails(
    full_name="Ysolde Pemberton", email="ysolde@example.invalid", membership_number="NCL-1001"
)
RESPONDENT = PersonDetails(
    full_name="Tobiah Grunwald", email="tobiah@example.invalid", membership_number="NCL-2002"
)
DESCRIPTION = "Tobiah Grunwald mocked Ysolde Pemberton's accent at the branch social."
SUMMARY = "Ysolde Pemberton reports repeated remarks by Tobiah Grunwald."
REPLY = "I deny this; ysolde@example.invalid misheard me."
CLOSE = ("acknowledge", "begin_assessment", "assess_investigate")
AFTER_REPLY = ("reply_received", "complete_investigation", "charge_no_further_action")


def record(organisation, actor, *, complainant=COMPLAINANT, respondent=RESPONDENT, protect=False):
    complaint = complaint_record(
        actor=actor,
        organisation=organisation,
        channel=Channel.EMAIL,
        complainant=complainant,
        respondents=[respondent],
        allegation=AllegationDetails(
            allegation_type=AllegationType.IN_PERSON,
            category="bullying",
            description=DESCRIPTION,
            conduct_date=dt.date(2026, 3, 3),
        ),
        summary=SUMMARY,
    )
    case = complaint.cases.get()
    if protect:
        party_protect_identity(
            actor=actor, party=case.parties.get(), reason="Fears reprisals from Tobiah."
        )
    return case


def full_history(organisation, actor, *, on_team=False):
    """A case with a message, a reply, evidence and a decision, closed (`on_team`: with the
    actor on its team from the start, as its officer would be)."""
    case = record(organisation, actor)
    if on_team:
        case_assign(actor=None, case=case, user=actor, role="case_officer")
    complainant = case.parties.get().person
    evidence_add_file(
        actor=None,
        case=case,
        upload=Upload("note.txt", b"Ysolde's note of what Tobiah said."),
    )
    message_send(
        case=case, party_person=complainant, party_role="complainant", body="Ysolde here: any news?"
    )
    walk(case, actor, *CLOSE)
    reply_submit(case=case, person=case.respondent, role="respondent", text=REPLY)
    return walk(case, actor, *AFTER_REPLY)


@pytest.fixture
def closed_case(organisation, case_officer):
    return full_history(organisation, case_officer)


@pytest.fixture
def years_later():
    """A clock seven years on (past the default rulebook's six)."""
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=7 * 366), tick=True):
        yield
