"""What a case's team can do next, read from the rulebook and the case as it stands: the
decisions the stage allows, in the rulebook's order, those possible now first, and the others
with why they must wait (the same checks a decision runs: `services.requirements_check`); and
the stage's checklist with what is done. The checklist never blocks a decision: what a
decision needs is its transition's `requires`, checked above."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from fairhearing.cases.models import Case
from fairhearing.cases.queries import conduct_out_of_time
from fairhearing.core.errors import CaseError
from fairhearing.notes.queries import ChecklistLine, checklist_of
from fairhearing.organisations.rulebook import Transition
from fairhearing.panels.queries import panel_kind_due

from .services import requirements_check

VERIFYING = "Waiting for oversight to verify or veto the panel's decision."
OUT_OF_TIME = "Out of time: the conduct is older than the rulebook's time limit for charges."
DRAW_FIRST = "Draw the {kind} panel first."
SCHEDULE_FIRST = "Schedule the hearing first."


@dataclass(frozen=True)
class Blocked:
    transition: Transition
    why: str


@dataclass
class NextSteps:
    """The case's next steps: a preparatory step if one is due (draw a panel, schedule the
    hearing), the decisions possible now (the first is the one expected), and those blocked."""

    prepare: str = ""  # "draw_hearing", "draw_appeal" or "schedule"
    possible: list[Transition] = field(default_factory=list)
    blocked: list[Blocked] = field(default_factory=list)
    waiting: str = ""  # nothing to do but wait, and for what
    hearing: str = ""  # "schedule" or "reschedule": the hearing's date, if not the step itself
    checklist: list[ChecklistLine] = field(default_factory=list)  # the stage's checks

    @property
    def expected(self) -> Transition | None:
        """The one decision possible now, if only one is. Where the stage offers a choice
        (assess, charge, decide), the page lists them as equals: a button for one of them
        would lean on a decision that is the officer's to take."""
        return self.possible[0] if len(self.possible) == 1 and not self.prepare else None

    @property
    def others(self) -> list[Transition]:
        """The decisions possible now besides the expected one."""
        return [move for move in self.possible if move != self.expected]

    @property
    def checks_done(self) -> int:
        return len([line for line in self.checklist if line.done])

    @property
    def checks_left(self) -> int:
        return len(self.checklist) - self.checks_done

    @property
    def checks_progress(self) -> str:
        """How much of the checklist is done, in words: "2 of 4 checks done" ("" when the
        stage has none)."""
        if not self.checklist:
            return ""
        total = len(self.checklist)
        return f"{self.checks_done} of {total} check{'s' if total != 1 else ''} done"


def next_steps(case: Case, *, now: dt.datetime | None = None) -> NextSteps:
    now = now or timezone.now()
    spec = case.rulebook.spec
    steps = NextSteps()
    if case.is_closed:
        return steps
    steps.checklist = checklist_of(case)
    if case.stage == "verification":
        steps.waiting = VERIFYING
    kind = panel_kind_due(case)
    if kind:
        steps.prepare = f"draw_{kind}"
    elif case.stage == "hearing" and case.hearing_at is None:
        steps.prepare = "schedule"
    if case.stage == "hearing" and steps.prepare != "schedule":
        steps.hearing = "reschedule" if case.hearing_at else "schedule"
    late = conduct_out_of_time(case)
    barred = set(late.transitions) if late is not None and late.barred else set()
    for move in spec.transitions_from(case.stage):
        if move.key in barred:
            steps.blocked.append(Blocked(move, OUT_OF_TIME))
            continue
        try:
            # The sanction is the decision's own choice, checked on its form.
            requirements_check(
                case,
                move.key,
                tuple(r for r in move.requires if r != "sanction"),
                sanction="",
                sanction_ends_on=None,
                now=now,
            )
        except CaseError as exc:
            steps.blocked.append(Blocked(move, str(exc)))
            continue
        steps.possible.append(move)
    return steps
