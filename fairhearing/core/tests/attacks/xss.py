"""Stored-XSS data: a payload in every free text a user, a party, a reporter or an outsider can
write, through the services (or the request, for what the register takes from a request)."""

import datetime as dt
import re
from dataclasses import dataclass

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fairhearing.accounts.models import Role, User
from fairhearing.cases.models import AllegationType, Case, Channel
from fairhearing.cases.services import (
    AllegationDetails,
    case_add_witness,
    case_assign,
    case_transition,
    complaint_record,
    party_protect_identity,
)
from fairhearing.conftest import make_user, signed_in
from fairhearing.dataprotection.models import SubjectAccessRequest
from fairhearing.dataprotection.services import (
    legal_hold_lift,
    legal_hold_place,
    legal_hold_review,
    subject_access_open,
)
from fairhearing.deadlines.services import deadline_pause
from fairhearing.dossiers.models import Dossier
from fairhearing.dossiers.services import dossier_import, dossier_receive
from fairhearing.evidence.services import Upload, evidence_add_file, evidence_add_post
from fairhearing.evidence.tests.files import png
from fairhearing.intake import services as intake_services
from fairhearing.interests.services import challenge_decide, challenge_raise, interest_declare
from fairhearing.linking.services import case_link
from fairhearing.organisations.models import Organisation
from fairhearing.oversight.services import approach_record
from fairhearing.people.services import PersonDetails
from fairhearing.portal.services import message_send, sign_in_link_send
from fairhearing.reporting.models import Review
from fairhearing.reporting.services import recommendations_import

# Script, an attribute break-out with an event handler, and a javascript: URL, in one.
PAYLOAD = '<script>window.__xss=1</script>"><img src=x onerror=window.__xss=1>javascript:alert(1)'
SHORT = '"><img src=x onerror=window.__xss=1>'  # for fields of up to 40 characters
ESCAPED = ("&lt;script&gt;window.__xss=1&lt;/script&gt;", "&lt;img src=x onerror=")
RAW = ("<script>window.__xss", "<img src=x", "onerror=window.__xss=1>")


@dataclass
class XssWorld:
    case: Case
    officer: User
    oversight: User
    admin: User
    party: Client  # the complainant's portal session
    reporter: Client  # an anonymous reporter's session
    dossier: Dossier
    held: Case  # on legal hold, reviewed
    lifted: Case  # a hold placed and lifted
    sar: SubjectAccessRequest  # about the respondent of `case`


