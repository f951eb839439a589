"""Case-file audits (issue 23, item 3): the sample drawn again from its recorded seed, its
population, one round a quarter, the checklist, a finding raised as a recommendation, the
published counts against a direct count, and who may audit."""

import copy
import datetime as dt
import random
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from fairhearing.accounts.models import Role
from fairhearing.audits.models import Answer, AuditedCase, AuditRound
from fairhearing.audits.queries import audit_population, published_counts, quarter_to_audit
from fairhearing.audits.services import (
    ALREADY_DRAWN,
    ALREADY_RAISED,
    ANSWER_EVERY_CHECK,
    NOTHING_CLOSED,
    QUARTER_NOT_ENDED,
    ROUND_PUBLISHED,
    SAY_WHAT_WAS_FOUND,
    audit_finding_raise,
    audit_round_draw,
    audit_sample,
    audited_case_record,
)
from fairhearing.cases.models import Case
from fairhearing.conftest import make_user, signed_in, walk
from fairhearing.core.errors import CaseError
from fairhearing.ledger.models import Event, EventKind
from fairhearing.organisations.default_rulebook import DEFAULT_RULEBOOK
from fairhearing.organisations.services import organisation_create, rulebook_publish
from fairhearing.oversight.models import AccessAttempt
from fairhearing.reporting.models import Recommendation
from fairhearing.reporting.queries import Period, period_parse

pytestmark = pytest.mark.django_db

Q3 = period_parse("2026-Q3")
AFTER_Q3 = dt.date(2026, 10, 1)
ALL_MET = {
    "reasons_given": "yes",
    "time_limits_met": "yes",
    "notice_and_evidence_disclosed": "yes",
    "conflicts_checked": "not_applicable",
}


@pytest.fixture
def oversight(organisation):
    return make_user(organisation, "odile", Role.OVERSIGHT, first_name="Odile", last_name="Marr")


@pytest.fixture
def close_in(make_complaint, case_officer):
    """Close `n` new cases, dated into `period` (its first days, one a day)."""

    def closing(period: Period, n: int, *, name: str = "Respondent") -> list[Case]:
        closed = []
        for i in range(n):
            case = make_complaint(respondents=(f"{name} {i}",)).cases.get()
            walk(case, case_officer, "acknowledge", "begin_assessment", "assess_no_further_action")
            at = dt.datetime.combine(
                period.starts_on + dt.timedelta(days=i), dt.time(12), tzinfo=dt.UTC
            )
            Case.objects.filter(pk=case.pk).update(closed_at=at)
            closed.append(case)
        return closed

    return closing


def sample_size(organisation, size: int) -> None:
    definition = copy.deepcopy(DEFAULT_RULEBOOK)
    definition["audit"]["sample_size"] = size
    rulebook_publish(actor=None, organisation=organisation, definition=definition)


@settings(max_examples=200, deadline=None)
@given(
    ids=st.lists(st.integers(1, 10**9), unique=True, max_size=60),
    seed=st.text(min_size=1, max_size=32),
    size=st.integers(1, 80),
    shuffle=st.randoms(use_true_random=False),
)
def test_the_sample_is_a_function_of_its_seed_alone(ids, seed, size, shuffle) -> None:
    drawn = audit_sample(ids, seed, size)
    shuffled = list(ids)
    shuffle.shuffle(shuffled)
    assert audit_sample(shuffled, seed, size) == drawn  # the order ids come in does not matter
    assert len(drawn) == min(size, len(ids)) == len(set(drawn))
    assert set(drawn) <= set(ids)


def test_a_round_is_drawn_again_from_its_recorded_seed(organisation, oversight, close_in) -> None:
    sample_size(organisation, 4)
    close_in(Q3, 9)
    audit_round = audit_round_draw(
        actor=oversight, organisation=organisation, period=Q3, today=AFTER_Q3
    )
    drawn = list(audit_round.audited.order_by("position").values_list("case_id", flat=True))
    assert len(drawn) == 4 and audit_round.population == 9 and audit_round.sample_size == 4
    # Anyone with the recorded seed and the quarter's closed cases draws the same cases.
    again = audit_sample(audit_population(organisation.pk, Q3), audit_round.seed, 4)
    assert again == drawn
    event = Event.objects.get(kind=EventKind.AUDIT_ROUND_DRAWN)
    assert event.actor_id == oversight.pk
    assert event.payload["seed"] == audit_round.seed and event.payload["drawn"] == drawn
    assert len(audit_round.seed) == 32  # 128 bits of fresh randomness


