"""Confidence surveys (issue 23, item 4; R-55): who is invited when a case closes, the one-time
link, the answer recorded apart from the party, the published figures against a direct count,
their suppression, the pack, and that the case team cannot link an answer to a party."""

import copy
import datetime as dt
import json
import random
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from fairhearing.accounts.models import Role as UserRole
from fairhearing.api.services import api_token_create
from fairhearing.conftest import make_user, signed_in, walk
from fairhearing.core.errors import CaseError
from fairhearing.dataprotection.subject_access import collect
from fairhearing.ledger.models import Event, EventKind
from fairhearing.notifications.models import Notification
from fairhearing.notifications.sending import notifications_send_pending
from fairhearing.organisations.default_rulebook import DEFAULT_RULEBOOK
from fairhearing.organisations.rulebook import RulebookError, RulebookSpec
from fairhearing.organisations.services import rulebook_publish
from fairhearing.people.models import Person
from fairhearing.reporting.confidence import survey_content, survey_groups
from fairhearing.reporting.models import Meeting
from fairhearing.reporting.queries import pack_content, period_figures, period_parse
from fairhearing.reporting.services import meeting_pack_make, report_content, report_publish
from fairhearing.reporting.suppression import HIDDEN, SMALL, Group, Table, attacker_ranges
from fairhearing.surveys.models import QUESTIONS, Answer, Invitation, Level, Role
from fairhearing.surveys.queries import MIN_FOR_COMMENTS, answer_counts, comments_of
from fairhearing.surveys.services import (
    ANSWER_EVERY_QUESTION,
    EXPIRED,
    UNKNOWN,
    USED,
    SurveyLinkError,
    survey_answer,
    survey_link_check,
    token_hash,
)

pytestmark = pytest.mark.django_db

ALL_AGREE: dict[str, int] = dict.fromkeys(QUESTIONS, int(Level.AGREE))
TO_NO_FURTHER_ACTION = ("acknowledge", "begin_assessment", "assess_no_further_action")
# Investigated (the respondent is told), then closed with no case to answer.
TO_NO_CASE = (
    "acknowledge",
    "begin_assessment",
    "assess_investigate",
    "reply_received",
    "complete_investigation",
    "charge_no_further_action",
)


@pytest.fixture(autouse=True)
def _key(settings, tmp_path) -> None:
    settings.LEDGER_SIGNING_KEY_FILE = tmp_path / "ledger.key"


@pytest.fixture
def oversight(organisation):
    return make_user(organisation, "odile", UserRole.OVERSIGHT)


@pytest.fixture
def with_emails(case):
    Person.objects.filter(pk=case.respondent_id).update(email="rowan@example.invalid")
    case.respondent.refresh_from_db()
    return case


def survey_links() -> dict[str, str]:
    """Send what is queued; each survey email's address -> the link's token, from the mail."""
    mail.outbox.clear()
    notifications_send_pending()
    links = {}
    for message in mail.outbox:
        found = re.search(r"/survey/([A-Za-z0-9_-]+)/", str(message.body))
        if found:
            links[message.to[0]] = found.group(1)
    return links


def post_answers(client: Client, token: str, **extra: Any) -> Any:
    data = {key: str(int(level)) for key, level in ALL_AGREE.items()} | extra
    return client.post(reverse("surveys:answer", args=[token]), data)


# --- who is invited ---------------------------------------------------------------------------


def test_closing_after_notice_invites_both_parties_by_email_with_a_one_time_link(
    with_emails, case_officer
) -> None:
    walk(with_emails, case_officer, *TO_NO_CASE)
    invitations = Invitation.objects.filter(case=with_emails).order_by("role")
    assert [(i.role, i.used) for i in invitations] == [
        ("complainant", False),
        ("respondent", False),
    ]
    links = survey_links()
    assert sorted(links) == ["priya@example.invalid", "rowan@example.invalid"]
    message = next(
        m for m in mail.outbox if m.to == ["priya@example.invalid"] and "/survey/" in m.body
    )
    assert message.subject == "How was your complaint handled? A short, anonymous survey"
    assert with_emails.reference in message.body and "Dear Priya Callender" in message.body
    assert isinstance(message, mail.EmailMultiAlternatives)
    assert "text/html" in message.alternatives[0][1]
    # Only the hash of each token is kept, and each opens its own party's invitation.
    for email, token in links.items():
        invitation = survey_link_check(token)
        assert invitation.token_sha256 == token_hash(token) != token
        assert invitation.person.email == email
    events = Event.objects.filter(kind=EventKind.SURVEY_INVITED, case_id=with_emails.pk)
    assert sorted(e.payload["role"] for e in events) == ["complainant", "respondent"]
    assert not any(token in e.canonical for e in events for token in links.values())
    expires = timezone.localtime(invitations[0].expires_at)
    assert invitations[0].expires_at - invitations[0].sent_at == dt.timedelta(days=60)
    assert f"until {expires.day} {expires:%B %Y}" in message.body


