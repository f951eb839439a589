"""Stored XSS, fast: every page that shows what users, parties, reporters and outsiders wrote
is rendered with the payload in every free-text field, and the payload appears only escaped.
The browser test (test_browser_xss.py) then opens the same pages in Chromium.

Checked that it can fail: replacing `{{ allegation.description|linebreaksbr }}` with `|safe` in
cases/templates/cases/case_detail.html made `test_every_page_shows_the_payload_only_escaped`
fail on the case page; restored. Likewise `|safe` on the companion's name (case page) and on
oversight's verification reasons (register) each failed here; restored.
"""

import pytest
from django.db import models
from django.urls import reverse
from django.utils.html import escape

from fairhearing.conftest import signed_in

from .xss import ESCAPED, PAYLOAD, RAW, SHORT, build_xss_world

pytestmark = pytest.mark.django_db

# Text columns that are not free text anyone writes: references, codes, hashes, machine
# values chosen from lists, secrets, and addresses we generate or validate.
NOT_FREE_TEXT = {
    "accounts.User": {"password", "username", "email"},
    "accounts.SignInFailure": {"username"},
    "accounts.AuthenticatorApp": {"name", "key"},  # our own device name; the secret
    # our own device name; the provider's issuer (configured) and subject, shown on no page
    "accounts.ProviderIdentity": {"name", "issuer", "subject"},
    # set up from the shell (`fairhearing` commands), not through any page
    "organisations.Organisation": {"name", "slug", "reference_prefix"},
    # language: a code from settings.LANGUAGES, taken from the page's own language
    "people.Person": {
        "email",
        "full_name_hash",
        "email_hash",
        "membership_number_hash",
        "language",
    },
    "people.Affiliation": {"name_hash"},
    "deadlines.Deadline": {"kind", "label"},  # the rulebook's labels
    "cases.Complaint": {"reference"},
    "cases.Case": {"reference", "category", "stage", "outcome", "sanction"},
    "cases.Allegation": {"category", "url"},
    "cases.StageChange": {"transition", "from_stage", "to_stage", "outcome", "sanction"},
    "intake.AnonymousReport": {"locator", "secret_hash"},
    "intake.ReceiptAttempt": {"locator"},
    # payload: a queued complaint's details, shown on no page; recorded into the complaint's
    # own fields (which hold the payload in the world); reason: our own refusal message
    "intake.Submission": {"reference", "payload", "reason", "recorded_by_worker"},
    "organisations.ReferenceCounter": {"name"},  # our counters' names
    "oversight.AccessAttempt": {"role", "action", "path"},  # path: stored percent-encoded
    "oversight.CaseView": {"path"},
    "panels.Vote": {"transition", "sanction"},
    "portal.SignInLink": {"token_sha256"},
    "api.ApiToken": {"name", "prefix", "token_sha256"},
    "api.IdempotentRequest": {"key", "fingerprint"},
    # subject: the first line of our own template (a case reference or a date, no user text);
    # the emails themselves are checked in test_email_xss.py
    # to_address: a copy, when posted, of people.Person.postal_address (which holds the payload)
    "notifications.Notification": {"to_email", "role", "last_error", "subject", "to_address"},
    "webhooks.Endpoint": {"url", "secret"},
    "webhooks.WebhookEvent": {"dedupe_key"},
    "webhooks.Delivery": {"last_error"},
    "reporting.StatisticsReport": {"period", "root_hash"},
    "audits.AuditRound": {"period", "seed"},  # "2026-Q3"; our random hex
    "surveys.Invitation": {"token_sha256"},
    "surveys.Answer": {"period"},  # "2026-Q3"
    "reporting.Recommendation": {"number"},
    "evidence.Blob": {"sha256", "content_type"},
    "notes.ChecklistTick": {"stage", "key"},  # the rulebook's keys
    # the rulebook's keys and our own values; proof_name: the checked file name, on no page
    "compliance.Condition": {"sanction", "kind", "status", "proof_name"},
    "evidence.EvidenceItem": {"url", "post_key", "sha256"},
    "evidence.Redaction": {"sha256"},
    # Addresses as Chromium gives them (percent-encoded) and our own versions; our own reasons
    # for a failed capture (capture.py: a host name at most) and their codes.
    "evidence.WebCapture": {"requested_url", "final_url", "browser_version", "software"},
    "evidence.CaptureRequest": {"url", "failure", "failure_code"},
    "linking.Fingerprint": {"post_key", "text"},
    "linking.Grouping": {"reason"},  # "same_url" or "same_text"
    "dossiers.Dossier": {"file_format", "sha256", "error", "task_id"},
    # The worker's own rows: host names, ids and task paths it writes, shown only to
    # administrators; no person writes them.
    "worker.WorkerProcess": {"worker_id", "hostname", "task_path"},
    "worker.Schedule": {"name", "task_path"},
    "ledger.Event": {"prev_hash", "hash"},
    # The list's query string, percent-encoded (`saved_query_clean`): its filters are shown
    # only as the list's form reads them (an unknown stage is no filter at all).
    "caselist.SavedView": {"query"},
    "ledger.TreeHead": {"root_hash", "key_id", "signature"},
    # From settings (LEDGER_WITNESSES) and the mail server's or witness's error; shown on no
    # page (`fairhearing witnesses list` prints them).
    "witnesses.WitnessDelivery": {"witness", "last_error"},
}


