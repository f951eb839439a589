"""Every operation a signed-in user can do in the pages is on the API (parity cannot drift)."""

import pytest
from django.test import Client

from fairhearing.api_urls import api
from fairhearing.core.tests.test_access_matrix import ROUTES

# Page route -> the API operations that do the same.
PARITY = {
    "intake:form": ["complaints_submit"],
    "intake:check": ["complaints_submit"],
    "intake:record": ["complaints_submit"],
    "cases:list": ["cases_list"],
    "cases:detail": ["cases_detail", "cases_timeline"],
    "cases:transition": ["cases_transition"],
    "cases:hearing": ["cases_hearing"],
    "cases:conduct_exception": ["cases_conduct_exception"],
    "cases:assign": ["cases_assign"],
    "caselist:bulk_assign": ["cases_bulk_assign"],
    "cases:witness": ["cases_witness"],
    "cases:allegation_rules": ["cases_allegation_rules"],
    "cases:protect": ["cases_protect"],
    "cases:affiliations": ["people_affiliations", "people_affiliation_record"],
    "cases:affiliation_end": ["people_affiliation_end"],
    "cases:contact": ["people_contact", "people_contact_correct"],
    "cases:letter": ["letters_list", "letters_record_posted"],
    "cases:letter_pdf": ["letters_pdf"],
    "cases:deadlines:pause": ["deadlines_pause"],
    "cases:deadlines:resume": ["deadlines_resume"],
    "cases:deadlines:stop_approve": ["deadlines_clock_stop_decide"],
    "cases:deadlines:stop_decline": ["deadlines_clock_stop_decide"],
    "oversight:approach": ["oversight_approach"],
    "oversight:register": ["oversight_register"],
    "oversight:verification": ["oversight_verification"],
    "interests:list": ["interests_list", "interests_declare"],
    "interests:withdraw": ["interests_withdraw"],
    "interests:recuse": ["interests_recuse"],
    "interests:challenge": ["interests_challenge"],
    "interests:challenge_decide": ["interests_challenge_decide"],
    "panels:seats": ["panels_seats"],
    "panels:affirm": ["panels_affirm"],
    "panels:vote": ["panels_vote"],
    "panels:draw": ["panels_draw"],
    "panels:interim_suspension": ["panels_interim_suspension"],
    "panels:interim_suspension_review": ["panels_interim_suspension_decide"],
    "panels:interim_suspension_lift": ["panels_interim_suspension_decide"],
    "portal:send_link": ["parties_send_link"],
    "evidence:list": ["evidence_list"],
    "dossiers:list": ["dossiers_upload"],
    "dossiers:detail": ["dossiers_detail", "dossiers_rows"],
    "dossiers:report": ["dossiers_rows"],
    "linking:related": ["linking_related"],
    "linking:link": ["linking_link"],
    "linking:undo": ["linking_undo"],
    "evidence:add_file": ["evidence_add_file"],
    "evidence:add_post": ["evidence_add_post"],
    "evidence:capture": ["evidence_capture"],
    "evidence:capture_status": ["evidence_capture_status"],
    "evidence:capture_retry": ["evidence_capture_retry"],
    "evidence:item": ["evidence_item"],
    "evidence:recapture": ["evidence_recapture"],
    "evidence:capture_file": ["evidence_capture_file"],
    "evidence:redact": ["evidence_redactions", "evidence_redact"],
    "evidence:redacted": ["evidence_redacted_file"],
    "evidence:download": ["evidence_download"],
    "evidence:bundle": ["evidence_bundle"],
    "portal:staff_message": ["parties_message"],
    "dataprotection:hold": ["retention_holds", "retention_hold_place"],
    "dataprotection:hold_review": ["retention_hold_review"],
    "dataprotection:hold_lift": ["retention_hold_lift"],
    "dataprotection:sar_list": ["subject_access_list", "subject_access_open"],
    "dataprotection:sar_detail": ["subject_access_detail"],
    "dataprotection:sar_export": ["subject_access_export_json", "subject_access_export_pdf"],
    "dataprotection:sar_complete": ["subject_access_complete"],
    "dossiers:resume": ["dossiers_resume"],
    "notes:list": ["notes_list"],
    "notes:add": ["notes_add"],
    "compliance:follow_up": ["sanctions_follow_up"],
    "compliance:add": ["sanctions_condition_add", "sanctions_conditions"],
    "compliance:record": ["sanctions_condition_record"],
    "compliance:proof": ["sanctions_condition_proof"],
    "notes:disclose": ["notes_disclose"],
    "notes:checklist": ["notes_checklist", "notes_checklist_tick"],
}
# Pages that are not operations of a signed-in user: reading static pages, signing in and out,
# and the parties' portal (parties are not API users; they sign in with an emailed link).
NOT_OPERATIONS = {
    # A page of the item drawn as a picture to mark areas on: API clients download the file
    # (evidence_download) and send the areas as fractions of its pages.
    "evidence:preview",
    "core:healthz",
    "intake:start",
    "intake:submitted",
    "accounts:login",
    "accounts:sso_start",
    "accounts:sso_callback",
    "accounts:logout",
    "accounts:home",
    # Footer pages: words for people, nothing to operate.
    "core:privacy",
    "core:accessibility",
    "core:cookies",
    # The second sign-in step (the API signs in with a bearer token instead).
    "accounts:two_factor",
    "accounts:two_factor_enrol",
    "accounts:recovery_codes",
    "accounts:reauth",
    "portal:start",
    "portal:sign_in",
    "portal:sign_out",
    "portal:case",
    "portal:reply",
    "portal:hearing",
    "portal:hearing_move",
    "portal:message",
    "portal:bundle",
    "portal:capture",
    "portal:challenge",
    "portal:challenge_sent",
    # Anonymous reporting: reporters are not API users; their receipt code opens a session.
    "intake:anonymous",
    "intake:anonymous_check",
    "intake:anonymous_receipt",
    "intake:report",
    "intake:report_forget",
    "intake:report_status",
    "intake:report_message",
    "intake:report_evidence",
    # Administration of webhook endpoints: `fairhearing webhooks` and the delivery log page.
    "ledger:heads",
    "reporting:list",
    "reporting:report",
    "reporting:report_format",
    # Governing-body and administration pages (packs, the tracker); not case operations.
    "reporting:tracker",
    "reporting:packs",
    "reporting:pack",
    # The team's workload: counts for those who share out cases, no case operation.
    "reporting:workload",
    "reporting:tracker_import",
    "reporting:tracker_update",
    "ledger:inclusion",
    "ledger:consistency",
    "webhooks:log",
    # The blank dossier templates are static files to fill in.
    "dossiers:template",
    "webhooks:replay",
    # Readiness for monitors, and the administrators' page about background work.
    "worker:readyz",
    "operations:live",
    "operations:ready",
    # Prometheus' scrape: the same numbers for the whole service, to its scraper alone.
    "operations:metrics",
    "worker:status",
    "worker:retry",
    # Case-file audits: oversight's pages (a sample drawn, a checklist per case, a finding
    # raised) and their public counts; no case operation, and no API client audits.
    "audits:rounds",
    "audits:round",
    "audits:case",
    "audits:raise",
    "audits:published",
    # Confidence surveys: a party answers from the link in their email, with no sign-in and
    # no API client; oversight reads the comments on the page (published counts are in the
    # statistics, which have the JSON twin `reporting:report_format`).
    "surveys:answer",
    "surveys:thanks",
    "surveys:comments",
    # Training records, kept by administrators on the page (an HR system's feed is not built).
    "panels:training",
    # Saved views: a person's own shortcuts to lists of the page; an API client keeps its
    # own query strings (`queue`, the filters, `sort` on cases_list).
    "caselist:saved_views",
    "caselist:saved_view_delete",
    # The language switch of the public pages: a cookie for the browser; the API speaks JSON.
    "core:language",
    # The same switch for a party signed in to the portal (it also remembers the choice on
    # the person, for their letters): the party's browser; a party has no API client.
    "portal:language",
    # What the last bulk assignment did: the API answers it in the response.
    "caselist:bulk_assign_done",
}