def test_a_respondent_never_told_of_the_complaint_is_not_asked(with_emails, case_officer) -> None:
    walk(with_emails, case_officer, *TO_NO_FURTHER_ACTION)
    assert list(Invitation.objects.values_list("role", flat=True)) == ["complainant"]
    assert sorted(survey_links()) == ["priya@example.invalid"]


def test_a_party_without_email_is_not_asked_and_nobody_is_asked_twice(case, case_officer) -> None:
    walk(case, case_officer, *TO_NO_CASE)  # the respondent has no email address
    assert list(Invitation.objects.values_list("role", flat=True)) == ["complainant"]
    assert not Notification.objects.filter(kind="survey_invitation", channel="post").exists()


def test_the_rulebook_turns_surveys_off_and_sets_how_long_a_link_lasts(
    organisation, make_complaint, case_officer
) -> None:
    definition = copy.deepcopy(DEFAULT_RULEBOOK)
    definition["surveys"] = {"enabled": False, "link_days": 30}
    rulebook_publish(actor=None, organisation=organisation, definition=definition)
    case = make_complaint().cases.get()
    walk(case, case_officer, *TO_NO_FURTHER_ACTION)
    assert not Invitation.objects.exists()
    assert not Notification.objects.filter(kind="survey_invitation").exists()
    for days in (0, 366):
        bad = copy.deepcopy(DEFAULT_RULEBOOK)
        bad["surveys"] = {"enabled": True, "link_days": days}
        with pytest.raises(RulebookError, match="link_days"):
            RulebookSpec(bad)


# --- the answer page --------------------------------------------------------------------------


def test_a_party_answers_once_and_the_answer_holds_no_case_party_or_time(
    with_emails, case_officer
) -> None:
    walk(with_emails, case_officer, *TO_NO_CASE)
    token = survey_links()["rowan@example.invalid"]
    client = Client()
    page = client.get(reverse("surveys:answer", args=[token]))
    assert page.status_code == 200
    assert "How was your complaint handled?" in page.content.decode()
    with time_machine.travel(dt.datetime(2026, 11, 20, 15, tzinfo=dt.UTC)):
        response = post_answers(
            client, token, fair=str(Level.STRONGLY_DISAGREE), comments="Too slow."
        )
    assert response.status_code == 302 and response["Location"] == reverse("surveys:thanks")
    (answer,) = Answer.objects.all()
    assert (answer.period, answer.role, answer.fair, answer.confidence) == (
        "2026-Q4",
        "respondent",
        Level.STRONGLY_DISAGREE,
        Level.AGREE,
    )
    assert answer.comments == "Too slow."
    assert Invitation.objects.get(role="respondent").used
    assert not Invitation.objects.get(role="complainant").used
    # The second use of the link is refused with a page that says why.
    again = post_answers(client, token)
    assert again.status_code == 410 and "already been answered" in again.content.decode()
    assert Answer.objects.count() == 1
    event = Event.objects.get(kind=EventKind.SURVEY_ANSWERED)
    assert event.case_id is None and event.actor_id is None
    assert event.payload == {"organisation": with_emails.organisation_id, "period": "2026-Q4"}


def test_an_unknown_an_expired_and_a_used_link_each_get_a_clear_page(
    with_emails, case_officer
) -> None:
    walk(with_emails, case_officer, *TO_NO_CASE)
    links = survey_links()
    client = Client()
    unknown = client.get(reverse("surveys:answer", args=["not-a-token"]))
    assert (
        unknown.status_code == 404 and "This survey link does not work" in unknown.content.decode()
    )
    token = links["priya@example.invalid"]
    with time_machine.travel(timezone.now() + dt.timedelta(days=61)):
        expired = client.get(reverse("surveys:answer", args=[token]))
        assert expired.status_code == 410 and "has expired" in expired.content.decode()
        assert post_answers(client, token).status_code == 410
        with pytest.raises(SurveyLinkError) as refused:
            survey_answer(token=token, answers=ALL_AGREE)
        assert refused.value.reason == EXPIRED
    assert not Answer.objects.exists()
    survey_answer(token=token, answers=ALL_AGREE)
    with pytest.raises(SurveyLinkError) as refused:
        survey_answer(token=token, answers=ALL_AGREE)
    assert refused.value.reason == USED
    with pytest.raises(SurveyLinkError) as refused:
        survey_answer(token="x" * 43, answers=ALL_AGREE)
    assert refused.value.reason == UNKNOWN


