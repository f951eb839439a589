"""The rule against bias in the demo: declared interests, a recusal, challenges, approaches,
an interim suspension, and enough refused attempts to fill the interference register."""

import datetime as dt
import random

from django.test import RequestFactory
from django.utils import timezone

from fairhearing.accounts.models import User
from fairhearing.cases.models import Assignment, Case
from fairhearing.interests.services import interest_declare
from fairhearing.organisations.models import Branch, Organisation
from fairhearing.oversight.services import access_attempt_record, approach_record
from fairhearing.panels.queries import active_seats, sitting_panel
from fairhearing.panels.services import interim_suspension_impose, panel_add_member
from fairhearing.people.models import Affiliation
from fairhearing.people.services import affiliation_record
from fairhearing.workflow.bias import case_recuse, challenge_decide, challenge_raise
from fairhearing.workflow.services import case_assign

from .panels import panel_pool_ensure, panel_prepare


def independence_demo(
    organisation: Organisation, users: dict[str, User], rng: random.Random
) -> None:
    """Declared interests, a recusal, challenges, approaches, refused attempts and an interim
    suspension, so that every part of the rule against bias shows in the demo."""
    pool = panel_pool_ensure(organisation)
    officer, officer2 = users["officer"], users["officer2"]
    castlegate, _ = Branch.objects.get_or_create(organisation=organisation, name="Castlegate")
    interest_declare(actor=officer2, kind="branch", branch=castlegate)
    interest_declare(actor=pool[2], kind="group", text="Northfield Reform Caucus")
    interest_declare(
        actor=users["investigator"], kind="other", text="Volunteer at a local food bank"
    )

    open_cases = Case.objects.filter(organisation=organisation).exclude(stage="closed")
    # A recusal: officer2 steps aside from one of their cases, and officer takes it over.
    theirs = open_cases.filter(
        assignments__user=officer2, assignments__ended_at__isnull=True, stage="assessment"
    ).first()
    if theirs is not None:
        case_recuse(
            actor=officer2,
            case=theirs,
            reasons="I worked with the complainant on a campaign last year.",
        )
        case_assign(actor=officer, case=theirs, user=officer, role=Assignment.Role.CASE_OFFICER)

    # Challenges on hearing panels: one upheld (and the seat filled again), one dismissed
    # that the respondent raised in their portal (and was emailed the outcome of), one
    # waiting for a decision; and a respondent's faction keeping out of the draw the
    # panellist who declared an interest in it.
    hearings = list(open_cases.filter(stage="hearing").order_by("pk")[:3])
    for index, case in enumerate(hearings):
        officer_on_case = case.assignments.filter(ended_at__isnull=True).first()
        actor = officer_on_case.user if officer_on_case else officer
        if index == 0:
            affiliation_record(
                actor=actor,
                person=case.respondent,
                kind=Affiliation.Kind.FACTION,
                name="Northfield Reform Caucus",
                source="The caucus's published list of supporters",
                source_date=timezone.localdate() - dt.timedelta(days=90),
                case_id=case.pk,
            )
        panel_prepare(case, actor, seed=100 + index)
        panel = sitting_panel(case, "hearing")
        assert panel is not None
        seats = list(active_seats(panel).order_by("pk"))
        if index == 0:
            member = next(s.user for s in seats if not s.is_chair)
            challenge = challenge_raise(
                actor=actor,
                case=case,
                challenged=member,
                raised_by=case.respondent,
                grounds="The member spoke against me at a regional conference.",
            )
            challenge_decide(
                actor=actor,
                challenge=challenge,
                upheld=True,
                reasons="A fair-minded observer could see a real possibility of bias.",
            )
            panel_add_member(actor=actor, panel=panel, seed=555)
            panel_prepare(case, actor)
            # The respondent, in their portal, challenges another member: not yet decided.
            other = next(s.user for s in active_seats(panel) if s.user != member)
            challenge_raise(
                actor=None,
                case=case,
                challenged=other,
                raised_by=case.respondent,
                grounds="I believe this member was at the branch meeting where the complaint "
                "was first discussed, and spoke in favour of it.",
            )
        elif index == 1:
            challenge = challenge_raise(
                actor=None,  # the respondent, in their portal
                case=case,
                challenged=seats[0].user,
                raised_by=case.respondent,
                grounds="The chair is a lawyer, like the complainant.",
            )
            challenge_decide(
                actor=actor,
                challenge=challenge,
                upheld=False,
                reasons="Sharing a profession is not a connection with a party.",
            )
        else:
            chair = next(s.user for s in active_seats(panel) if s.is_chair)
            interim_suspension_impose(
                actor=chair,
                case=case,
                reasons="The respondent repeated the conduct while the case was open.",
                ends_on=timezone.localdate() + dt.timedelta(days=60),
            )

    # Approaches recorded by staff, and refused attempts by those with no access.
    for case, who, asked in zip(
        open_cases.order_by("?")[:3],
        [
            "Councillor Hester Vane (branch chair)",
            "Dorian Pike, regional organiser",
            "An aide to a member of the governing body",
        ],
        [
            "Could this be dealt with after the selection meeting?",
            "Is the respondent going to be suspended? Members are asking.",
            "Can you send me the file so the committee can take a view?",
        ],
        strict=False,
    ):
        approach_record(
            actor=officer,
            case=case,
            approached_on=timezone.localdate(),
            approached_by=who,
            channel=rng.choice(["phone", "email", "in_person"]),
            asked=asked,
            answered="No. Cases are handled only by the case team, under the published procedure.",
        )
    for case in open_cases.order_by("?")[:4]:
        access_attempt_record(
            user=users["governing"], reference=case.reference, action="view", case=case
        )
    access_attempt_record(
        user=users["admin"],
        reference="FH-2026-00001",
        action="view",
        case=Case.objects.filter(reference="FH-2026-00001").first(),
    )


