import datetime as dt

import pytest
from django.urls import reverse

from fairhearing.cases.models import AllegationType, Case, Channel, Party
from fairhearing.conftest import signed_in
from fairhearing.core.errors import CaseError
from fairhearing.deadlines.models import Deadline
from fairhearing.evidence.services import evidence_add_post
from fairhearing.intake.details import AllegationDetails
from fairhearing.intake.record import complaint_record
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify
from fairhearing.linking import services
from fairhearing.linking.models import CaseLink, Grouping
from fairhearing.linking.queries import related_cases, same_post_case, similar
from fairhearing.people.models import person_hash
from fairhearing.people.services import PersonDetails
from fairhearing.workflow.services import case_assign

pytestmark = pytest.mark.django_db

POST = (
    "Members of the Riverside branch should be ashamed of letting those people vote "
    "on anything that matters to this party."
)


def report(organisation, complainant, respondent="Rowan Ashby", url="", post_text="", number=""):
    return complaint_record(
        actor=None,
        organisation=organisation,
        channel=Channel.WEB,
        complainant=PersonDetails(full_name=complainant),
        respondents=[PersonDetails(full_name=respondent, membership_number=number)],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST,
            category="bullying",
            description=f"{complainant} saw this post and found it offensive.",
            conduct_date=dt.date(2026, 3, 3),
            url=url,
            post_text=post_text,
        ),
        summary="A post.",
    )


def test_the_same_post_reported_many_times_is_one_case_with_many_complainants(
    organisation,
) -> None:
    first = report(organisation, "Ada Quill", url="https://x.com/RowanA/status/77")
    case = first.cases.get()
    for name, url in [
        ("Bo Lind", "https://twitter.com/rowana/status/77?s=20"),
        ("Cy Moss", "http://x.com/rowana/status/77/"),
        ("Di Penn", "https://mobile.twitter.com/RowanA/status/77#top"),
    ]:
        later = report(organisation, name, respondent="rowan  ashby", url=url)
        assert list(later.cases.all()) == [case]
    assert Case.objects.count() == 1
    names = sorted(
        case.parties.filter(role=Party.Role.COMPLAINANT).values_list("person__full_name", flat=True)
    )
    assert names == ["Ada Quill", "Bo Lind", "Cy Moss", "Di Penn"]
    assert case.complaints.count() == 4
    assert Grouping.objects.filter(case=case, reason="same_url").count() == 3
    assert Event.objects.filter(kind=EventKind.COMPLAINT_GROUPED, case_id=case.pk).count() == 3


def test_the_same_post_about_someone_else_opens_a_new_case(organisation) -> None:
    report(organisation, "Ada Quill", url="https://x.com/a/status/1")
    report(organisation, "Bo Lind", respondent="Sam Other", url="https://x.com/a/status/1")
    report(organisation, "Cy Moss", url="https://x.com/a/status/2")
    assert Case.objects.count() == 3


def test_a_closed_case_is_not_reopened_by_a_new_report(organisation, case_officer) -> None:
    from fairhearing.conftest import walk

    case = report(organisation, "Ada Quill", url="https://x.com/a/status/1").cases.get()
    walk(case, case_officer, "acknowledge", "begin_assessment", "assess_no_further_action")
    again = report(organisation, "Bo Lind", url="https://x.com/a/status/1")
    assert again.cases.get() != case


def test_near_identical_post_text_groups_and_the_rest_is_suggested(organisation) -> None:
    first = report(organisation, "Ada Quill", post_text=POST)
    case = first.cases.get()
    evidence_add_post(actor=None, case=case, captured_text=POST)
    reworded = POST.replace("ashamed", "ASHAMED!!") + " #riverside"
    second = report(organisation, "Bo Lind", post_text=reworded)
    assert list(second.cases.all()) == [case]
    grouping = Grouping.objects.get(complaint=second)
    assert grouping.reason == "same_text" and 0.9 <= grouping.score < 1.0
    found = same_post_case(
        organisation=organisation,
        respondent=PersonDetails(full_name="Rowan Ashby"),
        post_key="",
        post_text="Something else entirely, about the treasurer's late report to members.",
    )
    assert found is None
    assert similar(organisation, reworded)[0].fingerprint.case == case