def build_xss_world(organisation: Organisation) -> XssWorld:
    officer = make_user(organisation, "olwen", Role.CASE_OFFICER)
    oversight = make_user(organisation, "otto", Role.OVERSIGHT)
    admin = make_user(organisation, "ada", Role.ADMINISTRATOR)
    colleague = make_user(
        organisation, "cato", Role.CASE_OFFICER, first_name=PAYLOAD[:150], last_name=SHORT
    )
    complaint = complaint_record(
        actor=None,
        organisation=organisation,
        channel=Channel.WEB,
        complainant=PersonDetails(full_name="C " + PAYLOAD, email="priya@example.invalid"),
        respondents=[PersonDetails(full_name="R " + PAYLOAD, membership_number=SHORT)],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST,
            category="bullying",
            description="D " + PAYLOAD,
            conduct_date=dt.date(2026, 3, 3),
        ),
        summary="S " + PAYLOAD,
    )
    case = complaint.cases.get()
    other = complaint_record(
        actor=None,
        organisation=organisation,
        channel=Channel.WEB,
        complainant=PersonDetails(full_name="Tamsin Keogh"),
        respondents=[PersonDetails(full_name="R " + PAYLOAD)],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST, category="bullying", description="D " + PAYLOAD
        ),
        summary="Other",
    ).cases.get()
    case_assign(actor=None, case=case, user=officer, role="case_officer")
    case_assign(actor=None, case=other, user=officer, role="case_officer")
    case_assign(actor=None, case=case, user=colleague, role="case_officer")
    case_transition(
        actor=officer,
        case=case,
        transition="acknowledge",
        reasons="T " + PAYLOAD,
        rule_applied="Rule " + PAYLOAD,
    )
    case_add_witness(actor=officer, case=case, details=PersonDetails(full_name="W " + PAYLOAD))
    complainant = case.parties.get(role="complainant")
    party_protect_identity(actor=officer, party=complainant, reason="P " + PAYLOAD)
    deadline = case.deadlines.filter(status="open")[0]
    deadline_pause(actor=officer, deadline=deadline, reasons="Pause " + PAYLOAD)
    approach_record(
        actor=officer,
        case=case,
        approached_on=timezone.localdate(),
        approached_by="A " + PAYLOAD,
        channel="phone",
        asked="Q " + PAYLOAD,
        answered="Ans " + PAYLOAD,
    )
    interest_declare(actor=officer, kind="other", text="I " + PAYLOAD)
    challenge = challenge_raise(
        actor=officer,
        case=case,
        challenged=colleague,
        raised_by=case.respondent,
        grounds="G " + PAYLOAD,
    )
    challenge_decide(actor=officer, challenge=challenge, upheld=False, reasons="CD " + PAYLOAD)
    evidence_add_file(
        actor=officer,
        case=case,
        upload=Upload(PAYLOAD[:120] + ".png", png()),
        description="E " + PAYLOAD,
    )
    evidence_add_post(
        actor=officer,
        case=case,
        url="https://x.com/rowan/status/1",
        author_handle=SHORT,
        captured_text="Post " + PAYLOAD,
        description="PD " + PAYLOAD,
    )
    case_link(actor=officer, case=case, other=other, reasons="L " + PAYLOAD)
    message_send(
        case=case,
        party_person=complainant.person,
        party_role="complainant",
        body="Staff " + PAYLOAD,
        from_staff=officer,
    )
    # The complainant, through the portal.
    sign_in_link_send(actor=officer, case=case, person=complainant.person)
    token = re.search(r"/portal/sign-in/([^/]+)/", str(mail.outbox[-1].body)).group(1)  # type: ignore[union-attr]
    party = Client()
    party.post(reverse("portal:sign_in", args=[token]))
    party.post(reverse("portal:message", args=[case.reference]), {"body": "M " + PAYLOAD})
    # An anonymous reporter.
    submitted = intake_services.anonymous_report_submit(
        organisation=organisation,
        respondents=[PersonDetails(full_name="AR " + PAYLOAD)],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST, category="bullying", description="AD " + PAYLOAD
        ),
        summary="AS " + PAYLOAD,
        upload=Upload("shot.png", png(colour="green")),
        upload_description="AE " + PAYLOAD,
    )
    reporter = Client()
    reporter.post(reverse("intake:report"), {"code": str(submitted.code)})
    reporter_case = submitted.report.complaint.cases.get()
    reporter.post(
        reverse("intake:report_message"), {"case": reporter_case.pk, "body": "RM " + PAYLOAD}
    )
    case_assign(actor=None, case=reporter_case, user=officer, role="case_officer")
    # An outsider (or a curious insider) leaves their marks in the interference register.
    nosy = make_user(organisation, "gwen", Role.GOVERNING_BODY)
    signed_in(nosy).get(
        "/cases/" + case.reference + "/", HTTP_USER_AGENT="UA " + PAYLOAD, secure=False
    )
    signed_in(nosy).get("/cases/X" + "%22%3E%3Cimg%20src=x%20onerror=window.__xss=1%3E/")
    # A dossier from an outside organisation, and a review's recommendations.
    data = (
        "respondent_name,category,description,post_text\n"
        f'"N {PAYLOAD.replace(chr(34), chr(34) * 2)}",bullying,'
        f'"DD {PAYLOAD.replace(chr(34), chr(34) * 2)}",\n'
        f'"N2",not-a-category-{SHORT.replace(chr(34), "")},x,\n'
    ).encode()
    dossier, _ = dossier_receive(
        actor=officer,
        organisation=organisation,
        source_name="Src " + PAYLOAD,
        filename=PAYLOAD[:100] + ".csv",
        data=data,
    )
    dossier_import(dossier=dossier)
    recommendations_import(
        actor=admin,
        organisation=organisation,
        title="Review " + PAYLOAD,
        published_on=dt.date(2026, 1, 1),
        data=(
            "number,text,owner,due_on,status,evidence\n"
            f'R1,"Rec {PAYLOAD.replace(chr(34), chr(34) * 2)}",'
            f'"Owner {PAYLOAD.replace(chr(34), chr(34) * 2)}",2027-01-31,implemented,'
            f'"Ev {PAYLOAD.replace(chr(34), chr(34) * 2)}"\n'
        ).encode(),
        filename="recs.csv",
    )
    assert Review.objects.filter(title__startswith="Review").exists()
    # Legal holds and a subject access request.
    soon = timezone.localdate() + dt.timedelta(days=30)
    hold = legal_hold_place(actor=officer, case=other, reasons="H " + PAYLOAD, review_on=soon)
    legal_hold_review(actor=officer, hold=hold, reasons="HR " + PAYLOAD, review_on=soon)
    lifted = legal_hold_place(
        actor=officer, case=reporter_case, reasons="H2 " + PAYLOAD, review_on=soon
    )
    legal_hold_lift(actor=officer, hold=lifted, reasons="HL " + PAYLOAD)
    sar = subject_access_open(actor=officer, person=case.respondent)
    return XssWorld(
        case=case,
        officer=officer,
        oversight=oversight,
        admin=admin,
        party=party,
        reporter=reporter,
        dossier=dossier,
        held=other,
        lifted=reporter_case,
        sar=sar,
    )
