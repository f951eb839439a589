"""A batch of complaints (the worker's queued submissions) is recorded and acknowledged exactly
as recording each in turn does: the same complaints, people, cases, parties, allegations,
fingerprints, time limits, stage changes, emails and ledger events in the same order."""

import copy
import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.utils import timezone

from fairhearing.accounts.models import Role
from fairhearing.cases.models import AllegationType, Case, Channel, Complaint
from fairhearing.cases.queries import search_matches
from fairhearing.cases.services import UNKNOWN_CATEGORY
from fairhearing.conftest import make_user
from fairhearing.core import bulk
from fairhearing.intake import acknowledge as intake_acknowledge
from fairhearing.intake import record as intake_record
from fairhearing.intake import services as intake_services
from fairhearing.intake.details import AllegationDetails
from fairhearing.intake.models import Submission
from fairhearing.intake.queue import complaint_accept
from fairhearing.intake.services import complaint_submit, submissions_record
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify
from fairhearing.linking.models import Fingerprint
from fairhearing.organisations.default_rulebook import DEFAULT_RULEBOOK
from fairhearing.organisations.services import organisation_create, rulebook_publish
from fairhearing.people.models import Person, person_hash
from fairhearing.people.services import PersonDetails
from fairhearing.people.tests.test_name_index import unindexed

pytestmark = pytest.mark.django_db

WORDS = "Shouted down members at the branch meeting and repeated it in the group chat later."


def person(name: str, **extra: Any) -> PersonDetails:
    return PersonDetails(full_name=name, **extra)


# (complainant, respondents, category, url, received days ago)
SUBMISSIONS: list[tuple[PersonDetails, list[PersonDetails], str, str, int]] = [
    (person("Ada One", email="ada@example.invalid"), [person("Bo Two")], "bullying", "", 0),
    # Two respondents: two cases, one complaint; one of them a member with a branch.
    (
        person("Cy Three", email="cy@example.invalid"),
        [person("Di Four", membership_number="M4", branch_name="Harbour"), person("Ed Five")],
        "bullying",
        "",
        2,
    ),
    # The same member again, as respondent and then as complainant: one person throughout.
    (person("Fay Six"), [person("Di Four", membership_number="M4")], "antisemitism", "", 1),
    (
        person("Di Four", membership_number="M4", email="di@example.invalid"),
        [person("Gil Seven", branch_name="Harbour")],
        "bullying",
        "",
        0,
    ),
    # The same member once more, with another email (the one on record is kept) and the
    # postal address the record lacks (filled in).
    (
        person(
            "Di Four",
            membership_number="M4",
            email="di.four@example.invalid",
            postal_address="4 Quay Street\nHarbour HB1 2CD",
        ),
        [person("Kit Eleven")],
        "bullying",
        "",
        0,
    ),
    # A post named: kept as evidence on the case it opens.
    (
        person("Hal Eight", email="hal@example.invalid"),
        [person("Bo Two")],
        "bullying",
        "https://x.com/bo/status/99",
        0,
    ),
    # The same post about the same person, in the same batch: it joins Hal Eight's case.
    (
        person("Lu Twelve", email="lu@example.invalid"),
        [person("Bo Two")],
        "bullying",
        "https://x.com/bo/status/99?utm_source=share",
        0,
    ),
    # Its category left the rulebook after acceptance: refused, with the reason.
    (person("Ivy Nine", email="ivy@example.invalid"), [person("Jo Ten")], "sexism", "", 0),
]


def setup(slug: str) -> Any:
    organisation = organisation_create(
        actor=None, name=f"Org {slug}", slug=slug, reference_prefix=slug.upper()
    )
    officer = make_user(organisation, f"officer-{slug}", Role.CASE_OFFICER)
    for complainant, respondents, category, url, days in SUBMISSIONS:
        complaint_accept(
            actor=officer,
            organisation=organisation,
            channel=Channel.WEB,
            complainant=complainant,
            respondents=respondents,
            allegation=AllegationDetails(
                allegation_type=AllegationType.IN_PERSON,
                category=category,
                description=WORDS,
                url=url,
            ),
            summary=WORDS,
            received_at=timezone.now() - dt.timedelta(days=days),
        )
    definition = copy.deepcopy(DEFAULT_RULEBOOK)
    definition["categories"] = [c for c in definition["categories"] if c["key"] != "sexism"]
    rulebook_publish(actor=None, organisation=organisation, definition=definition)
    return organisation


def name_hash(name: str) -> str:
    return person_hash("full_name", name)


def days_ago(at: dt.datetime) -> int:
    return (timezone.now() - at).days


VARYING = {
    "person",
    "complaint",
    "cases",
    "deadline",
    "stage_change",
    "allegation",
    "respondent",
    "rulebook",
    "reference",
    "due_at",
    "organisation",
    # The post a complaint names, kept as evidence: its ids, and its hash (which covers the
    # time it was captured).
    "item",
    "sha256",
}


