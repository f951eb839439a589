"""How a party reaches their case: only through a session their own sign-in link opened."""

from dataclasses import dataclass

from django.http import Http404, HttpRequest
from django.utils.translation import gettext_noop

from fairhearing.cases.models import Case
from fairhearing.oversight.services import access_attempt_record
from fairhearing.people.models import Person

from .models import PartyRole

SESSION_KEY = "portal_parties"
# Shown on the not-found page in the reader's language (core.errors.not_found).
NOT_FOUND = gettext_noop("No case with that reference is open to you. Use your sign-in link.")
ONLY_RESPONDENT_BUNDLE = gettext_noop("The hearing bundle is disclosed to the respondent only.")


@dataclass(frozen=True)
class PartySession:
    case: Case
    person: Person
    role: str


def party_session_grant(request: HttpRequest, *, case_id: int, person_id: int, role: str) -> None:
    parties = dict(request.session.get(SESSION_KEY, {}))
    parties[str(case_id)] = {"person": person_id, "role": role}
    request.session[SESSION_KEY] = parties
    request.session.cycle_key()


@dataclass(frozen=True)
class PartyGrant:
    case_id: int
    person_id: int


def party_grants(request: HttpRequest) -> list[PartyGrant]:
    """Every case this browser's sign-in links opened, and as whom."""
    return [
        PartyGrant(int(case_id), int(grant["person"]))
        for case_id, grant in request.session.get(SESSION_KEY, {}).items()
    ]


def party_session_end(request: HttpRequest) -> None:
    """Forget every case this browser's sign-in links opened (the staff sign-in, if any, is
    left alone)."""
    if SESSION_KEY in request.session:
        del request.session[SESSION_KEY]
        request.session.cycle_key()


def party_case_for(request: HttpRequest, reference: str) -> PartySession:
    """The case this visitor is a party to, or a 404 (recorded in the register)."""

    case = Case.objects.select_related("rulebook", "respondent").filter(reference=reference).first()
    grant = request.session.get(SESSION_KEY, {}).get(str(case.pk)) if case else None
    if case is None or grant is None:
        access_attempt_record(
            user=request.user, reference=reference, action="portal", case=case, request=request
        )
        raise Http404(NOT_FOUND)
    return PartySession(case, Person.objects.get(pk=grant["person"]), grant["role"])


def bundle_party_for(request: HttpRequest, reference: str) -> PartySession:
    """The respondent's session on this case, to whom the hearing bundle is disclosed; any
    other party is refused as if there were no bundle (404), and recorded in the register with
    the case, like a page outside their role."""

    party = party_case_for(request, reference)
    if party.role != PartyRole.RESPONDENT:
        access_attempt_record(
            user=request.user, reference=reference, action="page", case=party.case, request=request
        )
        raise Http404(ONLY_RESPONDENT_BUNDLE)
    return party


CAPTURE_NOT_HERE = gettext_noop("Links to posts cannot be sent for this case.")


def capture_party_for(request: HttpRequest, reference: str) -> PartySession:
    """A complainant's session on a case whose rulebook lets complainants send links to posts
    to be captured; anyone else is refused as if there were no such page (404), and recorded
    in the register, like a page outside their role."""
    party = party_case_for(request, reference)
    if party.role != PartyRole.COMPLAINANT or not party.case.rulebook.spec.complainant_capture:
        access_attempt_record(
            user=request.user, reference=reference, action="page", case=party.case, request=request
        )
        raise Http404(CAPTURE_NOT_HERE)
    return party
