"""Reading a rulebook's definition: stages, transitions, limits, sanctions, categories."""

import re
from dataclasses import dataclass, field
from typing import Any

from .default_rulebook import CLOSED


class RulebookError(ValueError):
    """A rulebook definition that cannot run a case."""


@dataclass(frozen=True)
class Transition:
    key: str
    source: str
    target: str
    label: str
    outcome: str = ""
    requires: tuple[str, ...] = ()
    # Where the decision form starts: the usual reasons, and the rules that may apply (the
    # officer edits or replaces them; what is recorded is what they send).
    standard_reasons: str = ""
    rules: tuple[str, ...] = ()

    @property
    def closes(self) -> bool:
        return self.target == CLOSED


@dataclass(frozen=True)
class TimeLimit:
    kind: str
    label: str
    stages: tuple[str, ...]
    working_days: int
    binds: str


@dataclass(frozen=True)
class Sanction:
    key: str
    label: str
    requires_end_date: bool = False
    # The longest it may run, in days from the decision (None: the rulebook sets no maximum).
    max_days: int | None = None
    # What the person sanctioned must do, each by a date (issue 23, item 5): followed up by
    # the compliance app once the sanction takes effect.
    conditions: tuple["ConditionRule", ...] = ()


# The kinds of condition a sanction may carry, and what they are called on pages.
CONDITION_KINDS = {
    "course": "Complete a course",
    "apology": "Apologise",
    "other": "Other condition",
}


@dataclass(frozen=True)
class ConditionRule:
    """A condition the rulebook attaches to a sanction: its kind (`CONDITION_KINDS`), what
    it asks, and how many calendar days from the decision it is due."""

    kind: str
    label: str
    due_days: int


@dataclass(frozen=True)
class ChecklistItem:
    """One thing a stage's checklist asks the case team to make sure of (issue 21, item 6).
    A reminder, never a condition: what a decision requires is in its transition's
    `requires`."""

    key: str
    label: str


# The account roles that reach a case to decide a clock stop (`deadlines.access.STOP_DECIDERS`).
CLOCK_STOP_DECIDERS = frozenset({"case_officer", "investigator", "oversight"})


@dataclass(frozen=True)
class ClockStopRules:
    """How a time limit's clock may be stopped (R-56). A rulebook without `clock_stops` gets
    these defaults: a stop takes effect when asked for (no approval, as before the setting
    existed), but always with a restart date."""

    # Whether a stop waits for a second person's approval (the clock runs meanwhile).
    approval: bool = False
    # The account roles that may approve or decline, other than whoever asked.
    approved_by: tuple[str, ...] = ("case_officer", "investigator", "oversight")
    # The latest restart date, in calendar days from the request.
    max_days: int = 90
    # A clock stopped longer than this many calendar days is escalated, as a breach is.
    escalate_after_days: int = 30


CHECK_KEY = re.compile(r"[a-z][a-z0-9_]{0,59}")


