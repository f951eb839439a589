import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from fairhearing.accounts.models import Role
from fairhearing.conftest import make_user, signed_in
from fairhearing.core.errors import CaseError
from fairhearing.deadlines.models import Deadline
from fairhearing.ledger.models import Event, EventKind
from fairhearing.organisations.rulebook import RulebookSpec
from fairhearing.reporting.models import Meeting, MeetingPack, Recommendation
from fairhearing.reporting.queries import anonymised_reference, pack_content
from fairhearing.reporting.services import (
    NEEDS_EVIDENCE,
    meeting_packs_due,
    recommendation_update,
    recommendations_import,
)

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    b"number,text,owner,due_on,status,evidence\n"
    b"R1,Publish the complaints procedure,General Secretary,2027-01-31,implemented,"
    b"Published in June\n"
    b"R2,Train every panel member,Head of Governance,2027-03-31,in_progress,\n"
)


def test_a_pack_is_made_on_schedule_with_no_names(organisation, make_complaint) -> None:
    case = make_complaint().cases.get()
    case.deadlines.update(due_at="2026-01-01T00:00:00Z")  # the acknowledgement is long overdue
    Meeting.objects.create(
        organisation=organisation,
        title="Executive Committee",
        held_on=dt.date(2026, 12, 10),
        pack_days_before=7,
    )
    assert meeting_packs_due(today=dt.date(2026, 12, 2)) == 0
    assert meeting_packs_due(today=dt.date(2026, 12, 3)) == 1
    assert meeting_packs_due(today=dt.date(2026, 12, 4)) == 0  # once
    content = MeetingPack.objects.get().content
    text = json.dumps(content)
    assert case.reference not in text and "Rowan" not in text and "Priya" not in text
    (row,) = content["overdue"]
    assert row["case"] == anonymised_reference(case.reference) and row["days_over"] > 300


def test_a_pack_lists_the_longest_overdue_and_counts_them_all(
    organisation, make_complaint, monkeypatch
) -> None:
    """A backlog of thousands is counted in full and the longest overdue are named, so that a
    pack stays readable (and quick to make) however large the backlog."""
    from fairhearing.reporting import queries

    monkeypatch.setattr(queries, "PACK_OVERDUE_ROWS", 2)
    cases = [make_complaint().cases.get() for _ in range(3)]
    for days, case in zip([10, 300, 40], cases, strict=True):
        case.deadlines.update(due_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC) - dt.timedelta(days))
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    meeting = Meeting.objects.create(
        organisation=organisation, title="Executive Committee", held_on=dt.date(2026, 11, 8)
    )
    content = queries.pack_content(organisation, since=None, now=now)
    assert content["overdue_total"] == 3
    assert [r["days_over"] for r in content["overdue"]] == [300, 40]
    assert [r["case"] for r in content["overdue"]] == [
        anonymised_reference(cases[1].reference),
        anonymised_reference(cases[2].reference),
    ]
    assert content["overdue"][0]["stage"] == cases[1].stage_label
    pack = MeetingPack.objects.create(meeting=meeting, generated_at=now, content=content)
    governing = make_user(organisation, "gideon", Role.GOVERNING_BODY)
    page = signed_in(governing).get(f"/packs/{pack.pk}/").content.decode()
    assert 'id="overdue-count">3<' in page
    assert "The 2 longest overdue of 3." in page


def test_a_pack_reads_each_rulebook_once_however_many_rows(
    organisation, make_complaint, monkeypatch
) -> None:
    cases = [c for _ in range(4) for c in make_complaint().cases.all()]
    Deadline.objects.filter(case__in=cases).update(due_at="2026-01-01T00:00:00Z")
    parsed = []
    original = RulebookSpec.__post_init__

    def counting(spec: RulebookSpec) -> None:
        parsed.append(spec)
        original(spec)

    monkeypatch.setattr(RulebookSpec, "__post_init__", counting)
    content = pack_content(organisation, since=None, now=timezone.now())
    assert len(parsed) == 1
    assert {row["case"] for row in content["overdue"]} == {
        anonymised_reference(c.reference) for c in cases
    }
    labels = {organisation.current_rulebook().spec.stage_label(c.stage) for c in cases}
    assert {row["stage"] for row in content["overdue"]} == labels
    limit_labels = set(Deadline.objects.filter(case__in=cases).values_list("label", flat=True))
    assert {row["limit"] for row in content["overdue"]} == limit_labels
    assert all(row["days_over"] > 300 for row in content["overdue"])


def test_the_governing_body_reads_packs_and_staff_do_not(organisation, case_officer) -> None:
    Meeting.objects.create(
        organisation=organisation, title="Executive Committee", held_on=dt.date(2026, 12, 10)
    )
    meeting_packs_due(today=dt.date(2026, 12, 9))
    governing = make_user(organisation, "gideon", Role.GOVERNING_BODY)
    pack = MeetingPack.objects.get()
    assert signed_in(governing).get(f"/packs/{pack.pk}/").status_code == 200
    assert signed_in(case_officer).get(f"/packs/{pack.pk}/").status_code == 403
    assert signed_in(case_officer).get("/packs/").status_code == 403


