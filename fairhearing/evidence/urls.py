from django.urls import path

from . import views

app_name = "evidence"
urlpatterns = [
    path("cases/<str:reference>/evidence/", views.evidence_list_view, name="list"),
    path("cases/<str:reference>/evidence/file/", views.evidence_file_view, name="add_file"),
    path("cases/<str:reference>/evidence/post/", views.evidence_post_view, name="add_post"),
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
