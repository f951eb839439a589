"""Fictional demo data: an organisation, a user for each role and a few hundred cases.

Every person here is invented. Cases are taken through the real services, with decisions
dated in the past (`decided_at`), so the ledger, deadlines and timelines are all genuine.
"""

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from fairhearing.accounts.models import Role, User
from fairhearing.cases.models import AllegationType, Assignment, Case, Channel
from fairhearing.cases.services import (
    AllegationDetails,
    case_assign,
    case_schedule_hearing,
    case_transition,
    complaint_record,
    hearing_earliest,
)
from fairhearing.deadlines.services import calendar_for
from fairhearing.organisations.models import Organisation
from fairhearing.organisations.services import organisation_create
from fairhearing.people.models import Affiliation
from fairhearing.people.services import PersonDetails, affiliation_record

DEMO_SLUG = "northfield"
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo, never in production

# The demo's anonymous report opens with this code (printed by `load_demo`). Chosen, not drawn,
# so that it can be printed every time; real codes come from `secrets`.
DEMO_RECEIPT = "N0RT-HF1E-7D26-DEM0-RECE-1PT5"

DEMO_USERS = [
    ("officer", Role.CASE_OFFICER, "Olwen", "Tarrant"),
    ("officer2", Role.CASE_OFFICER, "Marcus", "Delaney"),
    ("investigator", Role.INVESTIGATOR, "Ivo", "Brandt"),
    ("oversight", Role.OVERSIGHT, "Odile", "Marchetti"),
    ("governing", Role.GOVERNING_BODY, "Gideon", "Farrow"),
    ("admin", Role.ADMINISTRATOR, "Ada", "Whitcombe"),
]

FIRST = [
    "Aled",
    "Bryony",
    "Cormac",
    "Delphine",
    "Eamon",
    "Fenella",
    "Gethin",
    "Halima",
    "Isidore",
    "Jocasta",
    "Kester",
    "Lorna",
    "Mungo",
    "Nerys",
    "Osric",
    "Perpetua",
    "Quentin",
    "Rosalind",
    "Tobias",
    "Ursula",
    "Vikram",
    "Wilhelmina",
    "Xanthe",
    "Yusuf",
]
LAST = [
    "Abernethy",
    "Blackwood",
    "Carraway",
    "Dunmore",
    "Ellery",
    "Fairclough",
    "Garside",
    "Hollins",
    "Illingworth",
    "Jessop",
    "Kilbride",
    "Lockhart",
    "Merriman",
    "Northcott",
    "Oakes",
    "Pennington",
    "Quayle",
    "Ravenscroft",
    "Stanhope",
    "Thistlewood",
]
BRANCHES = ["Ashbourne Central", "Bramley Vale", "Castlegate", "Dunholme North", "Eastmere"]
TEXTS = [
    "Shared a meme mocking people of a particular faith in the branch chat group.",
    "Posted a thread describing a minority community in demeaning terms.",
    "Liked several posts that repeated a conspiracy theory about a minority.",
    "Shouted abuse at a fellow member after a branch meeting.",
    "Sent repeated unwanted messages to a new member.",
    "Re-posted a cartoon that relies on a racist stereotype.",
    "Made remarks about a colleague's disability during a campaign session.",
]

# The main road from a new complaint to its hearing; most demo paths share it.
TO_HEARING = (
    "acknowledge",
    "begin_assessment",
    "assess_investigate",
    "reply_received",
    "complete_investigation",
    "refer_to_panel",
)
ASSESSED = ("acknowledge", "begin_assessment")
DECIDED = (*TO_HEARING, "hearing_held", "decide_upheld")