def test_a_given_seed_draws_what_the_pure_function_draws(organisation, close_in) -> None:
    sample_size(organisation, 3)
    cases = close_in(Q3, 7)
    audit_round = audit_round_draw(
        actor=None, organisation=organisation, period=Q3, today=AFTER_Q3, seed="fixed seed"
    )
    expected = random.Random("fixed seed").sample(sorted(c.pk for c in cases), 3)
    assert [a.case_id for a in audit_round.audited.order_by("position")] == expected


def test_the_population_is_the_organisations_cases_closed_in_the_quarter(
    organisation, close_in, make_complaint
) -> None:
    inside = close_in(Q3, 2, name="Inside")
    close_in(period_parse("2026-Q2"), 1, name="Before")
    close_in(period_parse("2026-Q4"), 1, name="After")
    make_complaint(respondents=("Still Open",))
    elsewhere = close_in(Q3, 1, name="Elsewhere")[0]
    other = organisation_create(
        actor=None, name="Southmead Rowing Club", slug="southmead", reference_prefix="SRC"
    )
    Case.objects.filter(pk=elsewhere.pk).update(organisation=other)
    # The quarter's bounds: the last second of Q2 is out, the first of Q4 is out.
    assert audit_population(organisation.pk, Q3) == sorted(c.pk for c in inside)


def test_a_quarter_is_drawn_once_and_only_once_it_has_ended(
    organisation, oversight, close_in
) -> None:
    close_in(Q3, 2)
    with pytest.raises(CaseError, match=QUARTER_NOT_ENDED.format(period="2026-Q3")):
        audit_round_draw(
            actor=oversight, organisation=organisation, period=Q3, today=dt.date(2026, 9, 30)
        )
    audit_round_draw(actor=oversight, organisation=organisation, period=Q3, today=AFTER_Q3)
    with pytest.raises(CaseError, match=ALREADY_DRAWN.format(period="2026-Q3")):
        audit_round_draw(actor=oversight, organisation=organisation, period=Q3, today=AFTER_Q3)
    with pytest.raises(CaseError, match=NOTHING_CLOSED.format(period="2026-Q1")):
        audit_round_draw(
            actor=oversight,
            organisation=organisation,
            period=period_parse("2026-Q1"),
            today=AFTER_Q3,
        )
    assert AuditRound.objects.count() == 1
    assert AuditedCase.objects.count() == 2  # fewer closed than the sample: all of them


@pytest.fixture
def audit_round(organisation, oversight, close_in) -> AuditRound:
    sample_size(organisation, 3)
    close_in(Q3, 5)
    return audit_round_draw(actor=oversight, organisation=organisation, period=Q3, today=AFTER_Q3)


def test_an_audit_answers_every_check_and_says_what_was_found(audit_round, oversight) -> None:
    audited = audit_round.audited.first()
    with pytest.raises(CaseError, match=ANSWER_EVERY_CHECK):
        audited_case_record(
            actor=oversight, audited=audited, answers={"reasons_given": "yes"}, findings=""
        )
    with pytest.raises(CaseError, match=ANSWER_EVERY_CHECK):
        audited_case_record(
            actor=oversight,
            audited=audited,
            answers=ALL_MET | {"reasons_given": "maybe"},
            findings="",
        )
    with pytest.raises(CaseError, match=SAY_WHAT_WAS_FOUND):
        audited_case_record(
            actor=oversight,
            audited=audited,
            answers=ALL_MET | {"time_limits_met": "no"},
            findings="  ",
        )
    audited.refresh_from_db()
    assert audited.completed_at is None and audited.answers == {}  # nothing half-written
    audited_case_record(
        actor=oversight,
        audited=audited,
        answers=ALL_MET | {"time_limits_met": "no", "unknown": "yes"},
        findings="The reply period was shortened without reasons.",
    )
    audited.refresh_from_db()
    assert audited.answers == ALL_MET | {"time_limits_met": "no"}  # only the round's checks
    assert audited.completed_by == oversight
    event = Event.objects.get(kind=EventKind.AUDIT_CASE_RECORDED)
    assert event.case_id == audited.case_id and event.actor_id == oversight.pk
    assert "shortened" not in str(event.payload)  # the findings by their hash


