"""Fictional demo data: an organisation, a user for each role and a few hundred cases.

Every person here is invented. Cases are taken through the real services, with decisions
dated in the past (`decided_at`), so the ledger, deadlines and timelines are all genuine.
This module walks the cases to their stages; the rest of the demo is in its siblings.
"""

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from fairhearing.accounts.models import User
from fairhearing.cases.models import AllegationType, Assignment, Case, Channel
from fairhearing.deadlines.services import calendar_for
from fairhearing.intake.details import AllegationDetails
from fairhearing.intake.record import complaint_record
from fairhearing.organisations.models import Organisation
from fairhearing.organisations.services import organisation_create
from fairhearing.oversight.models import Verification
from fairhearing.panels.models import TrainingRecord
from fairhearing.people.services import PersonDetails
from fairhearing.reporting.queries import period_of
from fairhearing.reporting.services import report_publish
from fairhearing.workflow.services import (
    case_assign,
    case_schedule_hearing,
    case_transition,
    hearing_earliest,
    verification_verify,
    verification_veto,
)

from .audits import audits_demo
from .cases import anonymous_demo, old_conduct_demo
from .clock_stops import clock_stops_demo
from .compliance import compliance_demo
from .data import (
    BRANCHES,
    CLOSING_STEPS,
    DEMO_PASSWORD,
    DEMO_RECEIPT,
    DEMO_SLUG,
    DEMO_USERS,
    FIRST,
    LAST,
    PATHS,
    REASONS,
    STEP_DAYS,
    TEXTS,
    WINDOW_STEPS,
)
from .evidence import evidence_demo
from .governance import governance_demo
from .independence import independence_demo, register_demo
from .notes import file_notes_demo
from .panels import panel_ready_for
from .surveys import surveys_demo
from .web_capture import web_capture_demo


def demo_loaded() -> bool:
    return Organisation.objects.filter(slug=DEMO_SLUG).exists()


# The kind of complaint the demo handles more slowly than the rest (see `load_demo`).
SLOWER_CATEGORY, SLOWER_FACTOR = "sexism", 2.5


def _users(organisation: Organisation) -> dict[str, User]:
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
        # The second officer's course runs out in three weeks: the training records page
        # shows it, and the daily sweep emails them.
        lasts = 21 if username == "officer2" else 610
        TrainingRecord.objects.create(
            user=users[username],
            course="Complaints handling",
            completed_on=today + dt.timedelta(days=lasts) - dt.timedelta(days=730),
            expires_on=today + dt.timedelta(days=lasts),
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
            ends = min(  # within the rulebook's longest suspension from the decision
                timezone.localdate() + dt.timedelta(days=rng.randint(60, 400)),
                timezone.localdate(when) + dt.timedelta(days=700),
            )
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


def _age_in_days(path: tuple[str, ...], rng: random.Random, slower: float = 1.0) -> float:
    """How long ago a case on this path arrived: open cases are mostly recent (and so within
    their limits); about one in five has stalled; closed cases spread over the past year."""
    needed = 1.5 * slower * sum(STEP_DAYS.get(step, 5) for step in path) + 21 * sum(
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
    categories = list(organisation.current_rulebook().spec.categories)
    for index in range(cases):
        _, path = rng.choices(PATHS, weights=weights)[0]
        # One case in twelve is a complaint of the kind whose handling runs slower, its steps
        # taking two and a half times as long: the statistics' parity figures flag it.
        slower = SLOWER_FACTOR if index % 12 == 0 else 1.0
        age = _age_in_days(path, rng, slower)
        received = now - dt.timedelta(days=age, hours=rng.randint(0, 9))
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
                    category=SLOWER_CATEGORY if slower > 1 else rng.choice(categories),
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
                    days = round(STEP_DAYS.get(step, 5) * slower)
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
    with transaction.atomic():  # before the pack, which shows the last audit's counts
        audits_demo(organisation, users["oversight"], rng)
    with transaction.atomic():  # before the pack and the statistics, which show the answers
        surveys_demo(organisation, rng)
    with transaction.atomic():
        governance_demo(organisation, users["admin"])
    with transaction.atomic():
        evidence_demo(organisation, users, rng)
    web_capture_demo(organisation, users)  # not atomic: the browser runs outside any
    with transaction.atomic():
        file_notes_demo(organisation, users)
    with transaction.atomic():
        clock_stops_demo(organisation, users)
    compliance_demo(organisation, users)
    anonymous_demo(organisation, users["officer"])
    this_quarter = period_of(timezone.localdate())
    for back in (1, 2):  # the last two full quarters, published
        period = period_of(this_quarter.starts_on - dt.timedelta(days=1 + 92 * (back - 1)))
        report_publish(actor=None, organisation=organisation, period=period)
    return {"organisation": organisation, "users": users, "receipt": DEMO_RECEIPT}