# Where cases stop, with weights: every stage is represented and every closing outcome.
PATHS: list[tuple[int, tuple[str, ...]]] = [
    (30, ()),
    (25, ("acknowledge",)),
    (30, ASSESSED),
    (40, (*ASSESSED, "assess_no_further_action")),
    (12, (*ASSESSED, "assess_informal_resolution")),
    (20, (*ASSESSED, "assess_informal_resolution", "informal_resolved")),
    (20, (*ASSESSED, "assess_investigate")),
    (25, TO_HEARING[:4]),
    (12, (*ASSESSED, "assess_investigate", "reply_window_elapsed", "complete_investigation")),
    (15, (*TO_HEARING[:5], "charge_no_further_action")),
    (12, TO_HEARING),
    (8, (*TO_HEARING, "hearing_held")),
    (10, (*TO_HEARING, "hearing_held", "decide_not_upheld")),
    (8, DECIDED),
    (12, (*DECIDED, "appeal_window_closed")),
    (6, (*DECIDED, "appeal_lodged")),
    (6, (*DECIDED, "appeal_lodged", "appeal_dismissed")),
    (4, (*DECIDED, "appeal_lodged", "appeal_allowed")),
    (4, (*DECIDED, "appeal_lodged", "appeal_sanction_varied")),
]
# Typical working days each step takes; some cases run late, which makes them overdue.
STEP_DAYS = {
    "acknowledge": 2,
    "begin_assessment": 1,
    "reply_received": 8,
    "reply_window_elapsed": 12,
    "complete_investigation": 30,
    "refer_to_panel": 6,
    "hearing_held": 14,
    "decide_upheld": 7,
    "decide_not_upheld": 7,
    "appeal_window_closed": 16,
    "appeal_lodged": 10,
}
CLOSING_STEPS = {
    "assess_no_further_action",
    "informal_resolved",
    "charge_no_further_action",
    "decide_not_upheld",
    "appeal_window_closed",
    "appeal_dismissed",
    "appeal_allowed",
    "appeal_sanction_varied",
}
WINDOW_STEPS = {"reply_window_elapsed": "respondent_reply", "appeal_window_closed": "appeal_window"}
REASONS = {
    "assess_no_further_action": (
        "The conduct described, even if proven, would not breach the code of conduct.",
        "Assessment criteria 2(a)",
    ),
    "assess_investigate": (
        "The allegation, if proven, would breach the code and there is evidence to investigate.",
        "Assessment criteria 2(c); CC-1.3",
    ),
    "charge_no_further_action": (
        "The evidence does not support a charge.",
        "Charging standard, evidential test",
    ),
    "decide_upheld": (
        "The panel found the allegation proven on the balance of probabilities.",
        "Code of Conduct CC-1.3",
    ),
}


def demo_loaded() -> bool:
    return Organisation.objects.filter(slug=DEMO_SLUG).exists()


def _users(organisation: Organisation) -> dict[str, User]:
    from fairhearing.panels.models import TrainingRecord

    users = {}
    today = timezone.localdate()
    for username, role, first, last in DEMO_USERS:
        users[username] = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            organisation=organisation,
            first_name=first,
            last_name=last,
            email=f"{username}@northfield.invalid",
        )
        TrainingRecord.objects.create(
            user=users[username],
            course="Complaints handling",
            completed_on=today - dt.timedelta(days=120),
            expires_on=today + dt.timedelta(days=610),
        )
    return users


def _person(rng: random.Random, *, member: bool, counter: list[int]) -> PersonDetails:
    counter[0] += 1
    return PersonDetails(
        full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        email=f"person{counter[0]}@example.invalid",
        is_member=member,
        membership_number=f"M{100000 + counter[0]}" if member else "",
        branch_name=rng.choice(BRANCHES) if member else "",
    )


def _hearing_scheduled(case: Case, actor: User) -> dt.datetime:
    """Fix the hearing the day the case reaches the hearing stage, with the rulebook's notice;
    the time it starts (it can be recorded as held only after)."""
    if case.hearing_at is None:
        calendar = calendar_for(case)
        day = hearing_earliest(case, calendar.local_date(case.stage_entered_at))
        case_schedule_hearing(
            actor=actor,
            case=case,
            decided_at=case.stage_entered_at,
            hearing_at=calendar.end_of_day(day).replace(hour=10, minute=0, second=0, microsecond=0),
        )
        case.refresh_from_db()
    assert case.hearing_at is not None
    return case.hearing_at