@pytest.fixture
def xss(organisation):
    return build_xss_world(organisation)


def test_every_free_text_field_holds_the_payload(xss) -> None:
    """A new free-text column fails here until it is given the payload (or listed above)."""
    from django.apps import apps

    missing = []
    for model in apps.get_models():
        label = model._meta.label
        if not model.__module__.startswith("fairhearing"):
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField) or field.choices:
                continue
            if field.name in NOT_FREE_TEXT.get(label, set()):
                continue
            if getattr(field, "encrypted", False):  # ciphertext: compared after decryption
                values = model._base_manager.values_list(field.name, flat=True)
                found = any(SHORT[:20] in str(v) or "&lt;" in str(v) for v in values)
            else:
                found = (
                    model._base_manager.filter(**{f"{field.name}__contains": SHORT[:20]}).exists()
                    or model._base_manager.filter(**{f"{field.name}__contains": "&lt;"}).exists()
                )
            if not found:
                missing.append(f"{label}.{field.name}")
    assert missing == [], f"give {missing} the payload in xss.py (or list them)"


def pages(xss) -> list[tuple[str, object, str]]:
    case, later, rec = xss.case, xss.later, xss.recommendation
    officer = signed_in(xss.officer)
    oversight = signed_in(xss.oversight)
    admin = signed_in(xss.admin)
    governing = signed_in(xss.governing)
    redacted = case.evidence.get(redactions__isnull=False)
    return [
        ("case page", officer, reverse("cases:detail", args=[case.reference])),
        ("case list", officer, reverse("cases:list")),
        ("saved views", officer, reverse("caselist:saved_views")),
        ("evidence list", officer, reverse("evidence:list", args=[case.reference])),
        (
            "evidence item captured from a link",
            officer,
            reverse(
                "evidence:item",
                args=[case.reference, case.evidence.get(web_capture__isnull=False).number],
            ),
        ),
        (
            "evidence item with a redacted copy",
            officer,
            reverse("evidence:item", args=[case.reference, redacted.number]),
        ),
        (
            "redacting a post",
            officer,
            reverse("evidence:redact", args=[case.reference, redacted.number]),
        ),
        ("related cases", officer, reverse("linking:related", args=[case.reference])),
        ("declarations", officer, reverse("interests:list")),
        ("dossier rows", officer, reverse("dossiers:detail", args=[xss.dossier.pk])),
        ("dossier list", officer, reverse("dossiers:list")),
        ("register", oversight, reverse("oversight:register")),
        *[
            (f"register {kind}", oversight, reverse("oversight:register") + f"?kind={kind}")
            for kind in ("approaches", "recusals", "challenges", "verifications")
        ],
        ("case page (oversight)", oversight, reverse("cases:detail", args=[case.reference])),
        (
            "clock stop approval",
            officer,
            reverse(
                "cases:deadlines:stop_approve",
                args=[case.reference, case.clock_stops.get(status="requested").pk],
            ),
        ),
        ("tracker", admin, reverse("reporting:tracker")),
        ("portal case", xss.party, reverse("portal:case", args=[case.reference])),
        ("reporter status", xss.reporter, reverse("intake:report_status")),
        ("legal hold", officer, reverse("dataprotection:hold", args=[xss.held.reference])),
        ("hold review", officer, reverse("dataprotection:hold_review", args=[xss.held.reference])),
        ("hold history", officer, reverse("dataprotection:hold", args=[xss.lifted.reference])),
        ("subject access list", officer, reverse("dataprotection:sar_list")),
        ("subject access", officer, reverse("dataprotection:sar_detail", args=[xss.sar.pk])),
        ("decided case", officer, reverse("cases:detail", args=[later.reference])),
        ("decided case (oversight)", oversight, reverse("cases:detail", args=[later.reference])),
        ("respondent's portal", xss.respondent, reverse("portal:case", args=[later.reference])),
        ("related cases, undone", officer, reverse("linking:related", args=[later.reference])),
        ("tracker update", admin, reverse("reporting:tracker_update", args=[rec.pk])),
        ("training records", admin, reverse("panels:training")),
        ("sanctions to follow up", officer, reverse("compliance:follow_up")),
        ("condition to record", officer, reverse("compliance:record", args=[xss.condition.pk])),
        ("audit round", oversight, reverse("audits:round", args=[xss.audited.round_id])),
        ("audit finding", oversight, reverse("audits:raise", args=[xss.audited.pk])),
        ("meeting packs", admin, reverse("reporting:packs")),
        ("survey comments", oversight, reverse("surveys:comments")),
        ("meeting pack", governing, reverse("reporting:pack", args=[xss.pack.pk])),
        (
            "affiliations",
            officer,
            reverse("cases:affiliations", args=[case.reference, case.respondent_id]),
        ),
        (
            "contact details",
            officer,
            reverse("cases:contact", args=[case.reference, case.respondent_id]),
        ),
        (
            "ending an affiliation",
            officer,
            reverse(
                "cases:affiliation_end",
                args=[case.reference, case.respondent.affiliations.order_by("pk")[0].pk],
            ),
        ),
        (
            "portal challenge",
            xss.respondent,
            reverse(
                "portal:challenge_sent",
                args=[later.reference, later.challenges.get(recorded_by=None).pk],
            ),
        ),
    ]