def test_the_form_says_which_check_is_unanswered_and_writes_nothing(audit_round, oversight) -> None:
    audited = audit_round.audited.first()
    url = reverse("audits:case", args=[audited.pk])
    page = signed_in(oversight).get(url).content.decode()
    text = re.sub(r"<[^>]+>", "", page)  # what a reader sees: the rulebook's labels, no keys
    assert "Reasons given for each decision" in text and "reasons_given" not in text
    response = signed_in(oversight).post(
        url, {"check_reasons_given": "no", "check_time_limits_met": "yes"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Answer: Notice of the allegations and the evidence disclosed to the respondent." in body
    assert "Say what was found where a check was not met." in body
    audited.refresh_from_db()
    assert audited.completed_at is None
    answers = {f"check_{k}": v for k, v in ALL_MET.items()}
    response = signed_in(oversight).post(url, answers)
    assert response.status_code == 302
    audited.refresh_from_db()
    assert audited.answers == ALL_MET


def test_a_finding_becomes_a_recommendation_in_the_tracker(audit_round, oversight) -> None:
    first, second, third = audit_round.audited.order_by("position")
    for audited in (first, second):
        audited_case_record(
            actor=oversight,
            audited=audited,
            answers=ALL_MET | {"reasons_given": "no"},
            findings="The decision letter gave no reasons.",
        )
    response = signed_in(oversight).post(
        reverse("audits:raise", args=[first.pk]),
        {
            "text": "Every decision letter gives the reasons for it.",
            "owner": "Head of complaints",
            "due_on": (timezone.localdate() + dt.timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    assert (recommendation.number, recommendation.review.title) == ("A1", "Case-file audit 2026-Q3")
    assert recommendation.updates.get().actor == oversight
    first.refresh_from_db()
    audit_round.refresh_from_db()
    assert first.recommendation == recommendation and audit_round.review == recommendation.review
    raised = audit_finding_raise(
        actor=oversight,
        audited=second,
        text="Letters are checked for reasons before they are sent.",
        owner="Head of complaints",
        due_on=dt.date(2027, 3, 31),
    )
    assert (raised.number, raised.review) == ("A2", recommendation.review)
    with pytest.raises(CaseError, match=ALREADY_RAISED.format(number="A1")):
        audit_finding_raise(
            actor=oversight, audited=first, text="Again", owner="X", due_on=dt.date(2027, 3, 31)
        )
    with pytest.raises(CaseError):  # not audited yet
        audit_finding_raise(
            actor=oversight, audited=third, text="X", owner="X", due_on=dt.date(2027, 3, 31)
        )
    tracker = signed_in(oversight).get(reverse("reporting:tracker")).content.decode()
    assert "Case-file audit 2026-Q3" in tracker and "Every decision letter gives" in tracker
    assert Event.objects.filter(kind=EventKind.AUDIT_FINDING_RAISED).count() == 2


def test_the_published_counts_are_the_audits_counted_directly(
    organisation, audit_round, oversight, client
) -> None:
    rng = random.Random(7)
    audited_all = list(audit_round.audited.order_by("position"))
    assert published_counts(organisation.pk) == []  # nothing until every case is audited
    for audited in audited_all:
        answers = {k: rng.choice(Answer.values) for k in ALL_MET}
        audited_case_record(actor=oversight, audited=audited, answers=answers, findings="Noted.")
    (result,) = published_counts(organisation.pk)
    rows = AuditedCase.objects.filter(round=audit_round)
    for check, count in zip(audit_round.checks, result.checks, strict=True):
        assert count.label == check["label"]
        direct = [r.answers[check["key"]] for r in rows]
        assert (count.yes, count.no, count.not_applicable) == (
            direct.count("yes"),
            direct.count("no"),
            direct.count("not_applicable"),
        )
    assert (result.audited, result.sample_size, result.population) == (3, 3, 5)
    page = client.get(reverse("audits:published")).content.decode()  # public: no sign-in
    assert "3 of the 5 cases closed in the quarter were audited" in page
    for audited in audited_all:
        assert audited.case.reference not in page
    assert "Rowan" not in page and "Priya" not in page and "Noted." not in page
    # Published: the round's audits are final, and their pages say so.
    shown = signed_in(oversight).get(reverse("audits:case", args=[audited_all[0].pk]))
    assert "can no longer be changed" in shown.content.decode()
    assert 'name="findings"' not in shown.content.decode()
    with pytest.raises(CaseError, match=ROUND_PUBLISHED):
        audited_case_record(
            actor=oversight, audited=audited_all[0], answers=ALL_MET, findings="Changed."
        )


def test_oversight_draws_a_round_through_the_page(organisation, oversight, close_in) -> None:
    period = quarter_to_audit(timezone.localdate())
    close_in(period, 2)
    client = signed_in(oversight)
    assert period.name in client.get(reverse("audits:rounds")).content.decode()
    response = client.post(reverse("audits:rounds"), {"period": period.name})
    audit_round = AuditRound.objects.get()
    assert response["Location"] == reverse("audits:round", args=[audit_round.pk])
    again = client.post(reverse("audits:rounds"), {"period": period.name})
    assert again.status_code == 400
    assert ALREADY_DRAWN.format(period=period.name) in again.content.decode()
    bad = client.post(reverse("audits:rounds"), {"period": "last quarter"})
    assert bad.status_code == 400 and "2026-Q3" in bad.content.decode()
    page = client.get(reverse("audits:round", args=[audit_round.pk])).content.decode()
    assert audit_round.seed in page and "No further action" in page


ROLES = [
    Role.CASE_OFFICER,
    Role.INVESTIGATOR,
    Role.PANEL_MEMBER,
    Role.GOVERNING_BODY,
    Role.ADMINISTRATOR,
]


@pytest.mark.parametrize("role", ROLES)
def test_only_oversight_audits(organisation, audit_round, role) -> None:
    user = make_user(organisation, "nosy", role)
    audited = audit_round.audited.first()
    urls = [
        reverse("audits:rounds"),
        reverse("audits:round", args=[audit_round.pk]),
        reverse("audits:case", args=[audited.pk]),
        reverse("audits:raise", args=[audited.pk]),
    ]
    client = signed_in(user)
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(urls[0], {"period": "2026-Q2"}).status_code == 403
    assert AccessAttempt.objects.filter(user=user).count() == len(urls) + 1
    assert AuditRound.objects.count() == 1


def test_another_organisations_round_is_not_found(audit_round) -> None:
    other = organisation_create(
        actor=None, name="Southmead Rowing Club", slug="southmead", reference_prefix="SRC"
    )
    stranger = make_user(other, "sven", Role.OVERSIGHT)
    audited = audit_round.audited.first()
    client = signed_in(stranger)
    assert client.get(reverse("audits:round", args=[audit_round.pk])).status_code == 404
    assert client.get(reverse("audits:case", args=[audited.pk])).status_code == 404


def test_the_meeting_pack_shows_the_audit_published_when_it_was_made(
    organisation, audit_round, oversight
) -> None:
    from fairhearing.reporting.services import meeting_pack_make, meeting_schedule

    governing = make_user(organisation, "gwen", Role.GOVERNING_BODY)
    audited_all = list(audit_round.audited.order_by("position"))
    for audited in audited_all[:-1]:
        audited_case_record(actor=oversight, audited=audited, answers=ALL_MET, findings="")

    def pack_page() -> str:
        meeting = meeting_schedule(
            actor=None,
            organisation=organisation,
            title="Executive",
            held_on=timezone.localdate() + dt.timedelta(days=3),
        )
        pack = meeting_pack_make(meeting=meeting)
        url = reverse("reporting:pack", args=[pack.pk])
        return signed_in(governing).get(url).content.decode()

    before = pack_page()  # the round is not finished: nothing published yet
    answers = ALL_MET | {"time_limits_met": "no"}
    audited_case_record(
        actor=oversight, audited=audited_all[-1], answers=answers, findings="Late reply."
    )
    after = pack_page()
    assert "Case-file audit, 2026-Q3" not in before
    assert "Case-file audit, 2026-Q3" in after
    assert "3 of the 5 cases closed in the quarter were audited by oversight" in after
    for audited in audited_all:
        assert audited.case.reference not in after


@pytest.mark.parametrize(
    ("audit", "message"),
    [
        ({"sample_size": 0}, "audit sample_size must be between 1 and 1000"),
        (
            {"checks": [{"key": "a", "label": "A"}, {"key": "a", "label": "B"}]},
            "the audit names a check twice",
        ),
        ({"checks": [{"key": "Bad Key", "label": "A"}]}, "audit check 'Bad Key' is malformed"),
        ({"checks": [{"label": "No key"}]}, "an audit check is incomplete"),
    ],
)
def test_a_rulebook_with_a_malformed_audit_is_refused(audit, message) -> None:
    from fairhearing.organisations.rulebook import RulebookError, RulebookSpec

    definition = copy.deepcopy(DEFAULT_RULEBOOK)
    definition["audit"] = definition["audit"] | audit
    with pytest.raises(RulebookError, match=re.escape(message)):
        RulebookSpec(definition)