def _take(case: Case, actor: User, step: str, when: dt.datetime, rng: random.Random) -> None:
    reasons, rule = REASONS.get(
        step,
        (
            f"Recorded by the case officer: {step.replace('_', ' ')}.",
            "Complaints procedure, rulebook v1",
        ),
    )
    sanction, ends = "", None
    if step in {"decide_upheld", "appeal_sanction_varied"}:
        sanction = rng.choice(["formal_warning", "mandatory_education", "suspension"])
        if sanction == "suspension":
            ends = timezone.localdate() + dt.timedelta(days=rng.randint(60, 400))
    dissent = ""
    if step in {"decide_upheld", "decide_not_upheld"} and rng.random() < 0.3:
        dissent = "decide_not_upheld" if step == "decide_upheld" else "decide_upheld"
    panel_ready_for(case, actor, step, sanction=sanction, dissent=dissent, sanction_ends_on=ends)
    case_transition(
        actor=actor,
        case=case,
        transition=step,
        reasons=reasons,
        rule_applied=rule,
        sanction=sanction,
        sanction_ends_on=ends,
        decided_at=when,
    )


def _oversight_decides(case: Case, oversight: User, rng: random.Random, when: dt.datetime) -> bool:
    """Oversight verifies most held decisions and vetoes a few; True if verified."""
    from fairhearing.oversight.models import Verification
    from fairhearing.oversight.services import verification_verify, verification_veto

    verification = Verification.objects.get(case=case, status="pending")
    if rng.random() < 0.12:
        verification_veto(
            actor=oversight,
            verification=verification,
            reasons="The panel did not address the respondent's evidence on context; "
            "a fresh panel must hear the case.",
            decided_at=when,
        )
        return False
    verification_verify(
        actor=oversight,
        verification=verification,
        reasons="The decision applies the definition adopted in the code of conduct and gives "
        "adequate reasons.",
        decided_at=when,
    )
    return True


def _age_in_days(path: tuple[str, ...], rng: random.Random) -> float:
    """How long ago a case on this path arrived: open cases are mostly recent (and so within
    their limits); about one in five has stalled; closed cases spread over the past year."""
    needed = 1.5 * sum(STEP_DAYS.get(step, 5) for step in path) + 21 * sum(
        step in WINDOW_STEPS for step in path
    )
    if path and path[-1] in CLOSING_STEPS:
        return needed + rng.uniform(5, 360)
    stalled = 3.5 if rng.random() < 0.2 else 1.0
    return (needed + rng.uniform(0.5, 6)) * stalled


