from django.urls import path

from . import views

app_name = "evidence"
urlpatterns = [
    path("cases/<str:reference>/evidence/", views.evidence_list_view, name="list"),
    path("cases/<str:reference>/evidence/file/", views.evidence_file_view, name="add_file"),
    path("cases/<str:reference>/evidence/post/", views.evidence_post_view, name="add_post"),
    path("cases/<str:reference>/evidence/capture/", views.evidence_capture_view, name="capture"),
    path(
        "cases/<str:reference>/evidence/capture/<int:request_id>/",
        views.evidence_capture_status_view,
        name="capture_status",
    ),
    path(
        "cases/<str:reference>/evidence/capture/<int:request_id>/retry/",
        views.evidence_capture_retry_view,
        name="capture_retry",
    ),
    path("cases/<str:reference>/evidence/<int:number>/", views.evidence_item_view, name="item"),
    path(
        "cases/<str:reference>/evidence/<int:number>/recapture/",
        views.evidence_recapture_view,
        name="recapture",
    ),
    path(
        "cases/<str:reference>/evidence/<int:number>/capture/<str:part>/",
        views.evidence_capture_file_view,
        name="capture_file",
    ),
    path(
        "cases/<str:reference>/evidence/<int:number>/redact/",
        views.evidence_redact_view,
        name="redact",
    ),
    path(
        "cases/<str:reference>/evidence/<int:number>/redact/page/<int:page>/",
        views.evidence_preview_view,
        name="preview",
    ),
    path(
        "cases/<str:reference>/evidence/<int:number>/redacted/<int:redaction_id>/",
        views.evidence_redacted_view,
        name="redacted",
    ),
    path(
        "cases/<str:reference>/evidence/<int:number>/download/",
        views.evidence_download_view,
        name="download",
    ),
    path(
        "cases/<str:reference>/evidence/bundle/<str:audience>/",
        views.evidence_bundle_view,
        name="bundle",
    ),
]
