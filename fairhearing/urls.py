from django.conf import settings
from django.urls import include, path

from fairhearing.demo.post_page import POST_PATH, demo_post_view

urlpatterns = [
    path("", include("fairhearing.core.urls")),
    path("", include("fairhearing.worker.urls")),
    path("", include("fairhearing.operations.urls")),
    path("", include("fairhearing.intake.urls")),
    path("accounts/", include("fairhearing.accounts.urls")),
    # Before cases/: "saved-views" and "bulk" are no case references, but cases/<reference>/
    # would take them.
    path("cases/", include("fairhearing.caselist.urls")),
    path("cases/", include("fairhearing.cases.urls")),
    path("", include("fairhearing.dataprotection.urls")),
    path("", include("fairhearing.evidence.urls")),
    path("", include("fairhearing.linking.urls")),
    path("", include("fairhearing.notes.urls")),
    path("dossiers/", include("fairhearing.dossiers.urls")),
    path("panels/", include("fairhearing.panels.urls")),
    path("interests/", include("fairhearing.interests.urls")),
    path("oversight/", include("fairhearing.oversight.urls")),
    path("portal/", include("fairhearing.portal.urls")),
    path("api/v1/", include("fairhearing.api_urls")),
    path("webhooks/", include("fairhearing.webhooks.urls")),
    path("ledger/", include("fairhearing.ledger.urls")),
    path("audits/", include("fairhearing.audits.urls")),
    path("sanctions/", include("fairhearing.compliance.urls")),
    path("survey/", include("fairhearing.surveys.urls")),
    path("", include("fairhearing.reporting.urls")),
]

# The demo's fictional post, for its capture from a link (demo/web_capture.py): DEBUG only.
if settings.DEBUG:
    urlpatterns += [path(POST_PATH.strip("/") + "/", demo_post_view)]  # type: ignore[list-item]

handler404 = "fairhearing.core.errors.not_found"