def load_demo(
    *, cases: int = 320, seed: int = 2026, progress: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
    """Create the demo organisation and its cases. Refuses to run twice."""
    rng = random.Random(seed)
    now = timezone.now()
    with transaction.atomic():
        organisation = organisation_create(
            actor=None, name="Northfield Cooperative League", slug=DEMO_SLUG
        )
        users = _users(organisation)
    officers = [users["officer"], users["officer2"]]
    counter = [0]
    weights = [w for w, _ in PATHS]
    for index in range(cases):
        _, path = rng.choices(PATHS, weights=weights)[0]
        received = now - dt.timedelta(days=_age_in_days(path, rng), hours=rng.randint(0, 9))
        names = 2 if rng.random() < 0.05 else 1
        with transaction.atomic():
            complaint = complaint_record(
                actor=officers[0] if rng.random() < 0.2 else None,
                organisation=organisation,
                channel=rng.choice(
                    [Channel.WEB] * 6 + [Channel.EMAIL, Channel.POST, Channel.PHONE]
                ),
                complainant=_person(rng, member=rng.random() < 0.6, counter=counter),
                respondents=[_person(rng, member=True, counter=counter) for _ in range(names)],
                allegation=AllegationDetails(
                    allegation_type=rng.choice(AllegationType.values),
                    category=rng.choice(list(organisation.current_rulebook().spec.categories)),
                    description=rng.choice(TEXTS),
                    conduct_date=(received - dt.timedelta(days=rng.randint(1, 900))).date(),
                    conduct_rule_refs=[rng.choice(["CC-1.1", "CC-1.2", "CC-1.3", "CC-2.1"])],
                ),
                summary=rng.choice(TEXTS),
                received_at=received,
            )
            for case in complaint.cases.all():
                officer = rng.choice(officers)
                if path:
                    case_assign(
                        actor=officer, case=case, user=officer, role=Assignment.Role.CASE_OFFICER
                    )
                if "reply_received" in path or "reply_window_elapsed" in path:
                    case_assign(
                        actor=officer,
                        case=case,
                        user=users["investigator"],
                        role=Assignment.Role.INVESTIGATOR,
                    )
                when = received
                calendar = calendar_for(case)
                for step in path:
                    # Most steps are on time; about one in six runs late.
                    days = STEP_DAYS.get(step, 5)
                    when = calendar.end_of_day(
                        calendar.add_working_days(calendar.local_date(when), rng.randint(1, days))
                    ).replace(
                        hour=rng.randint(9, 16), minute=rng.randint(0, 59), second=0, microsecond=0
                    )
                    if step in WINDOW_STEPS:  # these wait for the respondent's window to end
                        window = case.deadlines.get(kind=WINDOW_STEPS[step], status="open")
                        when = max(when, window.due_at + dt.timedelta(hours=rng.randint(10, 80)))
                    if step == "hearing_held":  # recorded as held only once it has taken place
                        hearing_at = _hearing_scheduled(case, officer)
                        when = max(when, hearing_at + dt.timedelta(hours=rng.randint(2, 30)))
                    if when >= now:
                        break
                    case.refresh_from_db()
                    _take(case, officer, step, when, rng)
                    case.refresh_from_db()
                    if case.stage == "verification":
                        when = min(now, when + dt.timedelta(days=3))
                        if not _oversight_decides(case, users["oversight"], rng, when):
                            break  # vetoed: back to a hearing before a fresh panel
        if progress:
            progress(index + 1, cases)
    with transaction.atomic():
        independence_demo(organisation, users, rng)
    with transaction.atomic():
        old_conduct_demo(organisation, users)
    with transaction.atomic():
        register_demo(organisation, users, rng)
    with transaction.atomic():
        governance_demo(organisation, users["admin"])
    from fairhearing.demo.evidence import evidence_demo

    with transaction.atomic():
        evidence_demo(organisation, users, rng)
    anonymous_demo(organisation, users["officer"])
    from fairhearing.reporting.queries import period_of
    from fairhearing.reporting.services import report_publish

    this_quarter = period_of(timezone.localdate())
    for back in (1, 2):  # the last two full quarters, published
        period = period_of(this_quarter.starts_on - dt.timedelta(days=1 + 92 * (back - 1)))
        report_publish(actor=None, organisation=organisation, period=period)
    return {"organisation": organisation, "users": users, "receipt": DEMO_RECEIPT}


PANEL_POOL = [
    ("lawyer1", "Lavinia", "Ormerod", "lawyer"),
    ("lawyer2", "Leopold", "Szabo", "lawyer"),
    ("lawyer3", "Larissa", "Quenby", "lawyer"),
    ("lawyer4", "Lysander", "Okafor", "lawyer"),
    ("hr1", "Harriet", "Voss", "hr_regulatory"),
    ("hr2", "Hamish", "Tranter", "hr_regulatory"),
    ("hr3", "Henrietta", "Blythe", "hr_regulatory"),
    ("lay1", "Lucian", "Pemberton", "lay"),
    ("lay2", "Linnea", "Ashdown", "lay"),
    ("lay3", "Lowenna", "Trevithick", "lay"),
]
# Ten members, four of them lawyers: whatever the hearing panel's draw, an appeal panel of
# three people not previously involved, chaired by a lawyer, can always be drawn.


def panel_pool_ensure(organisation: Organisation, password: str = DEMO_PASSWORD) -> list[User]:
    """The fictional independent pool, with current training (created once)."""
    from fairhearing.panels.models import Panellist, TrainingRecord

    members = []
    today = timezone.localdate()
    for username, first, last, qualification in PANEL_POOL:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                password=password,
                role=Role.PANEL_MEMBER,
                organisation=organisation,
                first_name=first,
                last_name=last,
                email=f"{username}@panel.invalid",
            )
            Panellist.objects.create(user=user, qualification=qualification)
            TrainingRecord.objects.create(
                user=user,
                course="Panel member induction",
                completed_on=today - dt.timedelta(days=200),
                expires_on=today + dt.timedelta(days=530),
            )
        members.append(user)
    return members


