"""A chunk records exactly what its rows record one at a time: same outcomes, same cases,
parties, allegations, captures, fingerprints, deadlines and ledger events in the same order."""

from collections import Counter
from typing import Any

import pytest
from django.db import transaction

from fairhearing.cases.models import AllegationType, Case, Channel
from fairhearing.cases.queries import search_matches
from fairhearing.core import bulk
from fairhearing.dossiers import read
from fairhearing.dossiers.importing import _import_row, import_chunk
from fairhearing.dossiers.services import dossier_receive
from fairhearing.evidence.services import evidence_add_post
from fairhearing.intake.details import AllegationDetails
from fairhearing.intake.record import complaint_record
from fairhearing.ledger.models import Event
from fairhearing.ledger.queries import ledger_verify
from fairhearing.linking.models import Band, Fingerprint
from fairhearing.organisations.services import organisation_create
from fairhearing.people.models import person_hash
from fairhearing.people.services import PersonDetails
from fairhearing.people.tests.test_name_index import unindexed

from .test_dossiers import POST, row, to_csv

pytestmark = pytest.mark.django_db

OTHER_POST = "The selection was stitched up by the usual faces and everyone in the ward knows it."
THIRD_POST = "Those two have been telling new members to stay away from branch meetings for months."

ROWS = [
    row("Ada One", url="https://x.com/adaone/status/1", post_text=POST),
    row("Bo Two", respondent_membership_number="M2", url="https://x.com/bo/status/2"),
    # The same post as row 1, its words copied with a comment: joins row 1's new case.
    row("ada one", post_text=POST + " (rt)"),
    # Near-identical words to the case already open: joins it.
    row("Cy Three", respondent_membership_number="M3", post_text=OTHER_POST + " (rt)"),
    row("", description="No respondent."),
    row("Di Four", respondent_branch="Harbour"),
    # The same member again, another post: a new case, the same person.
    row("Bo Two", respondent_membership_number="M2", url="https://x.com/bo/status/3"),
    # Two people in one cell: one complaint, a case each, in the order named.
    row(
        "Eve Five; Fay Six",
        respondent_membership_number="M5; M6",
        url="https://x.com/eve/status/5",
        post_text=THIRD_POST,
    ),
    # Row 1's post again, naming Ada One and someone new: Ada's case is joined, Gus's opened.
    row("Gus Seven\nAda One", url="https://x.com/adaone/status/1", respondent_branch="Harbour"),
    # Two people joined by "&": not split, not guessed, rejected.
    row("Hal Eight & Ivy Nine", url="https://x.com/hal/status/8"),
    # Both named again about the same post: both cases joined, nothing opened.
    row("Fay Six;Eve Five", url="https://x.com/eve/status/5", description="Seen again."),
]


def setup(slug: str) -> Any:
    organisation = organisation_create(
        actor=None, name=f"Org {slug}", slug=slug, reference_prefix=slug.upper()
    )
    complaint = complaint_record(
        actor=None,
        organisation=organisation,
        channel=Channel.WEB,
        complainant=PersonDetails(full_name="Early Reporter"),
        respondents=[PersonDetails(full_name="Cy Three", membership_number="M3")],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST, category="bullying", description="Seen it."
        ),
        summary="Seen it.",
    )
    evidence_add_post(actor=None, case=complaint.cases.get(), captured_text=OTHER_POST)
    dossier, _ = dossier_receive(
        actor=None,
        organisation=organisation,
        source_name="Campaign",
        filename="d.csv",
        data=to_csv(ROWS),
    )
    _, rows = read.read(to_csv(ROWS))
    read.check(rows, organisation.current_rulebook().spec)
    return organisation, dossier, rows


def snapshot(organisation: Any, dossier: Any) -> dict[str, Any]:
    cases = Case.objects.filter(organisation=organisation).order_by("pk")
    case_ids = list(cases.values_list("pk", flat=True))
    name = {c.pk: c.respondent.full_name + "/" + c.respondent.membership_number for c in cases}
    events = []
    for event in Event.objects.filter(case_id__in=case_ids).order_by("seq"):
        events.append((event.kind, name[event.case_id or 0], tuple(sorted(event.payload))))
    rows = [
        (r.number, r.status, tuple(r.reasons), name.get(r.duplicate_of_id))
        for r in dossier.rows.order_by("number")
    ]
    per_case: dict[str, list[Any]] = {}
    for case in cases:
        per_case.setdefault(name[case.pk], []).append(
            (
                case.stage,
                case.category,
                sorted(p.person.full_name for p in case.parties.all()),
                case.complaints.count(),
                sorted(
                    (a.allegation_type, a.category, a.description, a.url, a.conduct_date)
                    for a in case.allegations.all()
                ),
                sorted((d.kind, d.working_days, d.status) for d in case.deadlines.all()),
                sorted(
                    (e.number, e.kind, e.url, e.post_key, e.platform, e.captured_text, e.source)
                    for e in case.evidence.all()
                ),
                sorted(
                    (f.source, f.post_key, f.text, f.bands.count())
                    for f in Fingerprint.objects.filter(case=case)
                ),
                sorted((g.reason, g.score) for g in case.groupings.all()),
            )
        )
    people = Counter(
        (c.respondent.full_name, c.respondent.membership_number, str(c.respondent.branch))
        for c in cases
    )
    return {"rows": rows, "cases": per_case, "events": events, "people": people}


@pytest.mark.parametrize("copy_from", [1, 1000])
def test_the_fast_path_records_what_the_row_path_records(monkeypatch, copy_from: int) -> None:
    # On PostgreSQL, every insert by COPY (core/bulk.py) and then none: the same records.
    monkeypatch.setattr(bulk, "_COPY_FROM", copy_from)
    fast_org, fast_dossier, fast_rows = setup("fast")
    slow_org, slow_dossier, slow_rows = setup("slow")
    with transaction.atomic():
        import_chunk(fast_dossier, fast_rows, None)
    with transaction.atomic():
        for r in slow_rows:
            _import_row(slow_dossier, r, None)
    fast, slow = snapshot(fast_org, fast_dossier), snapshot(slow_org, slow_dossier)
    assert fast["rows"] == slow["rows"]
    assert [r[1] for r in fast["rows"]] == [
        "accepted",
        "accepted",
        "duplicate",
        "duplicate",
        "rejected",
        "accepted",
        "accepted",
        "accepted",
        "accepted",
        "rejected",
        "duplicate",
    ]
    assert fast["rows"][9][2] == (read.AMBIGUOUS_RESPONDENT.format(value="Hal Eight & Ivy Nine"),)
    # Gus Seven's row joined Ada One's case: it is the row's duplicate_of, though accepted; the
    # last row joined both cases, the first it names being its duplicate_of.
    assert fast["rows"][8][3] == "Ada One/" and fast["rows"][10][3] == "Fay Six/M6"
    assert sorted(fast["cases"]) == sorted(slow["cases"])
    assert {"Eve Five/M5", "Fay Six/M6", "Gus Seven/"} <= set(fast["cases"])
    assert fast["cases"] == slow["cases"]
    assert fast["events"] == slow["events"]
    assert fast["people"] == slow["people"]
    # The blind index of names, kept as the row path keeps it: found by part of a name.
    assert unindexed(fast_org) == unindexed(slow_org) == []
    gus = Case.objects.get(
        organisation=fast_org, respondent__full_name_hash=person_hash("full_name", "Gus Seven")
    )
    assert search_matches("sev GUS", organisation_id=fast_org.pk) == {gus.pk}
    assert Band.objects.count() > 0
    assert ledger_verify().ok