@dataclass
class RulebookSpec:
    definition: dict[str, Any]
    stage_labels: dict[str, str] = field(init=False)
    transitions: dict[str, Transition] = field(init=False)
    time_limits: list[TimeLimit] = field(init=False)
    sanctions: dict[str, Sanction] = field(init=False)
    # Stage -> its checklist, in the rulebook's order (stages without one are left out).
    checklists: dict[str, tuple[ChecklistItem, ...]] = field(init=False)
    clock_stops: ClockStopRules = field(init=False)

    def __post_init__(self) -> None:
        d = self.definition
        try:
            self.stage_labels = {s["key"]: s["label"] for s in d["stages"]}
            self.transitions = {
                t["key"]: Transition(
                    key=t["key"],
                    source=t["from"],
                    target=t["to"],
                    label=t["label"],
                    outcome=t.get("outcome", ""),
                    requires=tuple(t.get("requires", ())),
                    standard_reasons=t.get("reasons", ""),
                    rules=tuple(t.get("rules", ())),
                )
                for t in d["transitions"]
            }
            self.time_limits = [
                TimeLimit(
                    kind=lim["kind"],
                    label=lim["label"],
                    stages=tuple(lim["stages"]),
                    working_days=int(lim["working_days"]),
                    binds=lim.get("binds", "organisation"),
                )
                for lim in d["time_limits"]
            ]
            self.sanctions = {
                s["key"]: Sanction(
                    s["key"],
                    s["label"],
                    bool(s.get("requires_end_date")),
                    int(s["max_days"]) if s.get("max_days") is not None else None,
                    tuple(
                        ConditionRule(str(c["kind"]), str(c["label"]), int(c["due_days"]))
                        for c in s.get("conditions") or ()
                    ),
                )
                for s in d["sanctions"]
            }
            self.checklists = {
                stage: tuple(ChecklistItem(str(i["key"]), str(i["label"])) for i in items)
                for stage, items in (d.get("checklists") or {}).items()
                if items
            }
            stops = d.get("clock_stops") or {}
            default = ClockStopRules()
            self.clock_stops = ClockStopRules(
                approval=bool(stops.get("approval", default.approval)),
                approved_by=tuple(str(r) for r in stops.get("approved_by", default.approved_by)),
                max_days=int(stops.get("max_days", default.max_days)),
                escalate_after_days=int(
                    stops.get("escalate_after_days", default.escalate_after_days)
                ),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise RulebookError(f"rulebook definition is incomplete: {exc}") from exc
        self._check()

    def _check(self) -> None:
        if CLOSED not in self.stage_labels:
            raise RulebookError("a rulebook needs a 'closed' stage")
        for t in self.transitions.values():
            for stage in (t.source, t.target):
                if stage not in self.stage_labels:
                    raise RulebookError(f"transition {t.key} names unknown stage {stage!r}")
            if t.closes and t.outcome not in self.outcomes:
                raise RulebookError(f"transition {t.key} closes a case without a known outcome")
        for sanction in self.sanctions.values():
            if sanction.max_days is not None and (
                sanction.max_days < 1 or not sanction.requires_end_date
            ):
                raise RulebookError(f"sanction {sanction.key} has a maximum but no end date")
            for rule in sanction.conditions:
                if rule.kind not in CONDITION_KINDS or not rule.label.strip():
                    raise RulebookError(f"a condition of sanction {sanction.key} is malformed")
                if not 1 <= rule.due_days <= 1826:
                    raise RulebookError(
                        f"a condition of sanction {sanction.key} must be due in 1 to 1826 days"
                    )
        if not 0 <= self.compliance_reminder_days <= 90:
            raise RulebookError("compliance reminder_days must be between 0 and 90")
        if not set(self.compliance_set_aside_by) <= set(self.transitions):
            raise RulebookError("compliance set_aside_by names an unknown transition")
        if not 0 <= self.service_by_post_working_days <= 20:
            raise RulebookError("service_by_post_working_days must be between 0 and 20")
        for lim in self.time_limits:
            if lim.working_days < 0 or lim.binds not in {"organisation", "respondent"}:
                raise RulebookError(f"time limit {lim.kind} is malformed")
        for group in ("case_team", "panel"):
            if any(not name.strip() for name in self.training_required(group)):
                raise RulebookError(f"training for the {group.replace('_', ' ')} names a blank")
        if not 0 <= self.training_reminder_days <= 365:
            raise RulebookError("training reminder_days must be between 0 and 365")
        if not 1 <= self.parity_threshold_percent <= 500 or self.parity_min_cases < 6:
            raise RulebookError(
                "parity needs a threshold_percent from 1 to 500 and min_cases of at least 6"
            )
        stops = self.clock_stops
        if not 1 <= stops.max_days <= 366 or stops.escalate_after_days < 1:
            raise RulebookError("clock_stops needs max_days of 1 to 366 and escalate_after_days")
        if stops.approval and not stops.approved_by:
            raise RulebookError("clock_stops needs approval by at least one role")
        if not set(stops.approved_by) <= CLOCK_STOP_DECIDERS:
            raise RulebookError(
                f"clock_stops may be approved only by {', '.join(sorted(CLOCK_STOP_DECIDERS))}"
            )
        self._check_audit()
        if not 1 <= self.survey_link_days <= 365:
            raise RulebookError("surveys link_days must be between 1 and 365")
        if not 1 <= self.captures_per_day <= 50:
            raise RulebookError("evidence captures_per_day must be between 1 and 50")
        for stage, items in self.checklists.items():
            if stage not in self.stage_labels or stage == CLOSED:
                raise RulebookError(f"a checklist names {stage!r}, which is not an open stage")
            keys = [item.key for item in items]
            if len(set(keys)) != len(keys):
                raise RulebookError(f"the checklist of stage {stage} names a check twice")
            for item in items:
                if not CHECK_KEY.fullmatch(item.key) or not item.label.strip():
                    raise RulebookError(f"check {item.key!r} of stage {stage} is malformed")

    @property
    def first_stage(self) -> str:
        return next(iter(self.stage_labels))

    @property
    def outcomes(self) -> dict[str, str]:
        return dict(self.definition.get("outcomes", {}))

    @property
    def categories(self) -> dict[str, str]:
        return {c["key"]: c["label"] for c in self.definition.get("categories", [])}

    @property
    def calendar(self) -> tuple[str, str | None]:
        cal = self.definition.get("calendar", {})
        return cal.get("country", "GB"), cal.get("subdivision")

    @property
    def reminder_percentages(self) -> list[int]:
        return sorted(int(p) for p in self.definition.get("reminder_percentages", []))

    @property
    def hearing_notice_min_working_days(self) -> int:
        return int(self.definition.get("hearing_notice_min_working_days", 0))

    @property
    def service_by_post_working_days(self) -> int:
        """A letter posted on day D is served on this working day after D (default 2)."""
        return int(self.definition.get("service_by_post_working_days", 2))

    @property
    def letters_contact(self) -> str:
        """How a party reaches the case team, printed on every letter ("" if not set)."""
        return str(self.definition.get("letters_contact") or "")

    @property
    def conduct_time_limit_years(self) -> int | None:
        """R-29: charges about conduct older than this many years are not brought."""
        years = self.definition.get("conduct_time_limit_years")
        return int(years) if years is not None else None

    @property
    def conduct_limited_transitions(self) -> frozenset[str]:
        """The decisions that bring charges: those the rulebook names, or else every move into
        its hearing stage."""
        named = self.definition.get("conduct_time_limit_transitions")
        if named is not None:
            return frozenset(named)
        return frozenset(t.key for t in self.transitions.values() if t.target == "hearing")

    def training_required(self, group: str) -> tuple[str, ...]:
        """R-64: the courses (by name) that must be current before someone joins a case team
        (`group` "case_team") or is drawn for a panel ("panel"); none named: any current
        training will do."""
        names = (self.definition.get("training") or {}).get(group) or ()
        return tuple(str(name) for name in names)

    @property
    def training_reminder_days(self) -> int:
        """How many days before a required course's training expires its holder is told."""
        return int((self.definition.get("training") or {}).get("reminder_days", 30))

    @property
    def compliance_reminder_days(self) -> int:
        """How many days before a sanction's condition is due the person sanctioned is
        reminded of it (0: never)."""
        return int((self.definition.get("compliance") or {}).get("reminder_days", 14))

    @property
    def compliance_set_aside_by(self) -> tuple[str, ...]:
        """The decisions that set a sanction aside, withdrawing what it asked of the person
        (by default an appeal allowed)."""
        named = (self.definition.get("compliance") or {}).get("set_aside_by")
        if named is None:
            return tuple(k for k in ("appeal_allowed",) if k in self.transitions)
        return tuple(str(k) for k in named)

    @property
    def parity_threshold_percent(self) -> int:
        """A category whose median days to outcome over a year differs from the rest's by
        more than this share is flagged in the statistics (reporting/parity.py)."""
        return int((self.definition.get("parity") or {}).get("threshold_percent", 25))

    @property
    def parity_min_cases(self) -> int:
        """The fewest closed cases, in the category and in the rest, to judge it by."""
        return int((self.definition.get("parity") or {}).get("min_cases", 10))

    @property
    def audit_sample_size(self) -> int:
        """How many of a quarter's closed cases oversight audits (audits app)."""
        return int((self.definition.get("audit") or {}).get("sample_size", 10))

    @property
    def audit_checks(self) -> tuple[ChecklistItem, ...]:
        """What an audit asks of each sampled case file, in order."""
        items = (self.definition.get("audit") or {}).get("checks") or ()
        return tuple(ChecklistItem(str(i["key"]), str(i["label"])) for i in items)

    @property
    def surveys_enabled(self) -> bool:
        """Whether the parties are asked a confidence survey when a case closes (surveys app)."""
        return bool((self.definition.get("surveys") or {}).get("enabled", False))

    @property
    def complainant_capture(self) -> bool:
        """Whether a complainant may ask from their portal for a post to be captured from its
        link (evidence.capture_queue.capture_request_by_party)."""
        return bool((self.definition.get("evidence") or {}).get("complainant_capture", False))

    @property
    def captures_per_day(self) -> int:
        """How many captures one complainant may ask for in a day."""
        return int((self.definition.get("evidence") or {}).get("captures_per_day", 5))

    @property
    def survey_link_days(self) -> int:
        """How many days a survey link lasts."""
        return int((self.definition.get("surveys") or {}).get("link_days", 60))

    def _check_audit(self) -> None:
        if not 1 <= self.audit_sample_size <= 1000:
            raise RulebookError("audit sample_size must be between 1 and 1000")
        try:
            keys = [item.key for item in self.audit_checks]
        except (KeyError, TypeError) as exc:
            raise RulebookError(f"an audit check is incomplete: {exc}") from exc
        if len(set(keys)) != len(keys):
            raise RulebookError("the audit names a check twice")
        for item in self.audit_checks:
            if not CHECK_KEY.fullmatch(item.key) or not item.label.strip():
                raise RulebookError(f"audit check {item.key!r} is malformed")

    @property
    def conduct_exception_roles(self) -> frozenset[str]:
        """Who may allow charges outside the time limit (empty: no exception route)."""
        route = self.definition.get("conduct_time_limit_exception") or {}
        return frozenset(route.get("decided_by", ()))

    @property
    def conduct_rules(self) -> dict[str, str]:
        rules: dict[str, str] = {}
        for definition in self.definition.get("conduct_definitions", []):
            for rule in definition.get("rules", []):
                rules[rule["ref"]] = rule["text"]
        return rules

    def needs_verification(self, category: str, transition: str) -> bool:
        rules = self.definition.get("verification") or {}
        return category in rules.get("categories", []) and transition in rules.get(
            "transitions", []
        )

    @property
    def verification_stage(self) -> str:
        return str((self.definition.get("verification") or {}).get("stage", "verification"))

    @property
    def veto_returns_to(self) -> str:
        return str((self.definition.get("verification") or {}).get("veto_returns_to", "hearing"))

    def stage_label(self, stage: str) -> str:
        return self.stage_labels.get(stage, stage)

    def transitions_from(self, stage: str) -> list[Transition]:
        return [t for t in self.transitions.values() if t.source == stage]

    def checklist_for(self, stage: str) -> tuple[ChecklistItem, ...]:
        return self.checklists.get(stage, ())

    def check_label(self, stage: str, key: str) -> str:
        """A check's words ("" if the stage's checklist has no such check)."""
        return next((i.label for i in self.checklist_for(stage) if i.key == key), "")

    def limits_for_stage(self, stage: str) -> list[TimeLimit]:
        return [lim for lim in self.time_limits if stage in lim.stages]