def panel_prepare(case: Case, actor: Any, *, seed: int = 7) -> None:
    """Draw the panel the case's stage needs (if none sits) and have every member affirm."""
    from fairhearing.panels.queries import active_seats, sitting_panel
    from fairhearing.panels.services import panel_draw, seat_affirm

    kind = "appeal" if case.stage == "appeal" else "hearing"
    panel = sitting_panel(case, kind) or panel_draw(actor=actor, case=case, kind=kind, seed=seed)
    for seat in active_seats(panel):
        if seat.affirmed_at is None:
            seat_affirm(actor=seat.user, seat=seat)


def panel_decide(
    case: Case,
    actor: Any,
    transition: str,
    *,
    sanction: str = "",
    dissent: str = "",
    sanction_ends_on: dt.date | None = None,
) -> None:
    """Every member votes for `transition` (one dissenting for `dissent`, if given); a sanction
    that ends is voted to end on `sanction_ends_on` (by default in six months)."""
    from fairhearing.panels.models import Vote
    from fairhearing.panels.queries import active_seats, sitting_panel
    from fairhearing.panels.services import panel_vote

    panel_prepare(case, actor)
    kind = "appeal" if case.stage == "appeal" else "hearing"
    panel = sitting_panel(case, kind)
    assert panel is not None
    for index, seat in enumerate(active_seats(panel).order_by("pk")):
        if Vote.objects.filter(seat=seat).exists():
            continue
        choice = dissent if dissent and index == 2 else transition
        spec = case.rulebook.spec
        chosen = (
            (sanction or "formal_warning")
            if "sanction" in spec.transitions[choice].requires
            else ""
        )
        ends = None
        if chosen and spec.sanctions[chosen].requires_end_date:
            ends = sanction_ends_on or timezone.localdate() + dt.timedelta(days=182)
        panel_vote(
            actor=seat.user,
            seat=seat,
            transition=choice,
            reasons=f"My reasons for {choice.replace('_', ' ')}.",
            sanction=chosen,
            sanction_ends_on=ends,
        )


def panel_ready_for(
    case: Case,
    actor: Any,
    transition: str,
    *,
    password: str = DEMO_PASSWORD,
    sanction: str = "",
    dissent: str = "",
    sanction_ends_on: dt.date | None = None,
) -> None:
    """If the transition needs a panel: the pool, a drawn panel, affirmations, and votes."""
    case.refresh_from_db()
    requires = case.rulebook.spec.transitions[transition].requires
    if any(r.startswith(("panel_seated:", "panel_vote:")) for r in requires):
        panel_pool_ensure(case.organisation, password=password)
        if any(r.startswith("panel_vote:") for r in requires):
            panel_decide(
                case,
                actor,
                transition,
                sanction=sanction,
                dissent=dissent,
                sanction_ends_on=sanction_ends_on,
            )
        else:
            panel_prepare(case, actor)


def independence_demo(
    organisation: Organisation, users: dict[str, User], rng: random.Random
) -> None:
    """Declared interests, a recusal, challenges, approaches, refused attempts and an interim
    suspension, so that every part of the rule against bias shows in the demo."""
    from fairhearing.interests.services import (
        case_recuse,
        challenge_decide,
        challenge_raise,
        interest_declare,
    )
    from fairhearing.organisations.models import Branch
    from fairhearing.oversight.services import access_attempt_record, approach_record
    from fairhearing.panels.queries import active_seats, sitting_panel
    from fairhearing.panels.services import interim_suspension_impose, panel_add_member

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


RULEBOOK_RULE = "Complaints procedure, rulebook v1"