# Where a field's payload must be shown (escaped), by its prefix in xss.py: each page above
# shows some payload, and these pin that the later stages' fields are on their pages.
SHOWN = {
    "case list": ["SV "],  # the officer's saved view, above the list
    "saved views": ["SV "],
    "case page": ["FN ", "FN2 ", "FNR ", "CS ", "AA "],
    "clock stop approval": ["CS "],
    "evidence item captured from a link": ["CapD ", "CapT ", "CapN ", "CapX "],
    "case page (oversight)": ["FN ", "FN2 "],
    "portal case": ["FN2 "],
    "decided case": ["Reply ", "Comp ", "IS2 ", "R2 ", "Br ", "decide_upheld "],
    "respondent's portal": ["Reply ", "Comp "],
    "register": ["Q "],  # a refused search, as asked
    "register verifications": ["VR "],
    "register recusals": ["Rec "],
    "related cases, undone": ["L2 ", "U "],
    "tracker update": ["RU "],
    "audit round": ["AF "],
    "audit finding": ["AF "],
    "meeting packs": ["Mtg "],
    "survey comments": ["SC "],
    "meeting pack": ["Mtg "],
    "affiliations": ["Af ", "Af2 ", "Src ", "AfE "],
    "ending an affiliation": ["Af "],
    "contact details": ["Addr "],
    "portal challenge": ["PC ", "PCD "],
    "decided case (oversight)": ["Reply ", "Comp ", "IS2 ", "PC "],
}


def test_every_page_shows_the_payload_only_escaped(xss) -> None:
    for name, client, url in pages(xss):
        response = client.get(url)  # type: ignore[attr-defined]
        assert response.status_code == 200, (name, response.status_code)
        html = response.content.decode()
        for raw in RAW:
            assert raw not in html, (name, raw)
        assert any(e in html for e in ESCAPED), (name, "the payload is not on the page")
        for prefix in SHOWN.get(name, []):
            assert escape(prefix + PAYLOAD[:40]) in html, (name, prefix, "not shown escaped")
    assert set(SHOWN) <= {name for name, _, _ in pages(xss)}


def test_the_dossier_row_report_is_a_download_never_a_page(xss) -> None:
    response = signed_in(xss.officer).get(reverse("dossiers:report", args=[xss.dossier.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_audit_form_gives_back_the_findings_escaped(xss) -> None:
    """The audit form shows recorded findings only inside its textarea (so not in `pages`,
    whose browser twin looks for the payload as the page's text), escaped."""
    url = reverse("audits:case", args=[xss.audited.pk])
    html = signed_in(xss.oversight).get(url).content.decode()
    for raw in RAW:
        assert raw not in html
    assert escape("AF " + PAYLOAD[:40]) in html