def test_related_cases_are_suggested_with_scores(organisation) -> None:
    a = report(organisation, "Ada Quill", number="M100").cases.get()
    b = report(organisation, "Bo Lind", respondent="R. Ashby", number="M100").cases.get()
    c = report(organisation, "Cy Moss", respondent="Someone Else").cases.get()
    assert a != b
    suggestions = {s.case: s for s in related_cases(a)}
    assert suggestions[b].score == 1.0
    assert "same respondent" in suggestions[b].reasons
    # Different people's complaints about different posts share only boilerplate words.
    assert c not in suggestions or suggestions[c].score < 1.0


def test_link_and_merge_are_reversible_and_on_the_ledger(organisation, case_officer) -> None:
    a = report(organisation, "Ada Quill").cases.get()
    b = report(organisation, "Bo Lind", respondent="Rowan Ashby").cases.get()
    c = report(organisation, "Cy Moss", respondent="Rowan Ashby").cases.get()
    with pytest.raises(CaseError, match="reasons"):
        services.case_merge(actor=case_officer, case=a, other=b, reasons=" ")
    with pytest.raises(CaseError, match="itself"):
        services.case_link(actor=case_officer, case=a, other=a, reasons="x")
    link = services.case_link(actor=case_officer, case=a, other=c, reasons="Same branch.")
    with pytest.raises(CaseError, match="already"):
        services.case_link(actor=case_officer, case=c, other=a, reasons="Again.")
    running = set(b.deadlines.filter(status=Deadline.Status.OPEN).values_list("pk", flat=True))
    assert running
    merge = services.case_merge(actor=case_officer, case=a, other=b, reasons="Same post.")
    assert set(a.complaints.values_list("pk", flat=True)) >= set(
        b.complaints.values_list("pk", flat=True)
    )
    assert a.parties.filter(person__full_name_hash=person_hash("full_name", "Bo Lind")).exists()
    assert not b.deadlines.filter(status=Deadline.Status.OPEN).exists()
    # kept on b too
    assert b.parties.filter(person__full_name_hash=person_hash("full_name", "Bo Lind")).exists()
    with pytest.raises(CaseError, match="merged into another"):
        services.case_merge(actor=case_officer, case=c, other=b, reasons="Again.")
    services.case_unlink(actor=case_officer, link=merge, reasons="Different posts after all.")
    assert not a.parties.filter(person__full_name_hash=person_hash("full_name", "Bo Lind")).exists()
    assert a.complaints.count() == 1
    assert set(b.deadlines.filter(status=Deadline.Status.OPEN).values_list("pk", flat=True)) == (
        running
    )
    with pytest.raises(CaseError, match="already been undone"):
        services.case_unlink(actor=case_officer, link=merge, reasons="Twice.")
    services.case_unlink(actor=case_officer, link=link, reasons="Not related.")
    assert CaseLink.objects.count() == 2  # undone, never deleted
    kinds = list(
        Event.objects.filter(case_id=a.pk, kind__gte=EventKind.CASES_LINKED)
        .order_by("seq")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        EventKind.CASES_LINKED,
        EventKind.CASES_MERGED,
        EventKind.CASES_UNMERGED,
        EventKind.CASES_UNLINKED,
    ]
    assert ledger_verify().ok


def test_pages_suggest_link_merge_and_undo(organisation, case_officer) -> None:
    a = report(organisation, "Ada Quill", number="M7").cases.get()
    b = report(organisation, "Bo Lind", number="M7").cases.get()
    for case in (a, b):
        case_assign(actor=None, case=case, user=case_officer, role="case_officer")
    client = signed_in(case_officer)
    page = client.get(reverse("linking:related", args=[a.reference])).content.decode()
    assert b.reference in page and "same respondent" in page
    url = reverse("linking:link", args=[a.reference, b.reference])
    assert client.post(url, {"kind": "merge", "reasons": ""}).status_code == 400
    assert client.post(url, {"kind": "merge", "reasons": "Same post."}).status_code == 302
    link = CaseLink.objects.get()
    assert link.score == 1.0
    detail = client.get(reverse("cases:detail", args=[b.reference])).content.decode()
    assert f"merged into {a.reference}" in detail
    undo = reverse("linking:undo", args=[b.reference, link.pk])
    assert client.post(undo, {"reasons": "Mistake."}).status_code == 302
    assert CaseLink.objects.get().undone_at is not None