def old_conduct_demo(organisation: Organisation, users: dict[str, User]) -> Case:
    """A complaint about a post from seven years ago, investigated and now at the charge
    decision: the rulebook's time limit bars a referral to a panel (R-29), and the case page
    says so, offering oversight the exception route."""
    officer = users["officer"]
    today = timezone.localdate()
    case = complaint_record(
        actor=None,
        organisation=organisation,
        channel=Channel.WEB,
        complainant=PersonDetails(full_name="Nerys Ambrose", email="nerys@example.invalid"),
        respondents=[
            PersonDetails(
                full_name="Lowell Pritchard",
                email="lowell@example.invalid",
                is_member=True,
                membership_number="M190001",
                branch_name=BRANCHES[0],
            )
        ],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST,
            category="racism",
            description="A post on a public page mocking a community's accent and customs.",
            conduct_date=today.replace(year=today.year - 7, day=1),
        ),
        summary="A post from years ago, found and reported this month.",
    ).cases.get()
    case_assign(actor=None, case=case, user=officer, role=Assignment.Role.CASE_OFFICER)
    for step in TO_HEARING[:5]:
        words = step.replace("_", " ")
        case_transition(
            actor=officer,
            case=case,
            transition=step,
            reasons=REASONS.get(step, (f"Recorded by the case officer: {words}.", ""))[0],
            rule_applied=REASONS.get(step, ("", RULEBOOK_RULE))[1],
        )
    return case


def register_demo(organisation: Organisation, users: dict[str, User], rng: random.Random) -> None:
    """Enough refused attempts that the interference register runs to more than one page:
    an office-holder opening and searching cases, staff reaching past their role, and
    addresses of cases tried by people not signed in."""
    from django.test import RequestFactory

    from fairhearing.oversight.services import access_attempt_record

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


REVIEW_RECOMMENDATIONS = [
    (
        "Publish the complaints procedure and its time limits",
        "General Secretary",
        "implemented",
        "Procedure published on the website and in the members' handbook.",
    ),
    (
        "Acknowledge every complaint within three working days",
        "Head of Complaints",
        "implemented",
        "Automatic acknowledgement with reference; breaches reported to each meeting.",
    ),
    (
        "Appoint an independent panel pool, chaired by lawyers",
        "Governing Body",
        "implemented",
        "Seven independent members appointed after open recruitment.",
    ),
    (
        "Train every handler and panel member before assignment",
        "Head of Governance",
        "implemented",
        "Training records are checked before every assignment and draw.",
    ),
    (
        "Record every approach about a case from outside the case team",
        "Head of Complaints",
        "implemented",
        "Approaches are recorded in the interference register.",
    ),
    (
        "Give office-holders no access to individual case files",
        "General Secretary",
        "implemented",
        "Refused attempts are recorded and reported as counts.",
    ),
    (
        "Publish quarterly statistics covering every complaint",
        "Head of Governance",
        "in_progress",
        "First two quarters published; appeal figures to follow.",
    ),
    (
        "Let respondents see the evidence and reply before any decision",
        "Head of Complaints",
        "implemented",
        "Respondent portal live; reply window of ten working days.",
    ),
    ("Offer informal resolution where proportionate", "Head of Complaints", "in_progress", ""),
    (
        "Track this review's recommendations publicly",
        "Governing Body",
        "implemented",
        "This tracker.",
    ),
    (
        "Adopt a definition of antisemitism with all its examples",
        "Governing Body",
        "in_progress",
        "",
    ),
    (
        "Have oversight verify decisions on protected characteristics",
        "Governing Body",
        "implemented",
        "Verification stage in the rulebook; vetoes go to a fresh panel.",
    ),
    (
        "End lifetime bans: every re-admission bar has an end",
        "General Secretary",
        "implemented",
        "Sanction ladder amended; expulsions carry an end date.",
    ),
    (
        "Anonymise closed cases after the retention period",
        "Data Protection Officer",
        "not_started",
        "",
    ),
    ("Encrypt special-category data at field level", "Data Protection Officer", "not_started", ""),
    ("Require two-factor sign-in for all staff and panel members", "Head of IT", "in_progress", ""),
    (
        "Update complainants at least every three months",
        "Head of Complaints",
        "implemented",
        "Automatic three-monthly updates while a case is open.",
    ),
    (
        "Report overdue cases to every governing-body meeting",
        "General Secretary",
        "implemented",
        "Meeting packs list overdue cases under anonymised references.",
    ),
    (
        "Allow an oral hearing with a companion on request",
        "Head of Complaints",
        "implemented",
        "Portal request; companion's unavailability moves the hearing up to 5 working days.",
    ),
    (
        "Create a separate suspension panel for interim measures",
        "Governing Body",
        "not_accepted",
        "Interim suspension is decided by the hearing panel's chair, with review dates instead.",
    ),
]