@pytest.fixture(scope="module")
def operations() -> dict[str, dict]:
    schema = api.get_openapi_schema()
    found = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            found[operation["operationId"]] = {"path": path, "method": method, **operation}
    return found


def test_every_page_operation_has_an_api_route(operations) -> None:
    pages = set(ROUTES) - NOT_OPERATIONS
    assert pages - set(PARITY) == set(), "add the new page's API operation to PARITY"
    missing = {page: op for page, ops in PARITY.items() for op in ops if op not in operations}
    assert missing == {}


def test_every_api_operation_needs_a_token(operations) -> None:
    assert all(op.get("security") for op in operations.values())


@pytest.mark.django_db
def test_every_api_operation_refuses_a_request_without_a_token(operations, organisation) -> None:
    client = Client()
    for op in operations.values():
        path = op["path"]
        for name in (
            "reference",
            "allegation_id",
            "party_id",
            "deadline_id",
            "declaration_id",
            "challenge_id",
            "seat_id",
            "person_id",
            "request_id",
            "note_id",
            "stop_id",
            "condition_id",
            "redaction_id",
        ):
            path = path.replace("{" + name + "}", "1")
        path = path.replace("{kind}", "hearing").replace("{action}", "lift")
        path = path.replace("{key}", "notice_sent")
        response = getattr(client, op["method"])(path)
        assert response.status_code == 401, (op["operationId"], response.status_code)
        assert response.json()["error"]["code"] == "unauthenticated"
