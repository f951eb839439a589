"""Every form's GOV.UK error summary lists its errors in the order the fields appear on the
page (issue 20, item 6).

`govuk_error_summary` lists errors in the form's field order; a template may render the fields
in another. Two checks:

- every template with an error summary renders its form's fields in the form's order (read
  from the template: `{% govuk_field form.x %}`, and `{% for … in form.method %}` for fields
  rendered in a loop); a new template with a summary must be named here;
- real pages, posted (or, for the register's filters, asked) with every field wrong at once:
  the summary's links come in the order of their targets on the page
  (`core.testing.error_summary.summary_out_of_order`).
"""

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django import forms

from fairhearing.accounts.forms import CodeForm, EnrolmentForm, ReauthForm, SignInForm
from fairhearing.accounts.models import Role
from fairhearing.audits import forms as audit_forms
from fairhearing.caselist.forms import BulkAssignForm, SavedViewForm
from fairhearing.cases import forms as case_forms
from fairhearing.cases.services import BULK_MOST
from fairhearing.compliance import forms as compliance_forms
from fairhearing.conftest import make_user, signed_in
from fairhearing.core.testing.error_summary import summary_out_of_order, summary_targets
from fairhearing.dataprotection import forms as dp_forms
from fairhearing.deadlines.forms import ClockStopDecisionForm, ClockStopForm
from fairhearing.dossiers.forms import DossierForm
from fairhearing.evidence.forms import CaptureForm, FileEvidenceForm, PostEvidenceForm, RedactForm
from fairhearing.intake import forms as intake_forms
from fairhearing.interests import forms as interest_forms
from fairhearing.linking.forms import LinkForm, UndoForm
from fairhearing.notes.forms import DiscloseForm, NoteForm
from fairhearing.notes.services import note_add
from fairhearing.notifications.forms import LetterPostedForm
from fairhearing.organisations.default_rulebook import DEFAULT_RULEBOOK
from fairhearing.organisations.rulebook import RulebookSpec
from fairhearing.oversight.forms import ApproachForm, RegisterFilterForm, VerificationForm
from fairhearing.panels.forms import InterimSuspensionForm, TrainingRecordForm, VoteForm
from fairhearing.people.forms import AffiliationForm, ContactForm
from fairhearing.portal import forms as portal_forms
from fairhearing.reporting import forms as reporting_forms
from fairhearing.surveys.forms import AnswerForm as SurveyAnswerForm

SPEC = RulebookSpec(DEFAULT_RULEBOOK)
DECISIONS = [SPEC.transitions["decide_upheld"], SPEC.transitions["decide_not_upheld"]]
APP_ROOT = Path(__file__).resolve().parents[2]