def governance_demo(organisation: Organisation, admin: User) -> None:
    """A fictional review with 20 recommendations in several states, and two meetings."""
    import csv
    import io

    from fairhearing.reporting.models import Meeting
    from fairhearing.reporting.services import meeting_pack_make, recommendations_import

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["number", "text", "owner", "due_on", "status", "evidence"])
    today = timezone.localdate()
    for number, (text, owner, status, evidence) in enumerate(REVIEW_RECOMMENDATIONS, start=1):
        due = today + dt.timedelta(days=30 * (number - 10))
        writer.writerow([f"R{number}", text, owner, due.isoformat(), status, evidence])
    recommendations_import(
        actor=admin,
        organisation=organisation,
        title="Independent Review of the Complaints Process (fictional)",
        published_on=today - dt.timedelta(days=400),
        data=out.getvalue().encode(),
        filename="review.csv",
    )
    past = Meeting.objects.create(
        organisation=organisation, title="Executive Committee", held_on=today - dt.timedelta(days=3)
    )
    meeting_pack_make(meeting=past)
    Meeting.objects.create(
        organisation=organisation,
        title="Executive Committee",
        held_on=today + dt.timedelta(days=25),
    )


def anonymous_demo(organisation: Organisation, officer: User) -> None:
    """An anonymous report with a screenshot, sent this morning, opened with `DEMO_RECEIPT`:
    the case officer has begun the assessment and asked the reporter a question."""
    import io

    from PIL import Image, ImageDraw

    from fairhearing.evidence.services import Upload
    from fairhearing.intake.receipts import receipt_code_parse
    from fairhearing.intake.services import anonymous_report_submit, reporter_message_send
    from fairhearing.portal.models import PartyRole
    from fairhearing.portal.services import message_send

    image = Image.new("RGB", (480, 160), "white")
    draw = ImageDraw.Draw(image)
    draw.text((16, 16), "Castlegate members (group chat)", fill="black")
    draw.text((16, 56), "Quentin Harrow: volunteers like her should know their place", fill="black")
    draw.text((16, 96), "[cartoon]", fill="grey")
    screenshot = io.BytesIO()
    image.save(screenshot, format="PNG")
    now = timezone.now()
    submitted = anonymous_report_submit(
        organisation=organisation,
        respondents=[PersonDetails(full_name="Quentin Harrow", branch_name="Castlegate")],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST,
            category=next(iter(organisation.current_rulebook().spec.categories)),
            description="Posted a cartoon mocking a volunteer in the branch group chat, with "
            "a comment that volunteers like her should know their place.",
            conduct_date=(now - dt.timedelta(days=2)).date(),
        ),
        summary="A cartoon and comment mocking a volunteer in the branch group chat.",
        upload=Upload("group-chat.png", screenshot.getvalue()),
        upload_description="Screenshot of the group chat",
        received_at=now - dt.timedelta(hours=3),
        code=receipt_code_parse(DEMO_RECEIPT),
    )
    report = submitted.report
    case = report.complaint.cases.get()
    with transaction.atomic():
        reporter_message_send(
            report=report,
            case=case,
            body="I am a member of the branch and would rather not be named. The chat has "
            "about 40 members.",
        )
        case_assign(actor=officer, case=case, user=officer, role=Assignment.Role.CASE_OFFICER)
        case_transition(
            actor=officer,
            case=case,
            transition="begin_assessment",
            reasons="Anonymous report with a screenshot: enough to assess.",
            rule_applied="Rulebook: assess every acknowledged complaint",
        )
        message_send(
            case=case,
            party_person=report.complaint.complainant,
            party_role=PartyRole.COMPLAINANT,
            body="Thank you for your report. Do you know roughly when the cartoon was posted, "
            "and whether anyone replied to it?",
            from_staff=officer,
        )