def test_every_statement_must_be_answered(with_emails, case_officer) -> None:
    walk(with_emails, case_officer, *TO_NO_CASE)
    token = survey_links()["priya@example.invalid"]
    response = Client().post(reverse("surveys:answer", args=[token]), {"fair": "4"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select how far you agree that the process was explained to me clearly." in page
    assert "Select how far you agree that I was kept informed about my case." in page
    with pytest.raises(CaseError, match=ANSWER_EVERY_QUESTION):
        survey_answer(token=token, answers={**ALL_AGREE, "informed": 9})
    assert not Answer.objects.exists() and not Invitation.objects.filter(used=True).exists()


# --- anonymity --------------------------------------------------------------------------------


def test_the_records_hold_nothing_that_links_an_answer_to_its_invitation() -> None:
    """By construction: the answer has no case, party, invitation or time; its key is random;
    the invitation says only that it was used."""
    assert {f.name for f in Answer._meta.get_fields()} == {
        "id",
        "organisation",
        "period",
        "role",
        *QUESTIONS,
        "comments",
    }
    assert Answer._meta.pk is not None and Answer._meta.pk.get_internal_type() == "UUIDField"
    assert {f.name for f in Invitation._meta.get_fields()} == {
        "id",
        "case",
        "person",
        "role",
        "token_sha256",
        "sent_at",
        "expires_at",
        "used",
    }


def _normalised(html: str) -> str:
    """A page without what changes on every request (tokens, nonces, the time now)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_nothing_the_case_team_or_oversight_reads_links_an_answer_to_a_party(
    organisation, with_emails, case_officer, oversight
) -> None:
    """What reaches the case officer and oversight about the case (its page with its timeline,
    its API, its events on the ledger, the parties' subject access documents) is the same
    before and after a party answers: nothing there can tell which party answered, let alone
    how. And what tells how (the published counts, the comments) names no case or party."""
    walk(with_emails, case_officer, *TO_NO_CASE)
    links = survey_links()
    _, clear = api_token_create(actor=None, user=case_officer, name="t", scopes=["cases:read"])
    api = Client(headers={"Authorization": f"Bearer {clear}"})
    complainant = with_emails.parties.get(role="complainant").person
    people = [with_emails.respondent, complainant]

    def seen() -> dict[str, Any]:
        page = reverse("cases:detail", args=[with_emails.reference])
        return {
            "officer page": _normalised(signed_in(case_officer).get(page).content.decode()),
            "oversight page": _normalised(signed_in(oversight).get(page).content.decode()),
            "api": api.get(f"/api/v1/cases/{with_emails.reference}").json(),
            "events": list(Event.objects.filter(case_id=with_emails.pk).values_list("hash")),
            "subject access": [
                {k: v for k, v in collect(p).items() if k != "produced_at"} for p in people
            ],
        }

    before = seen()
    assert before["api"].get("reference") == with_emails.reference  # the API did answer
    survey_answer(token=links["rowan@example.invalid"], answers=ALL_AGREE, comments="Clear.")
    after = seen()
    for what in before:
        assert before[what] == after[what], what
    # The one event the answer made is on no case and says nothing of who or how.
    (answered,) = Event.objects.filter(kind=EventKind.SURVEY_ANSWERED)
    text = answered.canonical
    assert answered.case_id is None and with_emails.reference not in text
    assert "respondent" not in text and "Clear" not in text
    assert set(answered.payload) == {"organisation", "period"}  # no answer, no invitation


def test_comments_are_for_oversight_only_without_their_role_and_not_for_a_few(
    organisation, case_officer, oversight
) -> None:
    for i in range(MIN_FOR_COMMENTS - 1):
        Answer.objects.create(
            organisation=organisation,
            period="2026-Q3",
            role=Role.RESPONDENT if i == 0 else Role.COMPLAINANT,
            comments=f"Comment number {i}",
            **ALL_AGREE,
        )
    assert comments_of(organisation.pk, "2026-Q3") is None
    response = signed_in(oversight).get(reverse("surveys:comments"))
    assert response.status_code == 200 and 'id="too-few"' in response.content.decode()
    assert "Comment number" not in response.content.decode()
    Answer.objects.create(
        organisation=organisation, period="2026-Q3", role=Role.COMPLAINANT, **ALL_AGREE
    )
    page = signed_in(oversight).get(reverse("surveys:comments")).content.decode()
    assert all(f"Comment number {i}" in page for i in range(MIN_FOR_COMMENTS - 1))
    assert "Respondent" not in page and "Complainant" not in page
    # This quarter's comments wait until it has ended.
    Answer.objects.create(
        organisation=organisation,
        period="2026-Q4",
        role=Role.COMPLAINANT,
        comments="Written this quarter",
        **ALL_AGREE,
    )
    with time_machine.travel(dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC)):
        page = signed_in(oversight).get(reverse("surveys:comments")).content.decode()
        assert "2026-Q4" not in page and "Comment number 0" in page
    with time_machine.travel(dt.datetime(2027, 1, 4, 12, tzinfo=dt.UTC)):
        answers = reverse("surveys:comments") + "?period=2026-Q4"
        page = signed_in(oversight).get(answers).content.decode()
        assert 'id="too-few"' in page  # one answer in 2026-Q4
    assert signed_in(case_officer).get(reverse("surveys:comments")).status_code == 403


# --- the figures ------------------------------------------------------------------------------


def _answers(organisation, period: str, n: int, rng: random.Random) -> None:
    for _ in range(n):
        Answer.objects.create(
            organisation=organisation,
            period=period,
            role=rng.choice(Role.values),
            comments="",
            **{key: rng.choice(Level.values) for key in QUESTIONS},
        )


def test_the_counts_match_a_direct_count_by_quarter_role_statement_and_level(
    organisation,
) -> None:
    rng = random.Random(23)
    _answers(organisation, "2026-Q3", 80, rng)
    _answers(organisation, "2026-Q4", 17, rng)
    found = answer_counts(organisation.pk, ["2026-Q2", "2026-Q3", "2026-Q4"])
    for period in ("2026-Q2", "2026-Q3", "2026-Q4"):
        for role in Role.values:
            for question in QUESTIONS:
                for level in Level.values:
                    direct = Answer.objects.filter(
                        organisation=organisation, period=period, role=role, **{question: level}
                    ).count()
                    assert found[period][role][question][level] == direct
    # And as the quarter's figures and its published statistics give them.
    figures = period_figures(organisation, period_parse("2026-Q3"))
    assert figures["survey"] == found["2026-Q3"]
    report = report_publish(actor=None, organisation=organisation, period=period_parse("2026-Q3"))
    for row in report.content["survey_answers"]:
        role = "complainant" if row["role"] == "Complainants" else "respondent"
        direct = Answer.objects.filter(period="2026-Q3", role=role).count()
        assert row["answers"] == str(direct) and direct > 5
    labels = dict(Level.choices)
    for table in report.content["survey_tables"]:
        _, role, question = table["name"].split("_", 2)
        for row in table["rows"]:
            level = next(k for k, v in labels.items() if v == row["label"])
            direct = Answer.objects.filter(period="2026-Q3", role=role, **{question: level}).count()
            if row["shown"] == SMALL:
                assert 1 <= direct <= 5
            elif row["shown"] != HIDDEN:
                assert int(row["shown"]) == direct
    # The CSV lists the survey's tables with the rest; the page shows them.
    csv = Client().get(reverse("reporting:report_format", args=["2026-Q3", "csv"]))
    assert "Confidence survey, complainants: I was treated fairly" in csv.content.decode()
    page = Client().get(reverse("reporting:report", args=["2026-Q3"])).content.decode()
    assert 'id="survey"' in page and 'data-testid="survey_complainant"' in page
    assert json.dumps(report.content).count("comments") == 0


@st.composite
def survey_counts(draw: st.DrawFn) -> dict[str, dict[str, dict[int, int]]]:
    """A quarter's answers: for each role a number of answers, split at random among the levels
    of each statement, with many small counts."""
    counts: dict[str, dict[str, dict[int, int]]] = {}
    for role in Role.values:
        total = draw(st.integers(min_value=0, max_value=30))
        counts[role] = {}
        for question in QUESTIONS:
            cuts = sorted(draw(st.lists(st.integers(0, total), min_size=4, max_size=4)))
            parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
            counts[role][question] = dict(zip(Level.values, parts, strict=True))
    return counts


@settings(max_examples=200, deadline=None)
@given(survey_counts())
def test_nothing_hidden_in_the_survey_tables_can_be_pinned(counts: dict) -> None:
    """Each role's four tables share its number of answers: the attacker who knows every
    published number, that each table sums to its role's total and that "1-5" is 1 to 5, pins
    no hidden count. No total over the roles is published (it would pin a role's hidden one)."""
    content = report_content(_figures_with(counts))
    assert [row["role"] for row in content["survey_answers"]] == ["Complainants", "Respondents"]
    assert "survey_total" not in content and len(content["survey_tables"]) == 8
    raw = survey_groups(counts)
    for row in content["survey_answers"]:
        role = "complainant" if row["role"] == "Complainants" else "respondent"
        tables = []
        for published in content["survey_tables"]:
            if not published["name"].startswith(f"survey_{role}_"):
                continue
            counted = next(t for t in raw[role].tables if t.name == published["name"])
            table = Table(published["name"], counted.counts)
            table.withheld = published["withheld"]
            table.shown = {r["label"]: r["shown"] for r in published["rows"]}
            tables.append(table)
        assert len(tables) == 4
        group = Group(tables, total_shown=row["answers"])
        ranges = attacker_ranges(group)
        if row["answers"] == SMALL:
            low, high = ranges[("", "total")]
            assert low < high, (role, counts[role])
        for table in tables:
            for key, shown in table.shown.items():
                if shown in {SMALL, HIDDEN}:
                    low, high = ranges[(table.name, key)]
                    assert low < high, (table.name, key, table.counts, table.shown)
                elif shown != "withheld":
                    assert int(shown) == table.counts[key] and not 1 <= int(shown) <= 5


def _figures_with(counts: dict) -> dict[str, Any]:
    return {
        "received": 0,
        "by_category": {},
        "by_stage": {},
        "closed": 0,
        "outcomes": {},
        "closed_by_staff": 0,
        "appeal_results": {},
        "limits": {},
        "appeals_lodged": 0,
        "interim_suspensions": 0,
        "clock_stops": {"asked": {}, "ended": {}, "days_stopped": 0, "escalated": 0},
        "time_to_outcome_days": {"median": None, "p90": None},
        "survey": counts,
    }


def test_a_lone_small_count_is_hidden_behind_another_and_a_role_of_few_withheld() -> None:
    counts = {
        "complainant": {q: {5: 20, 4: 10, 3: 0, 2: 0, 1: 0} for q in QUESTIONS},
        "respondent": {q: {5: 1, 4: 1, 3: 1, 2: 0, 1: 0} for q in QUESTIONS},
    }
    counts["complainant"]["fair"] = {5: 20, 4: 7, 3: 3, 2: 0, 1: 0}
    content = survey_content(counts)
    by_name = {t["name"]: t for t in content["survey_tables"]}
    fair = {r["label"]: r["shown"] for r in by_name["survey_complainant_fair"]["rows"]}
    assert fair == {
        "Strongly agree": "20",
        "Agree": HIDDEN,
        "Neither agree nor disagree": SMALL,
        "Disagree": "0",
        "Strongly disagree": "0",
    }
    assert content["survey_answers"][1] == {
        "role": "Respondents",
        "answers": SMALL,
        "name": "survey_respondent",
    }
    # Three respondents answered alike: their tables would tell each one's answers.
    assert all(by_name[f"survey_respondent_{q}"]["withheld"] for q in QUESTIONS)
    nine = {q: {5: 9, 4: 0, 3: 0, 2: 0, 1: 0} for q in QUESTIONS}
    ten = {q: {5: 10, 4: 0, 3: 0, 2: 0, 1: 0} for q in QUESTIONS}
    content = survey_content({"complainant": nine, "respondent": ten})
    assert [t["withheld"] for t in content["survey_tables"]] == [True] * 4 + [False] * 4
    assert [row["answers"] for row in content["survey_answers"]] == ["9", "10"]


def test_the_pack_shows_the_last_ended_quarter(organisation, governing_member) -> None:
    rng = random.Random(4)
    _answers(organisation, "2026-Q3", 40, rng)
    _answers(organisation, "2026-Q4", 40, rng)  # this quarter: not yet in the pack
    now = dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC)
    survey = pack_content(organisation, since=None, now=now)["survey"]
    assert survey["period"] == "2026-Q3"
    expected = survey_content(answer_counts(organisation.pk, ["2026-Q3"])["2026-Q3"])
    assert survey["survey_tables"] == expected["survey_tables"]
    meeting = Meeting.objects.create(
        organisation=organisation, title="Governing body", held_on=dt.date(2026, 12, 10)
    )
    pack = meeting_pack_make(meeting=meeting, now=now)
    page = (
        signed_in(governing_member).get(reverse("reporting:pack", args=[pack.pk])).content.decode()
    )
    assert "Confidence survey, 2026-Q3" in page and 'data-testid="survey_complainant"' in page