# Each template with an error summary, and the form(s) its views give it.
TEMPLATE_FORMS: dict[str, list[Callable[[], forms.BaseForm]]] = {
    "accounts/reauth.html": [ReauthForm],
    "audits/rounds.html": [audit_forms.DrawForm],
    "audits/audited_case.html": [
        lambda: audit_forms.AuditCaseForm(
            checks=[{"key": c.key, "label": c.label} for c in SPEC.audit_checks]
        )
    ],
    "audits/raise.html": [audit_forms.RaiseForm],
    "compliance/condition_add.html": [compliance_forms.ConditionAddForm],
    "compliance/condition_record.html": [compliance_forms.ConditionRecordForm],
    "surveys/answer.html": [SurveyAnswerForm],
    "panels/training.html": [lambda: TrainingRecordForm(people=[], courses=[])],
    "accounts/sign_in.html": [SignInForm],
    "accounts/two_factor.html": [CodeForm],
    "accounts/two_factor_enrol.html": [EnrolmentForm],
    "cases/allegation_rules.html": [lambda: case_forms.ConductRulesForm(spec=SPEC)],
    "cases/case_assign.html": [lambda: case_forms.AssignForm(organisation_id=0)],
    "cases/case_hearing.html": [case_forms.HearingForm],
    "cases/case_transition.html": [
        lambda: case_forms.TransitionForm(spec=SPEC, transition=SPEC.transitions["decide_upheld"])
    ],
    "cases/case_witness.html": [case_forms.WitnessForm],
    "cases/conduct_exception.html": [case_forms.DecisionForm],
    "cases/party_protect.html": [case_forms.ReasonsForm],
    "caselist/saved_views.html": [SavedViewForm],
    "caselist/bulk_assign.html": [lambda: BulkAssignForm(staff=[], cases=[], most=BULK_MOST)],
    "dataprotection/hold.html": [dp_forms.HoldForm],
    "dataprotection/hold_change.html": [dp_forms.HoldForm, dp_forms.LiftForm],
    "dataprotection/sar_list.html": [lambda: dp_forms.SubjectAccessForm(organisation_id=0)],
    "deadlines/deadline_clock.html": [case_forms.ReasonsForm],
    "deadlines/clock_stop.html": [lambda: ClockStopForm(latest=dt.date(2027, 3, 1))],
    "deadlines/clock_stop_decide.html": [ClockStopDecisionForm],
    "dossiers/dossier_list.html": [DossierForm],
    "evidence/evidence_file.html": [FileEvidenceForm],
    "evidence/evidence_post.html": [PostEvidenceForm],
    "evidence/evidence_capture.html": [CaptureForm],
    "evidence/evidence_redact.html": [lambda: RedactForm(pages=2, has_text=True)],
    "portal/capture.html": [portal_forms.PartyCaptureForm],
    "intake/anonymous_form.html": [lambda: intake_forms.AnonymousComplaintForm(spec=SPEC)],
    "intake/complaint_form.html": [lambda: intake_forms.ComplaintForm(spec=SPEC)],
    "intake/complaint_record.html": [lambda: intake_forms.StaffComplaintForm(spec=SPEC)],
    "intake/report.html": [intake_forms.ReceiptForm],
    "intake/report_evidence.html": [intake_forms.ReporterEvidenceForm],
    "interests/challenge_decide.html": [interest_forms.ChallengeDecisionForm],
    "interests/challenge_raise.html": [
        lambda: interest_forms.ChallengeForm(members=[], parties=[])
    ],
    "interests/declaration_list.html": [lambda: interest_forms.DeclarationForm(organisation_id=0)],
    "interests/recuse.html": [case_forms.ReasonsForm],
    "linking/link.html": [LinkForm],
    "linking/undo.html": [UndoForm],
    "notes/note_add.html": [NoteForm],
    "notes/note_disclose.html": [DiscloseForm],
    "notifications/letter.html": [LetterPostedForm],
    "oversight/approach_record.html": [ApproachForm],
    "oversight/register.html": [lambda: RegisterFilterForm(people=[])],
    "oversight/verification.html": [VerificationForm],
    "panels/interim_suspension.html": [InterimSuspensionForm],
    "panels/interim_suspension_decide.html": [case_forms.ReasonsForm],
    "panels/seat_vote.html": [lambda: VoteForm(spec=SPEC, choices=DECISIONS)],
    "people/affiliation_end.html": [case_forms.ReasonsForm],
    "people/affiliations.html": [AffiliationForm],
    "people/contact.html": [ContactForm],
    "portal/challenge.html": [lambda: portal_forms.ChallengeForm(members=[])],
    "portal/hearing_move.html": [portal_forms.MoveHearingForm],
    "portal/hearing_request.html": [portal_forms.HearingRequestForm],
    "portal/link_request.html": [portal_forms.LinkRequestForm],
    "portal/reply.html": [portal_forms.ReplyForm],
    "reporting/pack_list.html": [reporting_forms.MeetingForm],
    "reporting/tracker_import.html": [reporting_forms.RecommendationsImportForm],
    "reporting/tracker_update.html": [reporting_forms.RecommendationUpdateForm],
}

FIELD = re.compile(r"{%\s*govuk_field\s+form\.(\w+)|{%\s*for\s+\w+\s+in\s+form\.(\w+)\s*%}")


def templates_with_a_summary() -> dict[str, Path]:
    found = {}
    for path in APP_ROOT.rglob("templates/**/*.html"):
        if "govuk_error_summary" in path.read_text(encoding="utf-8"):
            found[path.as_posix().split("/templates/", 1)[1]] = path
    return found


def rendered_fields(source: str, form: forms.BaseForm) -> list[str]:
    """The form's fields in the order the template renders them."""
    names: list[str] = []
    for field, loop in FIELD.findall(source):
        if field:
            names.append(field)
            continue
        items: Any = getattr(form, loop)
        items = items() if callable(items) else items
        for item in items:  # bound fields, or groups of them (one respondent's fields)
            group = item if isinstance(item, list | tuple) else [item]
            names.extend(bound.name for bound in group if isinstance(bound, forms.BoundField))
    return names


