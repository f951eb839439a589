"""A complainant sends the link to a post from their portal (issue 24, item 1, where the
rulebook allows it): queued like staff's captures, recorded as the complainant's own item,
refused for a respondent, a closed case, a rulebook that does not allow it and past the day's
limit; a failure says why on their page. The browser is test_capture.py's; here the capture's
result is made up (evidence/tests/captures.py) and recorded by the real code."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fairhearing.cases.models import Party
from fairhearing.evidence.capture import CaptureFailed
from fairhearing.evidence.capture_queue import TOO_MANY, capture_request_by_party
from fairhearing.evidence.capture_record import capture_fail, capture_keep
from fairhearing.evidence.models import CaptureRequest, EvidenceItem, Source
from fairhearing.evidence.services import EvidenceRefused
from fairhearing.evidence.tests.captures import URL, captured
from fairhearing.ledger.models import Event, EventKind
from fairhearing.organisations.models import Rulebook

from .test_portal_evidence import party_client

pytestmark = pytest.mark.django_db


def test_a_complainant_sends_a_link_and_it_becomes_their_item(
    at_notice, case_officer, django_capture_on_commit_callbacks
) -> None:
    complainant = at_notice.parties.get(role=Party.Role.COMPLAINANT).person
    client = party_client(at_notice, complainant, case_officer)
    page = client.get(reverse("portal:case", args=[at_notice.reference])).content.decode()
    form_url = reverse("portal:capture", args=[at_notice.reference])
    assert form_url in page
    assert "Send us a link to a post" in client.get(form_url).content.decode()

    bad = client.post(form_url, {"url": "not a link"})
    assert bad.status_code == 400 and "Enter a full web address" in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sent = client.post(form_url, {"url": URL, "description": "The post about me"})
    assert sent.status_code == 302
    assert sum("_queue" in c.__qualname__ for c in callbacks) == 1
    asked = CaptureRequest.objects.get(case=at_notice)
    assert (asked.requested_by, asked.requested_by_person) == (None, complainant)
    event = Event.objects.get(kind=EventKind.CAPTURE_REQUESTED)
    assert event.actor_id is None and event.payload["person"] == complainant.pk
    page = client.get(reverse("portal:case", args=[at_notice.reference])).content.decode()
    assert "Being captured" in page and "We are capturing the page" in page

    capture_keep(asked.pk, captured())
    item = EvidenceItem.objects.get(case=at_notice)
    assert (item.source, item.added_by_person, item.added_by) == (
        Source.PARTY,
        complainant,
        None,
    )
    page = client.get(reverse("portal:case", args=[at_notice.reference])).content.decode()
    assert "Being captured" not in page and item.sha256 in page
    added = Event.objects.get(kind=EventKind.EVIDENCE_ADDED)
    assert added.payload["person"] == complainant.pk and added.payload["capture"]


def test_a_failed_link_says_why_on_their_page(at_notice, case_officer) -> None:
    complainant = at_notice.parties.get(role=Party.Role.COMPLAINANT).person
    client = party_client(at_notice, complainant, case_officer)
    asked = capture_request_by_party(case=at_notice, person=complainant, url=URL)
    capture_fail(asked.pk, CaptureFailed("The page could not be reached.", code="unreachable"))
    page = client.get(reverse("portal:case", args=[at_notice.reference])).content.decode()
    assert "Could not be captured" in page and "The website did not answer." in page
    assert "The page could not be reached." not in page  # the case team's words, not theirs


def test_a_respondent_a_closed_case_and_a_rulebook_that_says_no_are_refused(
    at_notice, case_officer
) -> None:
    respondent_client = party_client(at_notice, at_notice.respondent, case_officer)
    url = reverse("portal:capture", args=[at_notice.reference])
    page = respondent_client.get(reverse("portal:case", args=[at_notice.reference]))
    assert url not in page.content.decode()
    assert respondent_client.get(url).status_code == 404
    assert respondent_client.post(url, {"url": URL}).status_code == 404
    with pytest.raises(EvidenceRefused):
        capture_request_by_party(case=at_notice, person=at_notice.respondent, url=URL)

    complainant = at_notice.parties.get(role=Party.Role.COMPLAINANT).person
    rulebook = at_notice.rulebook
    definition = {**rulebook.definition, "evidence": {"complainant_capture": False}}
    Rulebook.objects.filter(pk=rulebook.pk).update(definition=definition)
    at_notice.refresh_from_db()
    client = party_client(at_notice, complainant, case_officer)
    assert client.get(url).status_code == 404
    with pytest.raises(EvidenceRefused, match="cannot be sent here"):
        capture_request_by_party(case=at_notice, person=complainant, url=URL)
    assert not CaptureRequest.objects.exists()


def test_no_more_than_the_days_limit(at_notice, case_officer) -> None:
    complainant = at_notice.parties.get(role=Party.Role.COMPLAINANT).person
    limit = at_notice.rulebook.spec.captures_per_day
    for n in range(limit):
        capture_request_by_party(case=at_notice, person=complainant, url=f"{URL}?n={n}")
    with pytest.raises(EvidenceRefused) as refused:
        capture_request_by_party(case=at_notice, person=complainant, url=URL)
    assert str(refused.value) == TOO_MANY.format(n=limit)
    assert CaptureRequest.objects.count() == limit
    # A day later, one more.
    CaptureRequest.objects.update(requested_at=timezone.now() - dt.timedelta(hours=25))
    capture_request_by_party(case=at_notice, person=complainant, url=URL)