def name_of(case: Case) -> str:
    return f"{case.respondent.full_name}/{case.respondent.membership_number}"


def snapshot(organisation: Any, since: int, mails: list[Any]) -> dict[str, Any]:
    cases = Case.objects.filter(organisation=organisation).order_by("pk")
    names = {c.pk: name_of(c) for c in cases}
    complaints = Complaint.objects.filter(organisation=organisation).order_by("reference")
    number = {c.pk: i for i, c in enumerate(complaints)}
    person = {
        p.pk: f"{p.full_name}/{p.membership_number}"
        for p in Person.objects.filter(organisation=organisation)
    }
    events = []
    for event in Event.objects.filter(seq__gt=since).order_by("seq"):
        payload = event.payload or {}
        events.append(
            (
                event.kind,
                event.actor_id is not None,
                names.get(event.case_id or 0),
                number.get(payload.get("complaint", 0)),
                tuple(sorted(payload)),
                # Every value but the ids and the two organisations' references and times.
                sorted((k, str(v)) for k, v in payload.items() if k not in VARYING),
                person.get(payload.get("person", 0)),
            )
        )
    per_case = []
    for case in cases:
        per_case.append(
            (
                name_of(case),
                case.stage,
                case.category,
                days_ago(case.opened_at),
                sorted(p.person.full_name for p in case.parties.all()),
                sorted(number[c.pk] for c in case.complaints.all()),
                sorted(
                    (a.allegation_type, a.category, a.description, a.url)
                    for a in case.allegations.all()
                ),
                sorted(
                    (d.kind, d.working_days, d.status, d.started_at == case.opened_at)
                    for d in case.deadlines.all()
                ),
                sorted(
                    (f.source, f.post_key, f.text, f.bands.count())
                    for f in Fingerprint.objects.filter(case=case)
                ),
                sorted(
                    (s.transition, s.from_stage, s.to_stage, s.reasons, s.rule_applied)
                    for s in case.stage_changes.all()
                ),
            )
        )
    people = Counter(
        (p.full_name, p.membership_number, p.email, p.postal_address, p.is_member, str(p.branch))
        for p in Person.objects.filter(organisation=organisation)
    )
    return {
        "complaints": [
            (
                days_ago(c.received_at),
                c.channel,
                c.complainant.full_name,
                c.summary,
                c.recorded_by_id is not None,
            )
            for c in complaints
        ],
        "cases": per_case,
        "events": events,
        "people": people,
        "refused": list(
            Submission.objects.filter(organisation=organisation).values_list("status", "reason")
        ),
        "mails": [m.to[0] for m in mails],
    }


def record(organisation: Any, mailoutbox: list[Any]) -> tuple[dict[str, int], dict[str, Any]]:
    since = Event.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    mailoutbox.clear()
    counts = submissions_record()
    return counts, snapshot(organisation, since, mailoutbox)


def one_by_one(monkeypatch) -> None:
    """Record each complaint of a batch on its own, in turn (where intake.services looks the
    recorder up: it imports the name)."""

    def each(organisation: Any, incoming: list[Any]) -> Any:
        recorded, refused = [], {}
        for position, item in enumerate(incoming):
            done, no = intake_record.complaints_record(organisation, [item])
            recorded += done
            if no:
                refused[position] = no[0]
        return recorded, refused

    monkeypatch.setattr(intake_services, "complaints_record", each)


@pytest.mark.parametrize("copy_from", [1, 1000])
def test_a_batch_records_what_recording_each_in_turn_records(
    monkeypatch, mailoutbox, copy_from: int
) -> None:
    # On PostgreSQL, every insert by COPY (core/bulk.py) and then none: the same records.
    monkeypatch.setattr(bulk, "_COPY_FROM", copy_from)
    fast_org = setup("fast")
    fast_counts, fast = record(fast_org, mailoutbox)
    slow_org = setup("slow")
    with monkeypatch.context() as patched:
        one_by_one(patched)
        slow_counts, slow = record(slow_org, mailoutbox)
    assert fast_counts == slow_counts == {"recorded": 7, "refused": 1}
    for part in ("complaints", "cases", "people", "refused", "mails"):
        assert fast[part] == slow[part], part
    assert fast["events"] == slow["events"]
    # Fay Six gave no address: her complaint's case waits for staff to acknowledge it. Di
    # Four, on record without one, gave hers with her own complaint: it is filled in, and
    # her complaints are acknowledged by email.
    assert [c[1] for c in fast["cases"]] == ["acknowledged"] * 3 + ["received"] + [
        "acknowledged"
    ] * 3
    assert fast["mails"] == [
        "ada@example.invalid",
        "cy@example.invalid",
        "di@example.invalid",
        "di@example.invalid",
        "hal@example.invalid",
        "lu@example.invalid",
    ]
    # Lu Twelve's complaint joined the case Hal Eight's opened, about the same post, in the
    # same batch: one case, two complainants, the post kept once.
    (joined,) = [c for c in fast["cases"] if len(c[5]) == 2]
    assert joined[0] == "Bo Two/" and joined[4] == ["Hal Eight", "Lu Twelve"]
    assert [e[0] for e in fast["events"]].count(EventKind.COMPLAINT_GROUPED) == 1
    assert [e[0] for e in fast["events"]].count(EventKind.EVIDENCE_ADDED) == 1
    filled = [e for e in fast["events"] if e[0] == EventKind.CONTACT_DETAILS_FILLED]
    assert [(e[-1], dict(e[-2])["filled"]) for e in filled] == [
        ("Di Four/M4", "['email']"),
        ("Di Four/M4", "['postal_address']"),
    ]
    assert all(actor for _, actor, *_ in filled)  # the officer who accepted the complaint
    for organisation in (fast_org, slow_org):
        di = Person.objects.get(organisation=organisation, full_name_hash=name_hash("Di Four"))
        assert (di.email, di.postal_address) == (
            "di@example.invalid",
            "4 Quay Street\nHarbour HB1 2CD",
        )
    # The blind index of names, kept as the row path keeps it: found by part of a name.
    assert unindexed(fast_org) == unindexed(slow_org) == []
    kit = Case.objects.get(
        organisation=fast_org, respondent__full_name_hash=name_hash("Kit Eleven")
    )
    assert search_matches("kit ELEV", organisation_id=fast_org.pk) == {kit.pk}
    assert ledger_verify().ok