def test_every_template_with_an_error_summary_is_checked() -> None:
    assert set(templates_with_a_summary()) == set(TEMPLATE_FORMS), (
        "name the form of each template with an error summary in TEMPLATE_FORMS"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "template",
    sorted(TEMPLATE_FORMS),
)
def test_the_template_renders_its_fields_in_the_forms_order(template: str) -> None:
    source = templates_with_a_summary()[template].read_text(encoding="utf-8")
    for make in TEMPLATE_FORMS[template]:
        form = make()
        order = list(form.fields)
        shown = [name for name in rendered_fields(source, form) if name in form.fields]
        assert shown, f"{template} renders none of {type(form).__name__}'s fields"
        assert shown == sorted(shown, key=order.index), (
            f"{template} shows {shown}, but {type(form).__name__}'s error summary lists them "
            f"as {[name for name in order if name in shown]}"
        )


# -- real pages ------------------------------------------------------------------------------

SUMMARY_IN_ORDER = """<div class="govuk-error-summary"><ul>
<li><a href="#id_a">A</a></li><li><a href="#id_b">B</a><br></li></ul></div>
<form><input id="id_a"><input type="radio" id="id_b"></form>"""


def test_the_check_reads_a_page() -> None:
    assert summary_targets(SUMMARY_IN_ORDER) == ["id_a", "id_b"]
    assert summary_out_of_order(SUMMARY_IN_ORDER) == ""
    swapped = SUMMARY_IN_ORDER.replace('id="id_a"', 'id="x"').replace('id="id_b"', 'id="id_a"')
    swapped = swapped.replace('id="x"', 'id="id_b"')
    assert summary_out_of_order(swapped) == (
        "the error summary lists #id_a before #id_b, but the page shows #id_b first"
    )
    missing = SUMMARY_IN_ORDER.replace('id="id_b"', 'id="id_c"')
    assert "#id_b, which is not on the page" in summary_out_of_order(missing)


# A browser always sends the CSRF token: an empty form posted from a page is never an empty
# POST (which the views read as no form at all).
NOTHING_FILLED_IN = {"csrfmiddlewaretoken": "sent by the browser"}


def errors_in_page_order(html: str, at_least: int) -> None:
    targets = summary_targets(html)
    assert len(targets) >= at_least, f"expected {at_least} errors, got {targets}"
    assert summary_out_of_order(html) == ""


@pytest.fixture
def oversight(organisation):
    return make_user(organisation, "odile", Role.OVERSIGHT)


def test_the_registers_filters(oversight) -> None:
    """Every filter wrong: an unknown person, role and action, a case reference too long and
    dates that are not dates."""
    response = signed_in(oversight).get(
        "/oversight/register/",
        {
            "user": "999999",
            "role": "nobody",
            "case": "F" * 41,
            "action": "fly",
            "since": "yesterday",
            "until": "31/02/2026",
        },
    )
    assert response.status_code == 400
    errors_in_page_order(response.content.decode(), at_least=6)


def test_recording_an_approach(case_officer, case) -> None:
    response = signed_in(case_officer).post(
        f"/oversight/cases/{case.reference}/approaches/", NOTHING_FILLED_IN
    )
    assert response.status_code == 400
    errors_in_page_order(response.content.decode(), at_least=5)


def test_adding_a_file_note(case_officer, case) -> None:
    response = signed_in(case_officer).post(
        f"/cases/{case.reference}/notes/add/", NOTHING_FILLED_IN
    )
    assert response.status_code == 400
    errors_in_page_order(response.content.decode(), at_least=1)


def test_sharing_a_file_note(case_officer, case) -> None:
    note = note_add(actor=case_officer, case=case, text="Spoke to the branch chair.")
    response = signed_in(case_officer).post(
        f"/cases/{case.reference}/notes/{note.pk}/share/", NOTHING_FILLED_IN
    )
    assert response.status_code == 400
    errors_in_page_order(response.content.decode(), at_least=2)


def test_staff_sign_in(client, case_officer) -> None:
    response = client.post("/accounts/sign-in/", NOTHING_FILLED_IN)
    errors_in_page_order(response.content.decode(), at_least=2)


def test_the_public_complaint_form(client, organisation) -> None:
    """Nothing filled in: the complainant, the person complained about and the complaint
    itself are all missing, and the summary lists them as the page asks for them."""
    response = client.post("/complaint/", NOTHING_FILLED_IN)
    assert response.status_code == 400
    errors_in_page_order(response.content.decode(), at_least=4)


def test_pausing_a_clock(case_officer, case) -> None:
    deadline = case.deadlines.get()
    response = signed_in(case_officer).post(
        f"/cases/{case.reference}/deadlines/{deadline.pk}/pause/", NOTHING_FILLED_IN
    )
    assert response.status_code == 400
    errors_in_page_order(response.content.decode(), at_least=2)
