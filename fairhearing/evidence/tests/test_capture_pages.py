"""The pages and API operations of a capture from a link: asking (queued for the worker once
the transaction commits), following it, retrying a failure, an item's page with what was kept,
the comparison of a re-capture, and the HTML and WARC as downloads. The browser itself is
test_capture.py's; here its result is made up (captures.py) and recorded by the real code."""

import pytest
from django.urls import reverse

from fairhearing.api.tests.test_api import api_for
from fairhearing.conftest import signed_in
from fairhearing.evidence.capture import NOT_A_WEB_ADDRESS, CaptureFailed
from fairhearing.evidence.capture_queue import capture_request, evidence_recapture
from fairhearing.evidence.capture_record import STOPPED, capture_fail, capture_keep, capture_run
from fairhearing.evidence.models import CaptureRequest
from fairhearing.evidence.responses import SANDBOX
from fairhearing.ledger.models import Event, EventKind

from .captures import URL, capture_failed, capture_recorded, captured

pytestmark = pytest.mark.django_db


def queued(callbacks) -> int:
    """How many of the on-commit callbacks queue a capture task."""
    return sum("_queue" in callback.__qualname__ for callback in callbacks)


def failed(case, actor) -> CaptureRequest:
    return capture_failed(case, actor)


def test_asking_queues_the_capture_once_the_transaction_commits(
    case, case_officer, django_capture_on_commit_callbacks
) -> None:
    client = signed_in(case_officer)
    url = reverse("evidence:capture", args=[case.reference])
    assert "Capture a post from its link" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, {"url": URL, "description": "The post complained of"})

    asked = CaptureRequest.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "evidence:capture_status", args=[case.reference, asked.pk]
    )
    assert (asked.url, asked.state, asked.description) == (URL, "queued", "The post complained of")
    assert queued(callbacks) == 1  # the task, queued after the commit
    page = client.get(response["Location"]).content.decode()
    assert "Capturing…" in page and 'hx-trigger="every 3s"' in page
    assert Event.objects.filter(kind=EventKind.CAPTURE_REQUESTED, actor_id=case_officer.pk).exists()


def test_an_address_that_is_not_a_web_page_is_refused_on_the_form(case, case_officer) -> None:
    client = signed_in(case_officer)
    url = reverse("evidence:capture", args=[case.reference])
    response = client.post(url, {"url": "ftp://example.org/file"})
    assert response.status_code == 400
    assert NOT_A_WEB_ADDRESS in response.content.decode()
    assert not CaptureRequest.objects.exists()


def test_a_failure_says_why_and_can_be_tried_again(case, case_officer) -> None:
    asked = failed(case, case_officer)
    client = signed_in(case_officer)
    status = reverse("evidence:capture_status", args=[case.reference, asked.pk])
    page = client.get(status).content.decode()
    assert "The capture failed" in page and "The website could not be reached." in page
    assert "hx-trigger" not in page
    listing = client.get(reverse("evidence:list", args=[case.reference])).content.decode()
    assert "The website could not be reached." in listing

    response = client.post(reverse("evidence:capture_retry", args=[case.reference, asked.pk]))
    assert response.status_code == 302
    asked.refresh_from_db()
    assert (asked.state, asked.attempts) == ("queued", 2)


def test_the_item_page_shows_what_was_kept_and_its_hashes(case, case_officer) -> None:
    item = capture_recorded(case, case_officer).item
    assert item is not None
    page = signed_in(case_officer).get(reverse("evidence:item", args=[case.reference, item.number]))
    text = page.content.decode()
    web = item.web_capture
    for shown in (item.sha256, str(item.blob_id), web.html_blob_id, web.warc_blob_id, web.software):
        assert shown in text
    assert "HTTP 200" in text and "Capture the link again" in text


def test_a_recapture_is_compared_side_by_side(case, case_officer) -> None:
    first = capture_recorded(case, case_officer, text="The first words.").item
    assert first is not None
    again = evidence_recapture(actor=case_officer, item=first)
    later = capture_keep(again.pk, captured(text="Edited words.", colour="blue")).item
    assert later is not None
    client = signed_in(case_officer)
    text = client.get(reverse("evidence:item", args=[case.reference, later.number])).content
    page = text.decode()
    assert "Compared with item 1" in page
    assert "The text <strong>has changed</strong>" in page
    assert "The page's HTML <strong>has changed</strong>" in page
    assert first.web_capture.html_blob_id in page and later.web_capture.html_blob_id in page
    earlier = client.get(reverse("evidence:item", args=[case.reference, 1])).content.decode()
    assert "Captured again as" in earlier

    body = api_for(case_officer).get(f"/cases/{case.reference}/evidence/{later.number}").json()
    assert body["capture"]["recapture_of"] == 1
    assert body["comparison"]["text_changed"] is True
    assert body["comparison"]["earlier_hashes"]["html"] == first.web_capture.html_blob_id


def test_the_html_and_warc_are_downloads_with_their_custody(case, case_officer) -> None:
    item = capture_recorded(case, case_officer).item
    assert item is not None
    client = signed_in(case_officer)
    response = client.get(reverse("evidence:capture_file", args=[case.reference, 1, "html"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == SANDBOX
    assert response.content == b"<!doctype html><p>An example post.</p>"
    viewed = Event.objects.filter(kind=EventKind.EVIDENCE_VIEWED).get()
    assert viewed.payload["part"] == "html"
    assert viewed.payload["sha256"] == item.web_capture.html_blob_id
    bad = client.get(reverse("evidence:capture_file", args=[case.reference, 1, "other"]))
    assert bad.status_code == 404


def test_the_api_asks_follows_and_retries(
    case, case_officer, django_capture_on_commit_callbacks
) -> None:
    api = api_for(case_officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.post(f"/cases/{case.reference}/evidence/captures", {"url": URL})
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["state"], body["attempts"], body["item"]) == ("queued", 1, None)
    assert queued(callbacks) == 1
    asked = CaptureRequest.objects.get(pk=body["id"])
    capture_fail(asked.pk, CaptureFailed("Not reached.", code="unreachable"))
    status = api.get(f"/cases/{case.reference}/evidence/captures/{asked.pk}").json()
    assert (status["state"], status["failure"]) == ("failed", "Not reached.")
    retried = api.post(f"/cases/{case.reference}/evidence/captures/{asked.pk}/retry", {})
    assert retried.status_code == 202 and retried.json()["attempts"] == 2
    refused = api.post(f"/cases/{case.reference}/evidence/captures", {"url": "file:///etc"})
    assert refused.status_code == 422


def test_a_capture_that_breaks_is_failed_never_left_capturing(
    case, case_officer, monkeypatch
) -> None:
    def broken(url: str) -> None:
        raise RuntimeError("the browser went away")

    monkeypatch.setattr("fairhearing.evidence.capture_record.page_capture", broken)
    asked = capture_request(actor=case_officer, case=case, url=URL)
    done = capture_run(request_id=asked.pk)
    assert (done.state, done.failure, done.failure_code) == ("failed", STOPPED, "error")
