from django.urls import path

from . import views

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list_view, name="list"),
    path("template.<str:file_format>", views.dossier_template_view, name="template"),
    path("<int:dossier_id>/", views.dossier_detail_view, name="detail"),
    path("<int:dossier_id>/resume", views.dossier_resume_view, name="resume"),
    path("<int:dossier_id>/report.csv", views.dossier_report_view, name="report"),
]
