import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fairhearing.cases.models import Party
from fairhearing.conftest import PASSWORD, walk
from fairhearing.core.errors import CaseError
from fairhearing.ledger.models import Event, EventKind
from fairhearing.oversight.models import AccessAttempt
from fairhearing.portal import services
from fairhearing.portal.models import Message, Reply, SignInLink
from fairhearing.portal.views import LINK_MAYBE_SENT
from fairhearing.workflow import sign_in
from fairhearing.workflow.services import case_schedule_hearing

pytestmark = pytest.mark.django_db


def link_from_mail() -> str:
    match = re.search(r"/portal/sign-in/([^/]+)/", str(mail.outbox[-1].body))
    assert match
    return match.group(0)


def signed_in_party(case, case_officer) -> Client:
    sign_in.sign_in_link_send(actor=case_officer, case=case, person=case.respondent)
    client = Client()
    response = client.post(link_from_mail())
    assert response.status_code == 302
    return client


def test_a_link_is_emailed_stored_as_a_hash_and_works_once(at_notice, case_officer) -> None:
    link = sign_in.sign_in_link_send(
        actor=case_officer, case=at_notice, person=at_notice.respondent
    )
    url = link_from_mail()
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert link.token_sha256 == services.token_hash(token) and token not in link.token_sha256
    client = Client()
    assert client.get(url).status_code == 200  # a GET (a mail scanner) does not spend it
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].endswith(
        f"/portal/cases/{at_notice.reference}/"
    )
    assert Client().post(url).status_code == 400  # used
    kinds = set(Event.objects.filter(case_id=at_notice.pk).values_list("kind", flat=True))
    assert {EventKind.SIGN_IN_LINK_SENT, EventKind.PARTY_SIGNED_IN} <= kinds


def test_an_expired_link_is_refused(at_notice, case_officer) -> None:
    sign_in.sign_in_link_send(actor=case_officer, case=at_notice, person=at_notice.respondent)
    url = link_from_mail()
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        response = Client().post(url)
    assert response.status_code == 400
    assert services.LINK_INVALID in response.content.decode()


def test_the_respondent_reads_the_allegations_and_replies_within_the_window(
    at_notice, case_officer
) -> None:
    client = signed_in_party(at_notice, case_officer)
    page = client.get(reverse("portal:case", args=[at_notice.reference])).content.decode()
    assert "Posted a cartoon demeaning a minority." in page
    assert "Priya Callender" in page  # the complainant is named: no reason to withhold
    assert "Reply to the allegations" in page
    response = client.post(
        reverse("portal:reply", args=[at_notice.reference]), {"text": "I deny it."}
    )
    assert response.status_code == 302
    reply = Reply.objects.get()
    assert (reply.text, reply.within_window) == ("I deny it.", True)
    assert "deny" not in str(Event.objects.get(kind=EventKind.REPLY_RECEIVED).payload)


def test_a_reply_after_the_window_is_refused(at_notice, case_officer) -> None:
    with (
        time_machine.travel(timezone.now() + dt.timedelta(days=20)),
        pytest.raises(CaseError, match=services.REPLY_CLOSED),
    ):
        services.reply_submit(
            case=at_notice, person=at_notice.respondent, role="respondent", text="Too late?"
        )


def test_a_protected_complainant_is_withheld_with_the_reason(at_notice, case_officer) -> None:
    Party.objects.filter(case=at_notice).update(
        identity_protected=True,
        protection_reason="Risk of retaliation recorded by the case officer.",
    )
    client = signed_in_party(at_notice, case_officer)
    page = client.get(reverse("portal:case", args=[at_notice.reference])).content.decode()
    assert "Priya Callender" not in page
    assert "Withheld: Risk of retaliation" in page


def test_a_party_cannot_reach_another_case(make_complaint, at_notice, case_officer) -> None:
    other = make_complaint().cases.get()
    client = signed_in_party(at_notice, case_officer)
    before = AccessAttempt.objects.count()
    assert client.get(reverse("portal:case", args=[other.reference])).status_code == 404
    assert Client().get(reverse("portal:case", args=[at_notice.reference])).status_code == 404
    assert AccessAttempt.objects.count() == before + 2


def test_the_complainant_cannot_reply_or_move_the_hearing(at_notice) -> None:
    complainant = at_notice.parties.get().person
    with pytest.raises(CaseError, match=services.ONLY_RESPONDENT):
        services.reply_submit(case=at_notice, person=complainant, role="complainant", text="x")


