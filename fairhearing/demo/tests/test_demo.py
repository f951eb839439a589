import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from fairhearing.audits.models import AuditRound
from fairhearing.audits.queries import published_counts, round_counts
from fairhearing.cases.models import Allegation, Case
from fairhearing.cases.queries import conduct_out_of_time
from fairhearing.demo.data import DEMO_RECEIPT, DEMO_USERS
from fairhearing.demo.post_page import LIKER, POST_PATH, POST_TEXT
from fairhearing.evidence.models import WebCapture
from fairhearing.intake.anonymous import receipt_use
from fairhearing.interests.models import Declaration
from fairhearing.ledger.queries import ledger_verify
from fairhearing.notes.models import ChecklistTick, FileNote
from fairhearing.oversight.models import AccessAttempt, Approach
from fairhearing.people.models import person_hash
from fairhearing.portal.models import Reply
from fairhearing.reporting.models import MeetingPack, Recommendation, StatisticsReport

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_prints_logins_and_keeps_the_ledger_intact(capsys) -> None:
    call_command("load_demo", "--cases", "60")
    first = capsys.readouterr().out
    count = Case.objects.count()
    assert count >= 60
    for username, *_ in DEMO_USERS:
        assert username in first
    assert "http://127.0.0.1:8000/" in first
    assert DEMO_RECEIPT in first  # the demo's anonymous report, opened by the printed code
    assert receipt_use(text=DEMO_RECEIPT, ip_address=None).complaint.cases.count() == 1
    assert Case.objects.filter(stage="closed").exclude(outcome="").exists()
    assert Case.objects.exclude(stage="closed").exists()
    call_command("load_demo")
    assert "already loaded" in capsys.readouterr().out
    assert Case.objects.count() == count
    assert ledger_verify().ok
    # The rule against bias shows in the demo.
    assert Declaration.objects.count() >= 3
    assert AccessAttempt.objects.filter(role="governing_body").exists()
    assert AccessAttempt.objects.count() > 50  # the register runs to a second page
    assert AccessAttempt.objects.filter(role="anonymous").exclude(ip_address=None).exists()
    assert Approach.objects.count() >= 1
    # A case about conduct older than the time limit waits at the charge decision, barred.
    old = Case.objects.get(respondent__full_name_hash=person_hash("full_name", "Lowell Pritchard"))
    late = conduct_out_of_time(old)
    assert old.stage == "charge_decision" and late is not None and late.barred
    # So does the governance side: a review's recommendations, a pack, published statistics.
    reviewed = Recommendation.objects.exclude(review__title__startswith="Case-file audit")
    assert reviewed.count() == 20
    assert len(set(reviewed.values_list("status", flat=True))) == 4
    # Case-file audits: the quarter before last audited in full and published, the last one
    # under way; each with findings, one raised as a recommendation in the tracker.
    rounds = list(AuditRound.objects.order_by("starts_on"))
    assert len(rounds) == 2
    published = published_counts(rounds[0].organisation_id)
    assert [r.period for r in published] == [rounds[0].period]
    assert sum(check.no for check in published[0].checks) >= 1
    under_way = round_counts(rounds[1])
    assert 0 < under_way.audited < under_way.drawn
    for audit_round in rounds:
        assert audit_round.audited.exclude(findings="").exists()
        assert audit_round.audited.exclude(recommendation=None).count() == 1
    assert MeetingPack.objects.count() == 1 and StatisticsReport.objects.count() == 2
    # Confidence surveys: parties invited when their case closed, over half of them answered
    # (one answer per link used, none on a case), and the statistics and the pack show them.
    from fairhearing.ledger.models import Event, EventKind
    from fairhearing.surveys.models import Answer, Invitation

    used = Invitation.objects.filter(used=True).count()
    assert used > 0 and Answer.objects.count() == used
    answered = Event.objects.filter(kind=EventKind.SURVEY_ANSWERED)
    assert answered.count() == used and not answered.exclude(case_id=None).exists()
    for report in StatisticsReport.objects.all():
        assert len(report.content["survey_answers"]) == 2
    assert MeetingPack.objects.get().content["survey"]["survey_tables"]
    # A like alleged as such, and the post liked captured from its link (the demo's own page)
    # by the capture's own code: screenshot, HTML and WARC, on the ledger.
    liked = Allegation.objects.get(acting_account=LIKER)
    assert liked.allegation_type == "like" and liked.url.endswith(POST_PATH)
    capture = WebCapture.objects.get(item__case=liked.case)
    assert capture.http_status == 200 and capture.final_url == liked.url
    assert POST_TEXT in capture.item.captured_text and capture.item.blob is not None
    # A redacted screenshot (a protected complainant's name covered) in the respondent's
    # bundle, the original in the panel's.
    from fairhearing.evidence.models import Redaction
    from fairhearing.evidence.services import bundle_make

    (redaction,) = Redaction.objects.select_related("item__case")
    assert redaction.blob is not None and redaction.blob.content_type == "image/png"
    bundle = bundle_make(actor=None, case=redaction.item.case, audience="respondent")
    assert redaction.sha256 in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(bundle.pdf)).pages
    ).replace("\n", "")
    # A respondent's reply with the file it brought, an item of evidence on its case.
    assert Reply.objects.filter(evidence__original_name="sign-in-log.txt").count() == 1
    # The case team's working file: notes, one shared with the respondent, and two checks done.
    assert FileNote.objects.count() == 3
    assert FileNote.objects.filter(disclosed_to="respondent").count() == 1
    assert ChecklistTick.objects.filter(done=True).count() == 2
    # Governed clock stops: one approved by oversight, one awaiting a colleague's approval.
    from fairhearing.deadlines.models import ClockStop

    assert set(ClockStop.objects.values_list("status", flat=True)) == {"stopped", "requested"}
    # Sanction compliance: a course complied with (its certificate kept), one not, an
    # apology added, and a suspension's end delivered to the membership system.
    from fairhearing.compliance.models import Condition
    from fairhearing.webhooks.models import Delivery

    statuses = set(Condition.objects.values_list("kind", "status"))
    assert {("course", "complied"), ("course", "not_complied"), ("apology", "open")} <= statuses
    assert Condition.objects.filter(status="complied").exclude(proof=None).count() == 1
    delivered = Delivery.objects.filter(status="delivered", event__name="suspension.ended")
    assert delivered.count() == 1