def test_administrators_schedule_meetings(organisation) -> None:
    admin = make_user(organisation, "ada", Role.ADMINISTRATOR)
    response = signed_in(admin).post(
        "/packs/", {"title": "Board", "held_on": "2027-01-20", "pack_days_before": 5}
    )
    assert response.status_code == 302 and Meeting.objects.get().pack_days_before == 5
    assert Event.objects.filter(kind=EventKind.MEETING_SCHEDULED).count() == 1


def test_importing_recommendations_and_the_public_page(organisation, client: Client) -> None:
    report = recommendations_import(
        actor=None,
        organisation=organisation,
        title="Independent review",
        published_on=dt.date(2026, 6, 1),
        data=GOOD_CSV,
        filename="r.csv",
    )
    assert report.ok and report.accepted == 2
    page = client.get("/recommendations/").content.decode()
    assert "Publish the complaints procedure" in page and "Published in June" in page


def test_a_bad_file_is_reported_row_by_row_and_imports_nothing(organisation) -> None:
    bad = (
        GOOD_CSV + b"R2,Duplicate,Someone,2027-01-01,in_progress,\nR4,,Owner,not-a-date,unknown,\n"
    )
    report = recommendations_import(
        actor=None,
        organisation=organisation,
        title="Review",
        published_on=dt.date(2026, 6, 1),
        data=bad,
        filename="r.csv",
    )
    assert not report.ok and Recommendation.objects.count() == 0
    assert report.errors[0] == (4, "duplicate number R2")
    line, problem = report.errors[1]
    assert (
        line == 5
        and "missing text" in problem
        and "unknown status" in problem
        and "due_on" in problem
    )
    broken = recommendations_import(
        actor=None,
        organisation=organisation,
        title="Review",
        published_on=dt.date(2026, 6, 1),
        data=b"{not json",
        filename="r.json",
    )
    assert broken.errors and broken.errors[0][0] == 0


def test_implemented_needs_evidence_and_history_is_kept(organisation) -> None:
    recommendations_import(
        actor=None,
        organisation=organisation,
        title="Review",
        published_on=dt.date(2026, 6, 1),
        data=GOOD_CSV,
        filename="r.csv",
    )
    r2 = Recommendation.objects.get(number="R2")
    with pytest.raises(CaseError, match=NEEDS_EVIDENCE):
        recommendation_update(actor=None, recommendation=r2, status="implemented", evidence="")
    recommendation_update(
        actor=None,
        recommendation=r2,
        status="implemented",
        evidence="All 14 members trained by May.",
    )
    assert list(r2.updates.values_list("status", flat=True)) == ["in_progress", "implemented"]


def test_the_import_page_for_administrators(organisation, case_officer) -> None:
    admin = make_user(organisation, "ada", Role.ADMINISTRATOR)
    upload = SimpleUploadedFile("r.csv", GOOD_CSV, content_type="text/csv")
    response = signed_in(admin).post(
        "/recommendations/import/",
        {"title": "Review", "published_on": "2026-06-01", "file": upload},
    )
    assert response.status_code == 302 and Recommendation.objects.count() == 2
    assert signed_in(case_officer).get("/recommendations/import/").status_code == 403


def test_a_pack_shows_clock_stops_and_lists_those_stopped_too_long(
    organisation, make_complaint, case_officer, investigator
) -> None:
    import time_machine

    from fairhearing.deadlines.clock_stops import (
        clock_stop_approve,
        clock_stops_sweep,
        deadline_pause,
    )

    utc = dt.UTC
    long, short, asked = (make_complaint().cases.get() for _ in range(3))
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=utc), tick=False):
        for case, restart_on in ((long, dt.date(2027, 2, 1)), (short, dt.date(2026, 12, 4))):
            stop = deadline_pause(
                actor=case_officer,
                deadline=case.deadlines.get(),
                reasons="Respondent in hospital.",
                restart_on=restart_on,
            )
            clock_stop_approve(actor=investigator, stop=stop, reasons="Medical note seen.")
        deadline_pause(
            actor=case_officer,
            deadline=asked.deadlines.get(),
            reasons="Awaiting minutes.",
            restart_on=dt.date(2026, 12, 20),
        )
    with time_machine.travel(dt.datetime(2027, 1, 5, 9, tzinfo=utc), tick=False):
        sweep = clock_stops_sweep()
        content = pack_content(organisation, since=None, now=timezone.now())
    assert (sweep.restarted, sweep.escalated) == (1, 1)
    stops = content["clock_stops"]
    assert (stops["stopped_now"], stops["awaiting_approval"]) == (1, 1)
    assert (stops["started_since_last_pack"], stops["ended_since_last_pack"]) == (2, 1)
    assert stops["days_stopped_since_last_pack"] == 2.6  # 1 Dec 09:00 to 4 Dec 00:00 (London)
    (row,) = stops["long"]
    assert row["case"] == anonymised_reference(long.reference) and row["days_stopped"] == 35
    assert long.reference not in json.dumps(content)
    Meeting.objects.create(
        organisation=organisation, title="Executive Committee", held_on=dt.date(2027, 1, 12)
    )
    with time_machine.travel(dt.datetime(2027, 1, 5, 9, tzinfo=utc), tick=False):
        meeting_packs_due(today=dt.date(2027, 1, 11))
        governing = make_user(organisation, "gideon", Role.GOVERNING_BODY)
        page = signed_in(governing).get(f"/packs/{MeetingPack.objects.get().pk}/")
    html = page.content.decode()
    assert "Stopped too long" in html and anonymised_reference(long.reference) in html
