"""The case page, shorter for daily work (issue 21, item 4): finished time limits fold into one
line each, and the timeline shows decisions, communications or system events on their own."""

import re

import pytest
from django.urls import reverse

from fairhearing.cases.services import case_unassign
from fairhearing.conftest import signed_in, walk
from fairhearing.workflow.services import case_assign

pytestmark = pytest.mark.django_db
IDENTITY_BAR = r'<p class="[^"]*" id="identity-bar">(.*?)</p>'


def titles(page: str) -> list[str]:
    return re.findall(r'<h3 class="moj-timeline__title">([^<]*)</h3>', page)


def test_the_timeline_shows_one_kind_at_a_time(case, case_officer) -> None:
    case = walk(case, case_officer, "acknowledge", "begin_assessment")
    client = signed_in(case_officer)
    url = reverse("cases:detail", args=[case.reference])
    everything = titles(client.get(url).content.decode())
    decisions = titles(client.get(url, {"timeline": "decisions"}).content.decode())
    system = titles(client.get(url, {"timeline": "system"}).content.decode())
    assert "Begin assessment" in decisions and "Acknowledge the complaint" in decisions
    assert not any("Deadline" in t or "limit" in t.lower() for t in decisions), decisions
    assert system and "Begin assessment" not in system
    assert set(decisions) | set(system) <= set(everything)
    assert len(decisions) + len(system) <= len(everything)
    page = client.get(url, {"timeline": "decisions"}).content.decode()
    assert (
        f'aria-current="page" href="?timeline=decisions#timeline">Decisions ({len(decisions)})'
        in page
    )
    # An unknown view shows everything.
    assert titles(client.get(url, {"timeline": "nonsense"}).content.decode()) == everything


def test_finished_time_limits_fold_into_one_line_each(case, case_officer) -> None:
    case = walk(case, case_officer, "acknowledge", "begin_assessment")
    page = signed_in(case_officer).get(reverse("cases:detail", args=[case.reference]))
    text = page.content.decode()
    finished = re.search(
        r'<details class="govuk-details" id="finished-time-limits">(.*?)</details>', text, re.S
    )
    assert finished and "1 finished time limit" in finished.group(1)
    assert "Acknowledge the complaint" in finished.group(1) and "Met" in finished.group(1)
    # The running one keeps its card, with what can be done to it.
    assert "Complete the assessment" in text.split('id="finished-time-limits"')[1]
    assert "Pause the clock" in text


def test_the_identity_bar_says_who_what_is_next_and_who_handles_it(case, case_officer) -> None:
    case = walk(case, case_officer, "acknowledge", "begin_assessment")
    case_assign(actor=case_officer, case=case, user=case_officer, role="case_officer")
    text = signed_in(case_officer).get(reverse("cases:detail", args=[case.reference]))
    bar = re.search(IDENTITY_BAR, text.content.decode(), re.S)
    assert bar
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", bar.group(1)))
    running = case.deadlines.get(status="open")
    assert f"About {case.respondent.full_name}" in words
    assert f"Next due {running.due_at:%-d %b %Y} ({running.label})" in words
    assert f"Team: {case_officer.display_name}" in words


def test_the_timeline_says_who_joined_or_left_the_team_and_why(case, case_officer) -> None:
    place = case_assign(
        actor=case_officer,
        case=case,
        user=case_officer,
        role="case_officer",
        reasons="Taking over from a colleague who has left the organisation.",
    )
    case_unassign(actor=case_officer, assignment=place, reasons="Moved to the appeals team.")
    url = reverse("cases:detail", args=[case.reference])
    page = signed_in(case_officer).get(url, {"timeline": "decisions"}).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Olwen Tarrant, case officer" in text
    assert "Reasons: Taking over from a colleague who has left the organisation." in text
    assert "Reasons: Moved to the appeals team." in text
    assert "by Olwen Tarrant" in text and "by olwen" not in text  # a name, not a username
