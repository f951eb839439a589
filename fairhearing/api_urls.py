"""`/api/v1/`: every router, one auth, one error shape. Schema at /api/v1/openapi.json,
browsable docs at /api/v1/docs (assets served locally).

The API is put together here, at the project's URL layer, above every app: each app's `api.py`
holds its router and takes the shared parts (auth, error shape, idempotency, cursor pages) from
`fairhearing.api`; this module imports every router and registers it."""

from django.urls import path
from ninja import NinjaAPI

from fairhearing.api.core import TokenAuth, install_error_handlers
from fairhearing.cases.api import router as cases_router
from fairhearing.compliance.api import router as compliance_router
from fairhearing.dataprotection.api import router as dataprotection_router
from fairhearing.deadlines.api import router as deadlines_router
from fairhearing.dossiers.api import router as dossiers_router
from fairhearing.evidence.api import router as evidence_router
from fairhearing.intake.api import router as intake_router
from fairhearing.interests.api import router as interests_router
from fairhearing.linking.api import router as linking_router
from fairhearing.notes.api import router as notes_router
from fairhearing.notifications.api import router as letters_router
from fairhearing.oversight.api import router as oversight_router
from fairhearing.panels.api import router as panels_router
from fairhearing.people.api import router as people_router
from fairhearing.portal.api import router as portal_router

api = NinjaAPI(
    title="Fairhearing API",
    version="1",
    description="Conduct complaints and disciplinary cases. Bearer tokens carry scopes; "
    "creates accept an Idempotency-Key header; every error has one shape.",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
)
install_error_handlers(api)
for router in (
    intake_router,
    cases_router,
    evidence_router,
    linking_router,
    notes_router,
    dossiers_router,
    deadlines_router,
    oversight_router,
    interests_router,
    panels_router,
    portal_router,
    people_router,
    letters_router,
    dataprotection_router,
    compliance_router,
):
    api.add_router("", router)

urlpatterns = [path("", api.urls)]