def test_an_unavailable_companion_moves_the_hearing_at_most_five_working_days(
    case, case_officer
) -> None:
    case = walk(
        case,
        case_officer,
        "acknowledge",
        "begin_assessment",
        "assess_investigate",
        "reply_received",
        "complete_investigation",
        "refer_to_panel",
    )
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False):
        case_schedule_hearing(
            actor=case_officer, case=case, hearing_at=dt.datetime(2026, 12, 17, 10, tzinfo=dt.UTC)
        )  # Thursday
        services.hearing_request_submit(
            case=case,
            person=case.respondent,
            role="respondent",
            oral=True,
            companion_name="Nell Furnival",
            companion_unavailable_on=dt.date(2026, 12, 17),
        )
        with pytest.raises(CaseError, match="at most 5 working days"):
            # 5 working days after Thu 17 Dec: 18, 21, 22, 23, 24 (25 and 28 are bank holidays)
            services.hearing_move_for_companion(
                case=case, person=case.respondent, role="respondent", new_date=dt.date(2026, 12, 29)
            )
        services.hearing_move_for_companion(
            case=case, person=case.respondent, role="respondent", new_date=dt.date(2026, 12, 24)
        )
    case.refresh_from_db()
    assert timezone.localtime(case.hearing_at).date() == dt.date(2026, 12, 24)
    assert Event.objects.filter(kind=EventKind.HEARING_MOVED_FOR_COMPANION).exists()


def test_messages_both_ways(at_notice, case_officer) -> None:
    client = signed_in_party(at_notice, case_officer)
    client.post(
        reverse("portal:message", args=[at_notice.reference]), {"body": "When is my hearing?"}
    )
    staff = Client()
    staff.login(username=case_officer.username, password=PASSWORD)
    page = staff.get(reverse("cases:detail", args=[at_notice.reference])).content.decode()
    assert "When is my hearing?" in page
    staff.post(
        reverse("portal:staff_message", args=[at_notice.reference, at_notice.respondent_id]),
        {"body": "Not yet scheduled; we will tell you."},
    )
    assert Message.objects.count() == 2
    assert mail.outbox[-1].to == ["rowan@example.invalid"]
    page = client.get(reverse("portal:case", args=[at_notice.reference])).content.decode()
    assert "Not yet scheduled; we will tell you." in page


def test_self_service_says_the_same_whether_or_not_it_matched(at_notice, client: Client) -> None:
    url = reverse("portal:start")
    hit = client.post(
        url, {"reference": at_notice.reference, "email": "rowan@example.invalid"}, follow=True
    )
    miss = client.post(
        url, {"reference": at_notice.reference, "email": "nobody@example.invalid"}, follow=True
    )
    assert hit.status_code == miss.status_code == 200
    said = str(LINK_MAYBE_SENT)
    assert said in hit.content.decode() and said in miss.content.decode()
    assert SignInLink.objects.count() == 1 and len(mail.outbox) == 1


def test_the_complaint_reference_from_the_acknowledgement_works_too(
    make_complaint, client: Client
) -> None:
    complaint = make_complaint()
    case = complaint.cases.get()
    mail.outbox.clear()
    client.post(
        reverse("portal:start"),
        {"reference": complaint.reference.lower(), "email": "priya@example.invalid"},
        follow=True,
    )
    link = SignInLink.objects.get()
    assert link.case == case and link.person == complaint.complainant
    assert len(mail.outbox) == 1
    # The complaint's reference is the complainant's: the respondent's address gets nothing.
    client.post(
        reverse("portal:start"),
        {"reference": complaint.reference, "email": "rowan@example.invalid"},
        follow=True,
    )
    assert SignInLink.objects.count() == 1


def test_complainants_get_an_update_every_three_months_while_open(make_complaint) -> None:
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), tick=False):
        case = make_complaint().cases.get()
    mail.outbox.clear()
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        assert services.complainant_updates_send() == 0  # not three months yet
    with time_machine.travel(dt.datetime(2026, 4, 10, 9, tzinfo=dt.UTC), tick=False):
        assert services.complainant_updates_send() == 1
        assert services.complainant_updates_send() == 0  # once
    assert mail.outbox[-1].to == ["priya@example.invalid"]
    assert case.reference in mail.outbox[-1].subject
    with time_machine.travel(dt.datetime(2026, 7, 15, 9, tzinfo=dt.UTC), tick=False):
        assert services.complainant_updates_send() == 1  # the next quarter
    assert (
        Event.objects.filter(kind=EventKind.COMPLAINANT_UPDATE_SENT, case_id=case.pk).count() == 2
    )


def test_link_requests_are_throttled(at_notice, client: Client) -> None:
    url = reverse("portal:start")
    for _ in range(5):
        client.post(url, {"reference": at_notice.reference, "email": "rowan@example.invalid"})
    assert SignInLink.objects.count() == services.LINK_REQUESTS_PER_WINDOW
    assert len(mail.outbox) == services.LINK_REQUESTS_PER_WINDOW