def register_demo(organisation: Organisation, users: dict[str, User], rng: random.Random) -> None:
    """Enough refused attempts that the interference register runs to more than one page:
    an office-holder opening and searching cases, staff reaching past their role, and
    addresses of cases tried by people not signed in."""

    requests = RequestFactory()
    cases = list(Case.objects.filter(organisation=organisation).order_by("?")[:30])
    governing, investigator = users["governing"], users["investigator"]
    for case in cases[:18]:
        access_attempt_record(
            user=governing,
            reference=case.reference,
            action="view",
            case=case,
            request=requests.get(f"/cases/{case.reference}/", REMOTE_ADDR="192.0.2.10"),
        )
    for name in ("Lowell Pritchard", "Castlegate", "selection", "FH-2026-00007"):
        access_attempt_record(
            user=governing,
            action="page",
            request=requests.get("/cases/", {"search": name}, REMOTE_ADDR="192.0.2.10"),
        )
    for case in cases[18:30]:
        access_attempt_record(
            user=investigator,
            reference=case.reference,
            action="search",
            case=case,
            request=requests.get("/cases/", {"search": case.reference}, REMOTE_ADDR="10.1.4.22"),
        )
    for path in ("/dossiers/", "/subject-access/", "/oversight/register/", "/webhooks/"):
        access_attempt_record(
            user=governing, action="page", request=requests.get(path, REMOTE_ADDR="192.0.2.10")
        )
    for n in range(16):
        reference = cases[n].reference if n % 2 else f"FH-2025-{rng.randint(1, 99999):05d}"
        found = Case.objects.filter(reference=reference).first()
        address = f"198.51.100.{rng.randint(2, 250)}"
        access_attempt_record(
            user=None,
            reference=reference,
            action="view",
            case=found,
            request=requests.get(f"/cases/{reference}/", REMOTE_ADDR=address),
        )