def test_a_refused_complaint_leaves_the_rest_of_its_batch_recorded(monkeypatch) -> None:
    setup("split")
    taken: list[tuple[int, list[int]]] = []
    original = intake_record.complaints_record

    def spy(organisation: Any, incoming: list[Any]) -> Any:
        recorded, refused = original(organisation, incoming)
        taken.append((len(recorded), sorted(refused)))
        return recorded, refused

    monkeypatch.setattr(intake_services, "complaints_record", spy)
    assert submissions_record() == {"recorded": 7, "refused": 1}
    assert taken == [(7, [7])]  # one batch; the category that left the rulebook refused
    assert Submission.objects.get().reason == UNKNOWN_CATEGORY


def test_acknowledgements_the_fast_path_declines_are_recorded_one_by_one(
    monkeypatch, mailoutbox
) -> None:
    # Where an acknowledgement could do more than move the case on, the batch writes nothing
    # and each is recorded by case_transition: the same result.
    fast_org = setup("plain")
    _, fast = record(fast_org, mailoutbox)
    other_org = setup("declined")
    with monkeypatch.context() as patched:
        patched.setattr(intake_acknowledge, "_plainly_acknowledged", lambda case: False)
        _, declined = record(other_org, mailoutbox)
    assert declined == fast


def test_a_case_moved_since_it_was_recorded_is_not_acknowledged_again(mailoutbox) -> None:
    organisation = setup("moved")
    submissions_record()
    case = Case.objects.filter(organisation=organisation, stage="acknowledged").first()
    assert case is not None
    case.stage = "received"  # the worker's copy, from before staff acknowledged it
    transitions = Event.objects.filter(kind=EventKind.CASE_TRANSITIONED).count()
    assert not intake_acknowledge.acknowledgements_record_many(
        [(case.complaints.get(), [case])], reasons="r", rule_applied="x"
    )
    assert Event.objects.filter(kind=EventKind.CASE_TRANSITIONED).count() == transitions


def submit_each(slug: str, mails: list[Any]) -> dict[str, Any]:
    """Each complaint (but the last) submitted as the forms submit it: the records made."""
    organisation = organisation_create(
        actor=None, name=f"Org {slug}", slug=slug, reference_prefix=slug.upper()
    )
    officer = make_user(organisation, f"officer-{slug}", Role.CASE_OFFICER)
    since = Event.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    mails.clear()
    for complainant, respondents, category, url, days in SUBMISSIONS[:-1]:
        complaint_submit(
            actor=officer,
            organisation=organisation,
            channel=Channel.WEB,
            complainant=complainant,
            respondents=respondents,
            allegation=AllegationDetails(
                allegation_type=AllegationType.IN_PERSON,
                category=category,
                description=WORDS,
                url=url,
            ),
            summary=WORDS,
            received_at=timezone.now() - dt.timedelta(days=days),
        )
    return snapshot(organisation, since, mails)


def test_complaints_submitted_directly_make_the_records_a_queued_batch_makes(
    mailoutbox,
) -> None:
    # Each recorded and acknowledged as it arrives (the forms), or accepted, queued and
    # recorded together by the worker (the API): the same records, the same events (each
    # complaint's acknowledged as it arrives, not after the batch) and the same emails.
    direct = submit_each("direct", mailoutbox)
    _, queued = record(setup("queued"), mailoutbox)
    for part in ("complaints", "cases", "people", "mails"):
        assert direct[part] == queued[part], part
    assert Counter(e[0] for e in direct["events"]) == Counter(e[0] for e in queued["events"])
    assert len(direct["complaints"]) == 7 and len(direct["mails"]) == 6
